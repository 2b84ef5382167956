/**
 * The renderer's Content Security Policy: only our own scripts (no inline or eval'd code), inline
 * styles (Svelte sets style attributes), images from the app or data: URLs (dataset previews), and
 * connections to the app's own origin plus WebSockets (web mode's live events; Vite's HMR in dev).
 *
 * The same text sits in src-renderer/index.html's meta tag (for web mode and file:// loads, which carry
 * no headers); a test keeps the two identical. Electron also sends it as a response header.
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:";
