/**
 * The renderer's Content Security Policy: only our own scripts (no inline or eval'd code), inline
 * styles (Svelte sets style attributes), images from the app or data: URLs (dataset previews),
 * connections only to the app's own origin ('self' takes in ws:/wss: to the same host: web mode's live
 * events, Vite's HMR in dev), no form submitted anywhere and no <base> that would re-point relative URLs.
 *
 * The same text sits in src-renderer/index.html's meta tag (for web mode and app://curvelab/ loads,
 * which carry no CSP header); a test keeps the two identical. Electron also sends it as a response
 * header where it can (sessionSecurity.ts).
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'";
