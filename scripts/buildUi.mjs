// `npm run web` runs this before `curvelab serve`: it builds the UI (out/renderer, the renderer part of
// electron.vite.config.ts) only when it is missing or its sources changed since it was built, in one
// line; the build's own log is shown only when the build fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFingerprint } from './sourceFingerprint.mjs';

/** What the UI is built from: its own sources, the two folders it imports from src-main, the config and the packages. */
const UI_SOURCES = [
  'src-renderer',
  'src-main/lab/api',
  'src-main/shared',
  'electron.vite.config.ts',
  'svelte.config.js',
  'package-lock.json',
  'scripts/buildUi.mjs',
];

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'out', 'renderer');
// Inside the output, so that any other build of it (npm run build) also marks it as not ours.
const stampFile = join(outDir, '.source-fingerprint');
const fingerprint = sourceFingerprint(root, UI_SOURCES);

if (!existsSync(join(outDir, 'index.html')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== fingerprint) {
  console.log('Building the UI (on the first start, and after its sources change)…');
  const log = [];
  try {
    await buildRenderer(log);
  } catch (error) {
    process.stderr.write(`${log.join('\n')}\n\nThe UI did not build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  writeFileSync(stampFile, fingerprint);
}

/** The renderer build of electron.vite.config.ts, its messages kept in `log` instead of printed. */
async function buildRenderer(log) {
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  const keep = (line) => {
    log.push(line);
  };
  const customLogger = { info: keep, warn: keep, warnOnce: keep, error: keep, clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
  const { config } = await resolveConfig({ root, customLogger, logLevel: 'warn' }, 'build', 'production');
  await build(config.renderer);
}
