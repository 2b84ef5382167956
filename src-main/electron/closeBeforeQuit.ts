import type { App } from 'electron';

/** The part of Electron's app that quitting touches (a fake in tests). */
export type QuittableApp = Pick<App, 'on' | 'quit'>;

/**
 * Holds the app's quit until `close` (the lab's: stop the workers, close the database) has finished,
 * so that runs end as `cancelled` with their rows flushed instead of being cut off mid-write. The first
 * `before-quit` is prevented and starts `close`; repeats while it runs are prevented too; when it
 * settles (even with an error, which goes to `onError`), the app quits for real.
 */
export function closeBeforeQuit(app: QuittableApp, close: () => Promise<void>, onError: (error: unknown) => void = (e) => console.error(e)): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void close()
      .catch(onError)
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
