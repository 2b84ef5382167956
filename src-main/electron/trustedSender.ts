import { appHost, appScheme } from './appProtocol';

export interface TrustedSenderOptions {
  /** electron-vite's dev server (ELECTRON_RENDERER_URL) in `npm run dev`; pages of its origin are ours. */
  devServerUrl?: string | undefined;
}

/**
 * Builds the check every Lab IPC call goes through: does the message come from CurveLab's own renderer,
 * app://curvelab/ (appProtocol.ts), or the dev server in `npm run dev`? Anything else (a remote page, any
 * file:// page, a frame already gone) is refused, so that content which somehow got into the window
 * cannot drive the lab.
 */
export function createTrustedSenderCheck(options: TrustedSenderOptions): (frame: { url: string } | null) => boolean {
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : null;

  return (frame) => {
    if (frame === null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    // Node's URL parser knows no origin for a scheme of our own: compare scheme and host.
    if (url.protocol === `${appScheme}:`) return url.host.toLowerCase() === appHost && url.port === '' && url.username === '' && url.password === '';
    // `origin` is scheme + host + port, so look-alike hosts (localhost:5173.evil.example) differ.
    return devOrigin !== null && url.origin === devOrigin;
  };
}
