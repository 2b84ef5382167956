import type { Session } from 'electron';
import { contentSecurityPolicy } from './contentSecurityPolicy';

/** The part of an Electron session the lock-down touches (a fake in tests). */
export type LockableSession = {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
} & Pick<Session, 'setPermissionRequestHandler'>;

/**
 * Locks down the window's session: every response carries our CSP header (replacing any other, so the
 * page runs under exactly the policy we test), and every permission request (camera, notifications,
 * geolocation, …) is denied, since the lab needs none.
 */
export function lockDownSession(session: LockableSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
}
