import type { WebContents } from 'electron';

/** The part of a WebContents the guard touches (a fake in tests). */
export type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/**
 * Keeps every page of the app where it is: no new windows (a link with target=_blank, window.open),
 * no navigation away from the app, no <webview>. Nothing is handed to the system browser either: the
 * app needs no external links, so the allow-list for shell.openExternal is empty and nothing calls it.
 * Applied to every WebContents the app creates (app's 'web-contents-created').
 */
export function guardWebContents(contents: GuardedContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
