import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTrustedSenderCheck } from './trustedSender';

const rendererDir = '/opt/curvelab/out/renderer';
const page = pathToFileURL('/opt/curvelab/out/renderer/index.html').href;

describe('createTrustedSenderCheck', () => {
  const built = createTrustedSenderCheck({ rendererDir });
  const dev = createTrustedSenderCheck({ rendererDir, devServerUrl: 'http://localhost:5173/' });

  it('trusts the built renderer page and files under its folder, with or without a hash route', () => {
    expect(built({ url: page })).toBe(true);
    expect(built({ url: `${page}#/runs/3` })).toBe(true);
    expect(built({ url: 'file:///opt/curvelab/out/renderer/assets/chunk.html' })).toBe(true);
  });

  it('refuses remote pages, missing frames and unparsable URLs', () => {
    expect(built({ url: 'https://evil.example' })).toBe(false);
    expect(built({ url: 'https://evil.example/out/renderer/index.html' })).toBe(false);
    expect(built(null)).toBe(false);
    expect(built({ url: '' })).toBe(false);
    expect(built({ url: 'about:blank' })).toBe(false);
  });

  it('refuses files outside the renderer folder, including look-alike siblings and dot-dot escapes', () => {
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
