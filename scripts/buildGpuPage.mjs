// `npm run build` bundles the page trainer (src-main/lab/gpuPage/pageTrainer.ts: the engine in a Chromium
// page, training on its WebGPU) and the preload of the hidden window that shows it in the desktop app
// (src-main/electron/gpuPagePreload.ts) into out/gpuPage/ (or the folder given): index.html, pageTrainer.js,
// preload.cjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
/** out/gpuPage, or the folder given (tests build into a folder of their own). */
const outDir = process.argv[2] ?? `${root}out/gpuPage`;

/**
 * The Node built-ins that engine modules on the page's path import for code the page never runs, and
 * what they import. Each becomes a module whose exports throw when touched, so a call that does reach one
 * fails loudly; an import not listed fails the build, so new Node-only code on the path is noticed here.
 * - node:os, node:buffer (memoryLimits.ts): a run's memory share and the largest dataset file; the host
 *   sends its own limit (TrainOptions.memoryLimitBytes), and the page reads no files.
 * - node:crypto (checkpoint/checkpointFile.ts): checkpoints, which a page does not keep.
 * - node:fs, node:fs/promises (weights/weightsFile.ts): reading a weights file; the page decodes bytes the host read.
 */
const nodeOnly = {
  'node:os': ['totalmem'],
  'node:buffer': ['constants'],
  'node:crypto': ['createHash'],
  'node:fs': ['closeSync', 'fstatSync', 'openSync', 'readSync'],
  'node:fs/promises': ['readFile'],
};

/** @type {import('esbuild').Plugin} */
const nodeBuiltinsUnavailable = {
  name: 'node-builtins-unavailable',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:/ }, (args) =>
      args.path in nodeOnly
        ? { path: args.path, namespace: 'node-only' }
        : { errors: [{ text: `${args.path} is imported on the page trainer's path (from ${args.importer}): a page has no Node` }] },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'node-only' }, (args) => ({
      loader: 'js',
      contents: [
        `const unavailable = () => { throw new Error(${JSON.stringify(`${args.path} is Node's: the page trainer cannot use it`)}); };`,
        'const missing = () => new Proxy(function () {}, { get: unavailable, apply: unavailable, construct: unavailable });',
        ...nodeOnly[args.path].map((name) => `export const ${name} = missing();`),
      ].join('\n'),
    }));
  },
};

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [`${root}src-main/lab/gpuPage/pageTrainer.ts`],
  outfile: `${outDir}/pageTrainer.js`,
  bundle: true,
  platform: 'browser',
  // A classic script: a module script would not load from a file:// page (the desktop app's hidden window).
  format: 'iife',
  target: 'chrome120',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [nodeBuiltinsUnavailable],
});
await build({
  entryPoints: [`${root}src-main/electron/gpuPagePreload.ts`],
  outfile: `${outDir}/preload.cjs`,
  bundle: true,
  // A sandboxed preload is CommonJS and may require only `electron`.
  platform: 'node',
  format: 'cjs',
  external: ['electron'],
  logLevel: 'warning',
});
writeFileSync(
  `${outDir}/index.html`,
  `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />
    <title>CurveLab GPU trainer</title>
  </head>
  <body>
    <script src="pageTrainer.js"></script>
  </body>
</html>
`,
);
