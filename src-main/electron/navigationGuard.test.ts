import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guardWebContents, type GuardedContents } from './navigationGuard';

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
    on: (name: string, listener: Listener) => void listeners.set(name, [...(listeners.get(name) ?? []), listener]),
  } as unknown as GuardedContents;
  /** Emits `name` as Electron would; true when a listener prevented it. */
  const emit = (name: string, ...args: unknown[]): boolean => {
    let prevented = false;
    for (const listener of listeners.get(name) ?? []) listener({ preventDefault: () => void (prevented = true) }, ...args);
    return prevented;
  };
  return { contents, emit, open: (url: string) => openHandler?.({ url }) };
}

describe('guardWebContents', () => {
  it('denies every new window, whatever the URL', () => {
    const { contents, open } = fakeContents();
    guardWebContents(contents);
    for (const url of ['https://example.com/', 'http://evil.example/', 'app://curvelab/index.html', 'file:///etc/passwd', 'mailto:a@b.c', 'javascript:alert(1)']) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
  });

  it('prevents navigation and redirects away from the app, and <webview>s', () => {
    const { contents, emit } = fakeContents();
    guardWebContents(contents);
    expect(emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(emit('will-navigate', 'app://curvelab/index.html')).toBe(true);
    expect(emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(emit('will-attach-webview', {}, {})).toBe(true);
  });

  it('is the only way out: no code of the Electron shell opens URLs in the system browser (the allow-list is empty)', () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((name) => /\.(ts|mjs)$/.test(name) && !name.endsWith('.test.ts'));
    expect(sources).toContain('main.ts');
    for (const name of sources) expect(readFileSync(new URL(name, dir), 'utf8'), name).not.toMatch(/\bopenExternal\(|\bopenPath\(/);
  });
});
