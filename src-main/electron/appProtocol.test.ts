import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appFilePath, appPageUrl, handleAppProtocol, registerAppScheme } from './appProtocol';

const rendererDir = '/opt/curvelab/out/renderer';

describe('appFilePath', () => {
  it('maps app://curvelab/ URLs to files of the built renderer, / to index.html', () => {
    expect(appPageUrl).toBe('app://curvelab/index.html');
    expect(appFilePath(appPageUrl, rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appFilePath('app://curvelab/', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appFilePath('app://curvelab/assets/index-1a2b.js?v=1#x', rendererDir)).toBe(join(rendererDir, 'assets', 'index-1a2b.js'));
    expect(appFilePath('app://CurveLab/a%20b.css', rendererDir)).toBe(join(rendererDir, 'a b.css'));
    // The URL parser drops a `..` above the root: it stays in the folder.
    expect(appFilePath('app://curvelab/../main/index.js', rendererDir)).toBe(join(rendererDir, 'main', 'index.js'));
    expect(appFilePath('app://curvelab/%2e%2e/main/index.js', rendererDir)).toBe(join(rendererDir, 'main', 'index.js'));
  });

  it.each([
    'app://curvelab/..%2F..%2Fetc%2Fpasswd',
    'app://curvelab/assets%2F..%2F..%2Fsecret',
    'app://curvelab/a%5C..%5C..%5Csecret',
    'app://curvelab/x%00.js',
    'app://curvelab/%E0%A4%A',
    'app://evil/index.html',
    'app://curvelab.evil.example/index.html',
    'apps://curvelab/index.html',
    'file:///opt/curvelab/out/renderer/index.html',
    'https://curvelab/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(appFilePath(url, rendererDir)).toBeNull();
  });
});

describe('the app scheme in Electron', () => {
  it('is registered as a standard, secure scheme', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer’s files through fetchFile and answers 404 to anything else', async () => {
    let handler!: (request: Request) => Promise<Response>;
    const fetched: string[] = [];
    handleAppProtocol(
      { handle: (scheme, h) => void (expect(scheme).toBe('app'), (handler = h as typeof handler)) },
      rendererDir,
      async (url) => (fetched.push(url), new Response('file')),
    );
    expect(await (await handler(new Request('app://curvelab/assets/a.js'))).text()).toBe('file');
    expect(fetched).toEqual([pathToFileURL(join(rendererDir, 'assets', 'a.js')).href]);
    expect((await handler(new Request('app://curvelab/..%2F..%2Fmain%2Findex.js'))).status).toBe(404);
    expect((await handler(new Request('app://curvelab/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
    expect(fetched).toHaveLength(1);
  });
});
