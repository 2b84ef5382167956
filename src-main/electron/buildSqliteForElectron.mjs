// Builds a second copy of better-sqlite3's native addon for the installed Electron, beside the Node build
// that `npm install` made (which the CLI, `curvelab serve` and the tests load). Electron's ABI differs from
// Node's, so one .node file cannot serve both: the Electron main process loads this one through
// better-sqlite3's `nativeBinding` option. Runs before `npm start` / `npm run dev`; skips when the build
// there is current. Needs a C++ toolchain, Python, and Electron's headers (downloaded from
// electronjs.org once, or given offline with npm_config_nodedir=<extracted headers>).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBindingPath, electronSqliteDir, electronSqliteRecordPath, parseBuildRecord, sqliteRebuildReason } from './electronSqliteBinding.mjs';

const require = createRequire(import.meta.url);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronVersion = require('electron/package.json').version;
const packageJson = require.resolve('better-sqlite3/package.json');
const packageDir = dirname(packageJson);
const betterSqlite3Version = require('better-sqlite3/package.json').version;
const bindingPath = electronSqliteBindingPath(projectRoot);
const recordPath = electronSqliteRecordPath(projectRoot);

/** A failure with a message for the user; the script cleans up, prints it and exits 1. */
class BuildFailure extends Error {}

function explain(message) {
  return (
    `\nCould not build better-sqlite3 for Electron ${electronVersion}: ${message}\n` +
    'The desktop window needs this build; the CLI, `curvelab serve` and the tests do not (they use the Node build).\n' +
    "It needs a C++ toolchain, Python 3, and Electron's headers, which node-gyp downloads from https://electronjs.org/headers.\n" +
    `Offline: extract node-v${electronVersion}-headers.tar.gz (from that site) somewhere, set npm_config_nodedir to its\n` +
    'node_headers folder, and run `node src-main/electron/buildSqliteForElectron.mjs` again.\n'
  );
}

/** npm hands its own node-gyp to scripts it runs; otherwise look for one installed locally or beside npm. */
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

const reason = sqliteRebuildReason({
  bindingMtimeMs: existsSync(bindingPath) ? statSync(bindingPath).mtimeMs : null,
  packageMtimeMs: statSync(packageJson).mtimeMs,
  record: parseBuildRecord(existsSync(recordPath) ? readFileSync(recordPath, 'utf8') : null),
  electronVersion,
  betterSqlite3Version,
  arch: process.arch,
});
if (reason === null) process.exit(0);

const nodeGyp = findNodeGyp();
if (nodeGyp === null) {
  process.stderr.write(explain('node-gyp was not found (it comes with npm; run this through `npm start`).'));
  process.exit(1);
}

process.stderr.write(`Building better-sqlite3 ${betterSqlite3Version} for Electron ${electronVersion} (${reason}); this takes a minute, once …\n`);

// Build in a temporary copy so that the Node build in node_modules/better-sqlite3/build stays intact.
const work = mkdtempSync(join(tmpdir(), 'curvelab-sqlite-electron-'));
try {
  const source = join(work, 'better-sqlite3');
  cpSync(packageDir, source, {
    recursive: true,
    filter: (path) => {
      const inside = relative(packageDir, path).split(/[\\/]/)[0];
      return inside !== 'build' && inside !== 'node_modules';
    },
  });
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      // Electron's headers get their own cache, apart from Node's.
      `--devdir=${join(homedir(), '.cache', 'curvelab-electron-gyp')}`,
    ],
    { cwd: source, stdio: 'inherit' },
  );
  if (result.error) throw new BuildFailure(`node-gyp could not be started (${result.error.message}).`);
  if (result.status !== 0) throw new BuildFailure(`node-gyp exited with status ${result.status} (its output is above).`);
  const built = join(source, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new BuildFailure(`node-gyp finished but ${built} is missing.`);

  // Write beside the final names, then rename: an interrupted build never leaves a half-written addon
  // that a later run would take for current (the record goes last, so it only ever describes a whole file).
  mkdirSync(electronSqliteDir(projectRoot), { recursive: true });
  copyFileSync(built, `${bindingPath}.partial`);
  renameSync(`${bindingPath}.partial`, bindingPath);
  writeFileSync(`${recordPath}.partial`, `${JSON.stringify({ electron: electronVersion, betterSqlite3: betterSqlite3Version, arch: process.arch })}\n`);
  renameSync(`${recordPath}.partial`, recordPath);
  process.stderr.write(`Built ${relative(projectRoot, bindingPath)}\n`);
} catch (error) {
  if (!(error instanceof BuildFailure)) throw error;
  process.stderr.write(explain(error.message));
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
