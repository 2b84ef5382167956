/**
 * The file a training worker starts from. From sources (this module's own URL ends in .ts: node with
 * tsx, vitest), the plain-JS bootstrap that registers tsx and imports trainWorker.ts. From a build,
 * `trainWorker.js` beside the bundle that contains this module: the Electron build (electron.vite.config.ts,
 * main) must list src-main/lab/runner/trainWorker.ts as a second entry named `trainWorker`, so that it
 * lands next to the main bundle as out/main/trainWorker.js.
 */
export function trainWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./trainWorkerBootstrap.mjs', import.meta.url) : new URL('./trainWorker.js', import.meta.url);
}
