import type { Locator } from 'playwright';
import { describe, expect, it } from 'vitest';
import { openWatchedPage } from './browser.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * The compare charts in a browser (the real `curvelab serve`, Debian's Chromium): each panel on its own
 * x extent, wheel zoom around the pointer, drag to pan, double-click and the keyboard to reset, linked
 * and unlinked panels, and one hover crosshair shared by every panel, snapped to a logged step, with an
 * HTML readout. Screenshots (light and dark) in e2e-artifacts/screenshots.
 */

const session = useLabSession();

/** A Lab API call over HTTP, as the UI makes it. */
const call = (method: string, payload: unknown): Promise<unknown> => session.lab.call(method, payload);

async function startRun(optimizer: string, steps: number): Promise<number> {
  const started = (await call('startRuns', {
    experimentName: `charts ${optimizer}`,
    base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps, batchSize: 32, trainSize: 512, valSize: 128 },
    optimizers: [{ name: optimizer }],
    seeds: [0],
  })) as { runs: { id: number }[] };
  return started.runs[0]!.id;
}

const chartOf = (series: string): Locator => session.page.locator(`[data-testid="compare-panel"][data-series="${series}"] [data-testid="compare-chart"]`);

async function xRangeOf(chart: Locator): Promise<{ min: number; max: number }> {
  const [min, max] = await Promise.all([chart.getAttribute('data-x-min'), chart.getAttribute('data-x-max')]);
  return { min: Number(min), max: Number(max) };
}

/** Points inside the chart area (the canvas minus its axes) at fractions of the box. */
async function pointIn(chart: Locator, fx: number, fy: number): Promise<{ x: number; y: number }> {
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

let compareUrl = '';
let firstRuns: number[] = [];

describe('the compare charts in a browser', () => {
  it('draws each panel on its own x extent: a 40-step CurveBall trace is not squeezed onto the 120-step loss axis', async () => {
    const sgd = await startRun('sgd', 120);
    const curveball = await startRun('curveball', 40);
    for (const id of [sgd, curveball])
      await expect.poll(async () => ((await call('getRun', { id })) as { status: string }).status, { timeout: 180_000, interval: 500 }).toBe('completed');

    firstRuns = [sgd, curveball];
    compareUrl = `${session.lab.url}#/compare?runs=${firstRuns.join(',')}`;
    await session.page.goto(compareUrl);
    await expect.poll(() => chartOf('rho').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await xRangeOf(chartOf('loss'))).max, { timeout: 30_000 }).toBe(119);
    expect(await xRangeOf(chartOf('rho'))).toEqual({ min: 0, max: 39 });
    // SGD's learning rate is one value throughout: a note, not a chart.
    expect(await session.page.getByTestId('compare-constant-notes').textContent()).toMatch(/Learning rate \(lr\): 0\.01 throughout/);
    expect(await session.page.locator('[data-testid="compare-panel"][data-series="lr"]').count()).toBe(0);
  });

  it('zooms with the wheel around the pointer, pans by dragging, and resets on double-click and with the keyboard', async () => {
    const loss = chartOf('loss');
    const rho = chartOf('rho');
    const p = await pointIn(loss, 0.5, 0.4);
    await session.page.mouse.move(p.x, p.y);
    await session.page.mouse.wheel(0, -400);
    await expect.poll(async () => (await xRangeOf(loss)).max - (await xRangeOf(loss)).min).toBeLessThan(119 * 0.6);
    const zoomed = await xRangeOf(loss);
    expect(zoomed.min).toBeGreaterThan(0);
    expect(zoomed.max).toBeLessThan(119);
    // Linked by default: the ρ panel shows the same range.
    expect(await xRangeOf(rho)).toEqual(zoomed);
    await session.watched.screenshot('compare-charts-1-zoomed');

    // Dragging right by a fifth of the chart moves the view left, keeping its width.
    const from = await pointIn(loss, 0.5, 0.5);
    await session.page.mouse.move(from.x, from.y);
    await session.page.mouse.down();
    await session.page.mouse.move(from.x + (await loss.boundingBox())!.width / 5, from.y, { steps: 4 });
    await session.page.mouse.up();
    const panned = await xRangeOf(loss);
    expect(panned.min).toBeLessThan(zoomed.min);
    expect(panned.max - panned.min).toBeCloseTo(zoomed.max - zoomed.min, 6);

    await loss.dblclick();
    await expect.poll(() => xRangeOf(loss)).toEqual({ min: 0, max: 119 });
    expect(await xRangeOf(rho)).toEqual({ min: 0, max: 39 });

    await loss.focus();
    await session.page.keyboard.press('+');
    await expect.poll(async () => (await xRangeOf(loss)).max).toBeLessThan(119);
    await session.page.keyboard.press('0');
    await expect.poll(() => xRangeOf(loss)).toEqual({ min: 0, max: 119 });
  });

  it('an unlinked panel keeps its range when the others zoom', async () => {
    const loss = chartOf('loss');
    const rho = chartOf('rho');
    await session.page.locator('[data-testid="compare-panel"][data-series="rho"] [data-testid="compare-panel-linked"]').uncheck();
    const p = await pointIn(loss, 0.5, 0.4);
    await session.page.mouse.move(p.x, p.y);
    await session.page.mouse.wheel(0, -400);
    await expect.poll(async () => (await xRangeOf(loss)).max).toBeLessThan(119);
    expect(await xRangeOf(rho)).toEqual({ min: 0, max: 39 });
    await loss.dblclick();
    // Back to the whole axis before the next test hovers at a fraction of it.
    await expect.poll(() => xRangeOf(loss)).toEqual({ min: 0, max: 119 });
    await session.page.locator('[data-testid="compare-panel"][data-series="rho"] [data-testid="compare-panel-linked"]').check();
  });

  it('hovering one panel draws the crosshair at the same logged step on the others, with a readout of whole steps', async () => {
    const loss = chartOf('loss');
    await expect.poll(() => xRangeOf(loss)).toEqual({ min: 0, max: 119 });
    // A quarter of the way in: well inside both runs' steps (the 40-step CurveBall run ends near a
    // third of the 120-step axis, where whether its last point is within reach depends on the layout).
    const p = await pointIn(loss, 0.25, 0.5);
    await session.page.mouse.move(p.x, p.y);
    const tooltipX = session.page.getByTestId('compare-tooltip-x');
    await expect.poll(() => tooltipX.count()).toBe(1);
    const step = Number(await tooltipX.getAttribute('data-x'));
    expect(Number.isInteger(step)).toBe(true);
    expect(step).toBeLessThan(36);
    expect(await tooltipX.textContent()).toBe(`Step ${step}`);
    // The same step on the accuracy panel (another panel), from the same shared hover point.
    expect(Number(await chartOf('accuracy').getAttribute('data-hover-x'))).toBe(step);
    expect(Number(await loss.getAttribute('data-hover-x'))).toBe(step);
    const rows = session.page.locator('[data-testid="compare-tooltip"] .tooltip-row');
    expect(await rows.count()).toBe(2);
    expect(await session.page.locator('[data-testid="compare-tooltip"] .tooltip-row.under').count()).toBe(1);
    await session.watched.screenshot('compare-charts-2-hover-light');

    // Leaving the chart clears the crosshair everywhere.
    await session.page.mouse.move(1, 1);
    await expect.poll(() => chartOf('accuracy').getAttribute('data-hover-x')).toBeNull();
  });

  it('looks right in the dark theme too', async () => {
    const dark = await openWatchedPage(session.browser, compareUrl, 'dark');
    try {
      const loss = dark.page.locator('[data-testid="compare-panel"][data-series="loss"] [data-testid="compare-chart"]');
      await expect.poll(() => loss.getAttribute('data-x-max'), { timeout: 30_000 }).toBe('119');
      const box = (await loss.boundingBox())!;
      await dark.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
      await expect.poll(() => dark.page.getByTestId('compare-tooltip-x').count()).toBe(1);
      await dark.screenshot('compare-charts-3-hover-dark');
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.page.context().close();
    }
  });
});

describe('a diverged run beside the others', () => {
  it('clips the y range to the ordinary curves and marks where the diverged one leaves it', async () => {
    const started = (await call('startRuns', {
      experimentName: 'charts diverged',
      base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 120, batchSize: 32, trainSize: 512, valSize: 128 },
      optimizers: [{ name: 'sgd', options: { lr: 1000 } }],
      seeds: [0],
    })) as { runs: { id: number }[] };
    const id = started.runs[0]!.id;
    // The lab stops it at the first loss past 1000 × the first one (1e6 and more), so its curve ends in a spike.
    await expect.poll(async () => ((await call('getRun', { id })) as { status: string }).status, { timeout: 180_000, interval: 500 }).toBe('diverged');
    await session.page.goto(`${session.lab.url}#/compare?runs=${[...firstRuns, id].join(',')}`);
    const lossPanel = session.page.locator('[data-testid="compare-panel"][data-series="loss"]');
    await expect.poll(() => lossPanel.getByTestId('compare-panel-clipped-note').count(), { timeout: 30_000 }).toBe(1);
    // The other panels, without the spike, are not clipped.
    expect(await session.page.locator('[data-testid="compare-panel"][data-series="accuracy"] [data-testid="compare-panel-clipped-note"]').count()).toBe(0);
    await lossPanel.scrollIntoViewIfNeeded();
    await session.watched.screenshot('compare-charts-4-diverged-clipped');
  });
});
