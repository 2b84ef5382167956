import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Protocol } from 'electron';

/**
 * Where the app's page comes from: a privileged scheme of our own, `app://curvelab/`, rather than
 * file://. A file:// page's origin is every file on the disk (and Electron gives file pages more rights
 * than a browser does); app://curvelab/ is one origin that serves the built renderer's files and
 * nothing else, so the CSP's 'self' and the IPC sender check mean exactly our page.
 */
export const appScheme = 'app';
export const appHost = 'curvelab';
export const appPageUrl = `${appScheme}://${appHost}/index.html`;

/** Registers the scheme as standard (relative URLs, an origin) and secure; Electron requires it before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The file of the built renderer an app:// URL names, or null: another host, a path that leaves the
 * folder (`..`, also percent-encoded), a backslash or NUL. `/` is index.html.
 */
export function appFilePath(url: string, rendererDir: string): string | null {
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host.toLowerCase() !== appHost || /[\\\0]/.test(path)) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? file : null;
}

/**
 * Serves app://curvelab/ from the built renderer (`fetchFile` reads a file:// URL with its content
 * type: Electron's net.fetch); any other URL of the scheme is 404.
 */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string, fetchFile: (fileUrl: string) => Promise<Response>): void {
  protocol.handle(appScheme, (request) => {
    const file = request.method === 'GET' ? appFilePath(request.url, rendererDir) : null;
    return file === null ? Promise.resolve(new Response('Not Found', { status: 404 })) : fetchFile(pathToFileURL(file).href);
  });
}
