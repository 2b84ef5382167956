import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TrustedSenderOptions {
  /** The folder the built renderer is loaded from (out/renderer): any file:// page under it is ours. */
  rendererDir: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL) in `npm run dev`; pages of its origin are ours. */
  devServerUrl?: string | undefined;
}

/**
 * Builds the check every Lab IPC call goes through: does the message come from CurveLab's own renderer?
 * Anything else (a remote page, a file outside the renderer folder, a frame already gone) is refused,
 * so that content which somehow got into the window cannot drive the lab.
 */
export function createTrustedSenderCheck(options: TrustedSenderOptions): (frame: { url: string } | null) => boolean {
  const rendererDir = resolve(options.rendererDir);
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : null;

  return (frame) => {
    if (frame === null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') return isFileUnder(url, rendererDir);
    // `origin` is scheme + host + port, so look-alike hosts (localhost:5173.evil.example) differ.
    return devOrigin !== null && url.origin === devOrigin;
  };
}

function isFileUnder(url: URL, dir: string): boolean {
  let path: string;
  try {
    // Throws for a file URL with a host or an encoded slash: neither is how Electron loads our page.
    path = fileURLToPath(url);
  } catch {
    return false;
  }
  // The URL parser has already collapsed `..` segments; relative() catches siblings like renderer-evil/.
  const inside = relative(dir, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}
