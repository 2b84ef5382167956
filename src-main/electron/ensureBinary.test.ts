import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const VERSION = '39.8.10';
let root: string;

/**
 * ensureBinary.mjs copied into a folder whose node_modules/electron is a stand-in: its install.js (the
 * downloader) prints what Electron's prints when it fails, a stack trace included, and records its run.
 */
function setUp(installerError: string | null): void {
  const electron = join(root, 'node_modules', 'electron');
  mkdirSync(electron, { recursive: true });
  mkdirSync(join(root, 'src-main', 'electron'), { recursive: true });
  copyFileSync(join(import.meta.dirname, 'ensureBinary.mjs'), join(root, 'src-main', 'electron', 'ensureBinary.mjs'));
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: VERSION }));
  const fail = installerError === null ? '' : `process.stderr.write(${JSON.stringify(`${installerError}\n    at ClientRequest.<anonymous> (got/index.js:970:111)\n    at emitErrorEvent (node:_http_client:101:11)\n`)}); process.exit(1);`;
  writeFileSync(join(electron, 'install.js'), `require('fs').writeFileSync(${JSON.stringify(join(root, 'installer-ran'))}, ''); ${fail}`);
}

function ensureBinary(): { status: number | null; stderr: string } {
  const env = { ...process.env, electron_config_cache: join(root, 'cache') };
  return spawnSync(process.execPath, [join(root, 'src-main', 'electron', 'ensureBinary.mjs')], { encoding: 'utf8', env });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'curvelab-ensure-electron-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('ensureBinary.mjs', () => {
  it('says in plain words that the download host is unreachable, how to get Electron otherwise, and that npm run web works, without a stack trace', () => {
    setUp('RequestError: getaddrinfo ENOTFOUND github.com');
    const { status, stderr } = ensureBinary();
    expect(status).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toContain(`The Electron binary (Electron ${VERSION}) could not be downloaded: this machine cannot reach the download host (RequestError: getaddrinfo ENOTFOUND github.com).`);
    expect(stderr).toContain('ELECTRON_MIRROR=');
    // @electron/get looks for the zip in the cache folder, under the SHA-256 of the release's download URL folder.
    const releaseHash = createHash('sha256').update(`https://github.com/electron/electron/releases/download/v${VERSION}`).digest('hex');
    expect(stderr).toContain(`electron-v${VERSION}-${process.platform}-${process.arch}.zip`);
    expect(stderr).toContain(join(root, 'cache', releaseHash));
    expect(stderr).toContain('`npm run web` serves the same UI to a web browser');
  });

  it('names another failure as it is, without calling it a network problem', () => {
    setUp('HTTPError: Response code 404 (Not Found) for https://mirror.example/v39.8.10/electron.zip');
    const { status, stderr } = ensureBinary();
    expect(status).toBe(1);
    expect(stderr).toContain('could not be downloaded or installed (HTTPError: Response code 404 (Not Found) for https://mirror.example/v39.8.10/electron.zip)');
    expect(stderr).not.toContain('cannot reach');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('does nothing when the binary is there', () => {
    setUp('RequestError: getaddrinfo ENOTFOUND github.com');
    const electron = join(root, 'node_modules', 'electron');
    writeFileSync(join(electron, 'path.txt'), 'electron');
    mkdirSync(join(electron, 'dist'));
    writeFileSync(join(electron, 'dist', 'electron'), '');
    expect(ensureBinary()).toMatchObject({ status: 0, stderr: '' });
    expect(existsSync(join(root, 'installer-ran'))).toBe(false);
  });
});
