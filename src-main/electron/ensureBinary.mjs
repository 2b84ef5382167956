// Makes sure the Electron binary is present before the desktop app starts. `npm install` does not fetch
// it (package.json's allowScripts keeps electron's download script from running at install, so that
// installs succeed on machines that cannot reach the download host); the first `npm start` fetches it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const version = require('electron/package.json').version;
const pathFile = join(electronDir, 'path.txt');
const present = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));

if (!present()) {
  process.stderr.write(`Fetching the Electron binary (once, about 100 MB) …\n`);
  // Electron's installer prints a stack trace when it fails: keep its output and say what it means instead.
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0 || !present()) {
    process.stderr.write(`\n${whyNoElectron(result.error?.message ?? result.stderr ?? '')}\n`);
    process.exit(1);
  }
}

/** The failure in plain words: what went wrong, how to get Electron another way, and what works without it. */
function whyNoElectron(output) {
  const reason = output.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'no message';
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up/.test(output);
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  const what = offline
    ? `The Electron binary (Electron ${version}) could not be downloaded: this machine cannot reach the download host (${reason}).`
    : `The Electron binary (Electron ${version}) could not be downloaded or installed (${reason}).`;
  return [
    what,
    'The desktop window needs it. Either',
    '  - run `npm start` again once the network is back,',
    '  - download it from a mirror: ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '    (behind a proxy, add ELECTRON_GET_USE_PROXY=1 GLOBAL_AGENT_HTTPS_PROXY=http://HOST:PORT),',
    `  - or put ${zip} (from https://github.com/electron/electron/releases/tag/v${version})`,
    `    into ${cacheFolder()}/ and run \`npm start\` again.`,
    'Meanwhile `npm run web` serves the same UI to a web browser.',
  ].join('\n');
}

/**
 * Where Electron's downloader (@electron/get) looks for the zip before downloading it: the cache folder
 * (electron_config_cache, else the user's cache folder), in a subfolder named by the SHA-256 of the
 * release's download folder.
 */
function cacheFolder() {
  const root =
    process.env.electron_config_cache ??
    (process.platform === 'darwin'
      ? join(homedir(), 'Library', 'Caches', 'electron')
      : process.platform === 'win32'
        ? join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache')
        : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron'));
  const releaseFolder = `https://github.com/electron/electron/releases/download/v${version}`;
  return join(root, createHash('sha256').update(releaseFolder).digest('hex'));
}
