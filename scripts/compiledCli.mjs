// The command line compiled to JavaScript, so that no call of `curvelab` compiles TypeScript: esbuild
// bundles src-main into out/cli/<fingerprint of the sources>/ at install (scripts/buildCli.mjs), and
// bin/curvelab.js builds it again first when the sources have changed since.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sourceFingerprint } from './sourceFingerprint.mjs';

/** What a build reads: a change in any of these makes a new one. */
export const CLI_SOURCES = ['src-main', 'tsconfig.node.json', 'scripts/compiledCli.mjs'];

/**
 * The command, and the worker_threads files that train, load datasets and check archives: trainWorkerUrl.ts,
 * workerDatasetLoader.ts and checkArchiveInWorker.ts look for trainWorker.js, datasetWorker.js and
 * archiveCheckWorker.js beside the module they were bundled into.
 */
const ENTRY_POINTS = {
  main: 'src-main/cli/main.ts',
  trainWorker: 'src-main/lab/runner/trainWorker.ts',
  datasetWorker: 'src-main/lab/datasets/datasetWorker.ts',
  archiveCheckWorker: 'src-main/lab/archive/archiveCheckWorker.ts',
};

/**
 * Builds for earlier sources are removed once unused for this long (each start marks its build as used):
 * a process started from one, such as `curvelab serve`, loads files from it as long as it runs.
 */
const UNUSED_BUILD_AGE_MS = 60 * 60 * 1000;

/** The folder of the build for the current sources (it exists once built). */
export function compiledCliDir(root) {
  return join(root, 'out', 'cli', sourceFingerprint(root, CLI_SOURCES).slice(0, 16));
}

/**
 * The compiled command's main.js for the current sources, built first when there is none (`onBuild` is
 * called before). Safe from several processes at once: each builds into a folder of its own and renames
 * it into place, and the builds of the same sources are the same.
 */
export async function ensureCompiledCli(root, onBuild = () => {}) {
  const dir = compiledCliDir(root);
  const main = join(dir, 'main.js');
  if (existsSync(main)) {
    markUsed(dir);
    return main;
  }
  onBuild();
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.building-`);
  const { build } = await import('esbuild');
  const building = build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: staging,
    bundle: true,
    // Separate chunks keep dynamic imports (the lab, the backends) as lazy as they are in the sources.
    splitting: true,
    // Beside the entries, so that paths relative to import.meta.url resolve the same from every chunk.
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages (native addons, TF.js, better-sqlite3, bullmq…) load from node_modules as they are.
    packages: 'external',
    // Some errors take their name from their class (new.target.name).
    keepNames: true,
    tsconfig: join(root, 'tsconfig.node.json'),
    // Its errors come back in the exception's message.
    logLevel: 'silent',
  });
  await building.catch((error) => {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  });
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another process renamed its build of the same sources into place first.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(main)) throw error;
  }
  removeOldBuilds(dirname(dir), basename(dir));
  return main;
}

function markUsed(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // A read-only install is never rebuilt, so nothing removes its build.
  }
}

function removeOldBuilds(buildsDir, current) {
  for (const name of readdirSync(buildsDir)) {
    const path = join(buildsDir, name);
    // Another process may be removing it too.
    const usedMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (name !== current && Date.now() - usedMs > UNUSED_BUILD_AGE_MS) rmSync(path, { recursive: true, force: true });
  }
}
