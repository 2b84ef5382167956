// Makes sure the Electron binary is present before the desktop app starts. `npm install` does not fetch
// it (package.json's allowScripts keeps electron's download script from running at install, so that
// installs succeed on machines that cannot reach the download host); the first `npm start` fetches it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const present = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));

if (!present()) {
  process.stderr.write('Fetching the Electron binary (once) …\n');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0 || !present()) {
    process.stderr.write(
      '\nThe Electron binary could not be downloaded, so the desktop window cannot open on this machine.\n' +
        'Everything else works without it: train from the terminal with `npx curvelab train --help`.\n',
    );
    process.exit(1);
  }
}
