import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { baseHeaders } from './httpResponses';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The Content-Type for a file name; unknown kinds are plain bytes (never sniffed: see baseHeaders). */
export function contentTypeFor(fileName: string): string {
  return contentTypes[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** The page `/` shows when the renderer has not been built: the API works without it. */
const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CurveLab</title></head>
<body><h1>CurveLab</h1>
<p>The user interface has not been built yet. Run <code>npm run build</code> in the CurveLab folder, then reload this page.</p>
<p>The Lab API at <code>/api/</code> works already.</p></body></html>
`;

/**
 * Serves the built renderer from `staticDir`: `/` is index.html; other paths are files inside the
 * folder, never outside it (`..`, encoded separators and symbolic links that lead out are refused
 * with 404, as is a folder). index.html is revalidated on every load so a rebuild shows at once;
 * Vite's content-hashed files under /assets/ never change, so they may be cached for good.
 */
export async function serveStaticFile(req: IncomingMessage, res: ServerResponse, staticDir: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendText(res, 400, 'Bad Request: the path is not valid percent-encoding');
    return;
  }
  const relative = decoded === '/' ? '/index.html' : decoded;
  const file = await resolveInside(staticDir, relative);
  if (file === null) {
    if (relative === '/index.html') sendBody(res, req, 200, notBuiltPage, 'text/html; charset=utf-8', 'no-cache');
    else sendText(res, 404, 'Not Found');
    return;
  }
  const cacheControl = relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, {
    ...baseHeaders,
    'Content-Type': contentTypeFor(file.path),
    'Content-Length': file.size,
    'Cache-Control': cacheControl,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  // The file vanished or cannot be read after the headers went out: all that is left is to cut the answer short.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The regular file `relative` names inside `root` (after following links), or null. */
export async function resolveInside(root: string, relative: string): Promise<{ path: string; size: number } | null> {
  if (relative.includes('\0')) return null;
  const base = resolve(root);
  const candidate = resolve(base, `.${relative.startsWith('/') ? '' : '/'}${relative}`);
  if (!isInside(base, candidate)) return null;
  try {
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(candidate)]);
    if (!isInside(realBase, realFile)) return null;
    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size } : null;
  } catch {
    return null;
  }
}

function isInside(base: string, path: string): boolean {
  return path !== base && path.startsWith(base.endsWith(sep) ? base : base + sep);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendBody(res: ServerResponse, req: IncomingMessage, status: number, body: string, contentType: string, cacheControl: string): void {
  res.writeHead(status, { ...baseHeaders, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': cacheControl });
  res.end(req.method === 'HEAD' ? undefined : body);
}
