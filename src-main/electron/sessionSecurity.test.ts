import type { OnHeadersReceivedListenerDetails, HeadersReceivedResponse } from 'electron';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './contentSecurityPolicy';
import { lockDownSession, type LockableSession } from './sessionSecurity';

type HeadersListener = (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void;
type PermissionHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void;

function fakeSession() {
  const registered: { headers?: HeadersListener; permission?: PermissionHandler } = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: HeadersListener) => (registered.headers = listener) },
    setPermissionRequestHandler: (handler: PermissionHandler) => (registered.permission = handler),
  } as unknown as LockableSession;
  return { session, registered };
}

function headersFor(listener: HeadersListener, responseHeaders: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  let answer: HeadersReceivedResponse | undefined;
  listener({ responseHeaders } as OnHeadersReceivedListenerDetails, (response) => (answer = response));
  return answer?.responseHeaders as Record<string, string[]> | undefined;
}

describe('lockDownSession', () => {
  it('adds the CSP header to every response, keeping the other headers', () => {
    const { session, registered } = fakeSession();
    lockDownSession(session);
    expect(headersFor(registered.headers!, { 'Content-Type': ['text/html'] })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy],
    });
    expect(headersFor(registered.headers!, undefined)).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy] });
  });

  it('replaces a CSP the server sent, whatever its case, so exactly one policy applies', () => {
    const { session, registered } = fakeSession();
    lockDownSession(session);
    const headers = headersFor(registered.headers!, { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'X-A': ['1'] });
    expect(headers).toEqual({ 'X-A': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] });
  });

  it('denies every permission request', () => {
    const { session, registered } = fakeSession();
    lockDownSession(session);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      registered.permission!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
  });
});
