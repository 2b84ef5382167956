// Installed by uiBenchmark.ts before the app loads (plain JavaScript: it runs in the page as it is).
// Counts the API requests in flight (every Lab API call is a fetch), collects long tasks, times the
// frames after input events, and marks when the charts are drawn after a click on "Compare selected".
(() => {
  const bench = { pending: 0, longTasks: [], frames: [], clickAt: -1, drawnAt: -1 };
  window.__bench = bench;

  // A request is over once its caller has read the body (json, text or arrayBuffer settled).
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    bench.pending += 1;
    let response;
    try {
      response = await originalFetch(...args);
    } catch (error) {
      bench.pending -= 1;
      throw error;
    }
    let open = true;
    for (const method of ['json', 'text', 'arrayBuffer']) {
      const read = response[method].bind(response);
      response[method] = () =>
        read().finally(() => {
          if (open) bench.pending -= 1;
          open = false;
        });
    }
    return response;
  };

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  // A task queued from an animation frame callback runs after that frame's rendering and paint.
  const afterNextPaint = (callback) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback();
      channel.port2.postMessage(null);
    });
  // When the page began handling each event (the first listener, capturing on window): the part of a
  // frame that is the page's own, apart from how long the browser took to hand the event over.
  const dispatchedAt = new WeakMap();
  const markDispatch = (event) => dispatchedAt.set(event, performance.now());
  window.addEventListener('mousemove', markDispatch, { capture: true, passive: true });
  window.addEventListener('wheel', markDispatch, { capture: true, passive: true });
  const timeFrame = (kind) => (event) => {
    const start = event.timeStamp;
    const dispatched = dispatchedAt.get(event) ?? start;
    afterNextPaint(() => bench.frames.push({ kind, ms: performance.now() - start, fromDispatchMs: performance.now() - dispatched, prevented: event.defaultPrevented }));
  };
  // Bubble phase on window: every handler of the page has run, so defaultPrevented is final.
  window.addEventListener('mousemove', timeFrame('hover'));
  window.addEventListener('wheel', timeFrame('zoom'), { passive: true });

  // Drawn: the view is not loading (data-loading="true": the curves are still being fetched or decoded),
  // every compare panel holds a canvas that is not waiting to draw (data-drawn="false": a panel whose
  // redraw waits its turn), no API request is pending, and two frames have passed. Versions of the UI
  // without these attributes draw as they mount, all in one go.
  document.addEventListener(
    'click',
    (event) => {
      if (!(event.target instanceof Element) || !event.target.closest('[data-testid="compare-selected"]')) return;
      bench.clickAt = event.timeStamp;
      bench.drawnAt = -1;
      let settledFrames = -1;
      const check = () => {
        const panels = [...document.querySelectorAll('[data-testid="compare-panel"]')];
        const loading = document.querySelector('[data-testid="compare-view"][data-loading="true"]') !== null;
        const ready = !loading && panels.length > 0 && panels.every((p) => p.querySelector('canvas') && !p.querySelector('[data-drawn="false"]')) && bench.pending === 0;
        settledFrames = ready ? settledFrames + 1 : -1;
        if (settledFrames === 2) bench.drawnAt = performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    true,
  );
})();
