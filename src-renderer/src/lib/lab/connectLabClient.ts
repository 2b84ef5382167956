import { createElectronLabClient } from './electronLabClient';
import { createHttpLabClient } from './httpLabClient';
import type { LabClient } from './labClient';

/** Where the web-mode token is kept for this tab, so that a reload still works after the URL is cleaned. */
const TOKEN_STORAGE_KEY = 'curvelab.token';

/**
 * The LabClient for wherever the UI runs: the preload bridge inside Electron, else HTTP + WebSocket to
 * the server that delivered the page (`curvelab serve`).
 *
 * `curvelab serve` prints its address with `?token=…` (it answers no call without it). The token is
 * taken from the page's URL, kept in sessionStorage (this tab only) and removed from the address bar,
 * so that it does not linger in history, bookmarks or a shared screenshot.
 */
export function connectLabClient(): LabClient {
  const bridge = window.curvelab;
  if (bridge?.lab) return createElectronLabClient(bridge);
  const token = takeTokenFromUrl() ?? readStoredToken();
  return createHttpLabClient({ baseUrl: location.origin, ...(token ? { token } : {}) });
}

function takeTokenFromUrl(): string | undefined {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (!token) return undefined;
  try {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage can be disabled; the token still works for this page load.
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token;
}

function readStoredToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
