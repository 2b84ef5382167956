import { describe, expect, it } from 'vitest';
import { appPageUrl } from './appProtocol';
import { createTrustedSenderCheck } from './trustedSender';

const page = appPageUrl;

describe('createTrustedSenderCheck', () => {
  const built = createTrustedSenderCheck({});
  const dev = createTrustedSenderCheck({ devServerUrl: 'http://localhost:5173/' });

  it('trusts the built renderer page and files under its folder, with or without a hash route', () => {
    expect(built({ url: page })).toBe(true);
    expect(built({ url: `${page}#/runs/3` })).toBe(true);
    expect(built({ url: 'app://curvelab/assets/chunk.html' })).toBe(true);
    expect(built({ url: 'app://CurveLab/' })).toBe(true);
  });

  it('refuses look-alikes of the app origin', () => {
    for (const url of ['app://evil/index.html', 'app://curvelab.evil.example/', 'app://curvelab:8080/', 'app://user@curvelab/', 'apps://curvelab/', 'https://curvelab/']) {
      expect(built({ url }), url).toBe(false);
    }
  });

  it('refuses remote pages, missing frames and unparsable URLs', () => {
    expect(built({ url: 'https://evil.example' })).toBe(false);
    expect(built({ url: 'https://evil.example/out/renderer/index.html' })).toBe(false);
    expect(built(null)).toBe(false);
    expect(built({ url: '' })).toBe(false);
    expect(built({ url: 'about:blank' })).toBe(false);
  });

  it('refuses every file:// page, the built renderer’s files included: the app loads from app://curvelab/', () => {
    expect(built({ url: 'file:///opt/curvelab/out/renderer/index.html' })).toBe(false);
    expect(built({ url: 'file:///opt/curvelab/out/renderer-evil/index.html' })).toBe(false);
    expect(built({ url: 'file:///opt/curvelab/out/renderer/../main/index.html' })).toBe(false);
    expect(built({ url: 'file:///opt/curvelab/out/renderer/%2e%2e/main/index.html' })).toBe(false);
    expect(built({ url: 'file:///opt/curvelab/out/renderer/..%2F..%2Fsecret.html' })).toBe(false);
    expect(built({ url: 'file:///opt/curvelab/out/renderer' })).toBe(false);
    expect(built({ url: 'file:///tmp/downloaded.html' })).toBe(false);
    expect(built({ url: 'file://evil.example/opt/curvelab/out/renderer/index.html' })).toBe(false);
  });

  it('trusts the dev server origin only when one is given, and only that exact origin', () => {
    expect(built({ url: 'http://localhost:5173/' })).toBe(false);
    expect(dev({ url: 'http://localhost:5173/' })).toBe(true);
    expect(dev({ url: 'http://localhost:5173/src/App.svelte?x=1' })).toBe(true);
    expect(dev({ url: 'http://localhost:5174/' })).toBe(false);
    expect(dev({ url: 'https://localhost:5173/' })).toBe(false);
    expect(dev({ url: 'http://localhost:5173.evil.example/' })).toBe(false);
    expect(dev({ url: 'http://evil.example/?http://localhost:5173/' })).toBe(false);
    expect(dev({ url: page })).toBe(true);
  });
});
