import { describe, expect, it } from 'vitest';
import { closeBeforeQuit, type QuittableApp } from './closeBeforeQuit';

/** An app whose quit() emits before-quit like Electron's, and which records whether it really quit. */
function fakeApp() {
  const listeners: ((event: { preventDefault(): void }) => void)[] = [];
  const app = {
    quitCount: 0,
    quitted: false,
    on(name: string, listener: (event: { preventDefault(): void }) => void) {
      if (name === 'before-quit') listeners.push(listener);
      return app;
    },
    quit() {
      app.quitCount++;
      let prevented = false;
      for (const listener of listeners) listener({ preventDefault: () => (prevented = true) });
      if (!prevented) app.quitted = true;
    },
  };
  return app;
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('closeBeforeQuit', () => {
  it('holds the quit until close has finished, calling close once however often quit is asked', async () => {
    const app = fakeApp();
    const closing = deferred();
    let closeCalls = 0;
    closeBeforeQuit(app as unknown as QuittableApp, () => {
      closeCalls++;
      return closing.promise;
    });

    app.quit();
    app.quit();
    await settle();
    expect(app.quitted).toBe(false);
    expect(closeCalls).toBe(1);

    closing.resolve();
    await settle();
    expect(app.quitted).toBe(true);
    expect(closeCalls).toBe(1);
  });

  it('still quits when close fails, reporting the error', async () => {
    const app = fakeApp();
    const errors: unknown[] = [];
    const failure = new Error('database is locked');
    closeBeforeQuit(app as unknown as QuittableApp, () => Promise.reject(failure), (e) => errors.push(e));

    app.quit();
    await settle();
    expect(app.quitted).toBe(true);
    expect(errors).toEqual([failure]);
  });
});
