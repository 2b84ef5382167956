#!/usr/bin/env node
/**
 * Builds the native CPU kernels (native/, an N-API addon over OpenBLAS or Accelerate) with node-gyp.
 * It is the package's `install` script, and the addon is optional: when the build fails, this prints
 * what failed and what to install, and still exits 0 so that `npm install` succeeds. CurveLab then
 * trains on TF.js's plain CPU backend and says so.
 *
 *   node native/build.mjs [--verbose] [--strict]
 *
 * --verbose  shows node-gyp's and the compiler's output (`npm run build:native` passes it)
 * --strict   exits 1 when the build fails (for scripts that need the addon)
 * CURVELAB_SKIP_NATIVE=1 skips the build.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const addonPath = join(nativeDir, 'build', 'Release', 'curvelab_native.node');
const verbose = process.argv.includes('--verbose');
const strict = process.argv.includes('--strict');

const INSTALL_HINT =
  process.platform === 'darwin'
    ? 'install the Xcode command line tools (xcode-select --install) and python3'
    : process.platform === 'win32'
      ? 'the native kernels are not supported on Windows yet'
      : 'install OpenBLAS and a C++ toolchain (Debian/Ubuntu: sudo apt-get install libopenblas-dev g++ make python3; ' +
        'Fedora: sudo dnf install openblas-devel gcc-c++ make python3)';

if (process.env.CURVELAB_SKIP_NATIVE === '1') {
  console.log('curvelab: CURVELAB_SKIP_NATIVE=1, not building the native CPU kernels.');
  process.exit(0);
}

const started = Date.now();
console.log('curvelab: building the native CPU kernels (C++ over BLAS, up to a minute)…');
const result = await runNodeGyp();
if (result.ok) {
  const loaded = tryLoad();
  if (loaded.ok) {
    console.log(`curvelab: built the native CPU kernels in ${((Date.now() - started) / 1000).toFixed(1)} s (${loaded.detail}).`);
    process.exit(0);
  }
  fail(`the native CPU kernels built but do not load: ${loaded.detail}`, '');
} else {
  fail(diagnose(result.output, result.error), result.output);
}

/** Prints one clear message and exits (0 unless --strict). */
function fail(what, output) {
  const tail = verbose || !output ? '' : `\n  Last lines of the build output:\n${lastLines(output, 8)}`;
  console.warn(
    `\ncurvelab: WARNING: ${what}.\n` +
      `  CurveLab still works, on TF.js's plain CPU backend, which trains much more slowly.\n` +
      `  For the fast CPU path, ${INSTALL_HINT}, then run: npm run build:native` +
      `${verbose ? '' : ' (it shows the full build output)'}.${tail}\n`,
  );
  process.exit(strict ? 1 : 0);
}

/** The most likely cause, read from the build output. */
function diagnose(output, error) {
  if (error) return `could not run node-gyp (${error})`;
  const rules = [
    [/cblas\.h: No such file|Accelerate\/Accelerate\.h' file not found/i, 'the BLAS headers (cblas.h) were not found'],
    [/cannot find -lopenblas|library not found for -lopenblas|ld: framework not found Accelerate/i, 'the OpenBLAS library was not found'],
    [/(g\+\+|c\+\+|cc|clang\+\+|CXX)[^\n]*(not found|No such file)|No such file or directory[^\n]*(g\+\+|c\+\+)/i, 'no C++ compiler was found'],
    [/not found: make|make: (command )?not found|spawn make ENOENT/i, '`make` was not found'],
    [/find Python|python[^\n]*not found/i, 'no Python (needed by node-gyp) was found'],
    [/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/i, "node-gyp could not download Node's headers (no network)"],
    [/error:/i, 'the C++ compiler reported errors'],
  ];
  for (const [pattern, message] of rules) if (pattern.test(output)) return `the native CPU kernels did not build: ${message}`;
  return 'the native CPU kernels did not build (node-gyp failed)';
}

function tryLoad() {
  try {
    const addon = createRequire(import.meta.url)(addonPath);
    const info = addon.info();
    return { ok: true, detail: `${info.blas}, ${info.blasThreads} threads` };
  } catch (error) {
    return { ok: false, detail: String(error?.message ?? error).split('\n')[0] };
  }
}

/**
 * node-gyp as npm runs it: npm names its bundled copy in npm_config_node_gyp inside scripts. Run
 * directly (`node native/build.mjs`), the same bundled copy is found next to npm or node, else a
 * node-gyp on PATH is used.
 */
function findNodeGyp() {
  const bundled = 'node_modules/node-gyp/bin/node-gyp.js';
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && resolve(dirname(process.env.npm_execpath), '..', bundled),
    resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', bundled),
    resolve(dirname(process.execPath), 'node_modules', 'npm', bundled),
  ];
  const script = candidates.find((c) => c && existsSync(c));
  return script ? { command: process.execPath, args: [script] } : { command: 'node-gyp', args: [] };
}

/**
 * node-gyp downloads Node's headers unless told where they are. An installed Node ships them
 * (<prefix>/include/node), so the build needs no network where they are present.
 */
function nodeHeaderArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = resolve(dirname(process.execPath), '..');
  const hasHeaders = existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'));
  return hasHeaders ? [`--nodedir=${prefix}`] : [];
}

function runNodeGyp() {
  const gyp = findNodeGyp();
  const args = [...gyp.args, 'rebuild', '--jobs=max', ...nodeHeaderArgs()];
  if (verbose) console.log(`curvelab: ${gyp.command} ${args.join(' ')}  (in ${nativeDir})`);
  return new Promise((done) => {
    let output = '';
    const child = spawn(gyp.command, args, { cwd: nativeDir, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const collect = (stream) => (chunk) => {
      output += chunk;
      if (verbose) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', (error) => done({ ok: false, output, error: error.code === 'ENOENT' ? `${gyp.command} not found` : error.message }));
    child.on('close', (code) => done({ ok: code === 0, output }));
  });
}

function lastLines(text, n) {
  return text
    .trimEnd()
    .split('\n')
    .filter((line) => !/^gyp (info|ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok|\$npm_))/.test(line))
    .slice(-n)
    .map((line) => `    ${line}`)
    .join('\n');
}
