import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The desktop shell: the built app opens one locked-down window on the renderer, and the page reaches
 * the lab through the preload bridge. Needs the Electron binary, which machines that cannot download it
 * lack: there the test says so and skips.
 */
function electronBinary(): string | null {
  try {
    // In Node, the electron package exports the path of its binary (and throws if it was never fetched).
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.warn('SKIPPED e2e/electronWindow.test.ts: the Electron binary is not installed (`npm start` fetches it).');
}

describe.skipIf(!binary)('Electron window', () => {
  const main = fileURLToPath(new URL('../out/main/index.js', import.meta.url));
  let dataDir: string;

  beforeAll(() => {
    // The main process loads better-sqlite3's Electron build; this builds it unless it is current.
    const build = spawnSync(process.execPath, [fileURLToPath(new URL('../src-main/electron/buildSqliteForElectron.mjs', import.meta.url))], {
      stdio: 'inherit',
    });
    expect(build.status, 'better-sqlite3 must build for Electron (see the message above)').toBe(0);
    dataDir = mkdtempSync(join(tmpdir(), 'curvelab-electron-e2e-'));
  }, 600_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens the app on a database of its own, so the user's lab is never touched. */
  async function launch() {
    const { ELECTRON_RENDERER_URL: _devServer, ...env } = process.env;
    return electron.launch({
      executablePath: binary!,
      args: [main],
      env: { ...(env as Record<string, string>), CURVELAB_DB: join(dataDir, 'lab.db') },
    });
  }

  it('opens the renderer with context isolation and no Node in the page', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      await expect.poll(() => page.textContent('h1')).toBe('CurveLab');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => (globalThis as { curvelab?: { transport: string } }).curvelab?.transport)).toBe('electron');
      expect(await page.evaluate(() => typeof (globalThis as { curvelab?: { ipcRenderer?: unknown } }).curvelab?.ipcRenderer)).toBe('undefined');
      // From the app's own scheme, not file://; no new window, no navigation away.
      expect(page.url()).toMatch(/^app:\/\/curvelab\/index\.html/);
      type Browser = { open(url: string): unknown; location: { href: string } };
      expect(await page.evaluate(() => (globalThis as unknown as Browser).open('https://example.com/') === null)).toBe(true);
      await page.evaluate(() => void ((globalThis as unknown as Browser).location.href = 'https://example.com/'));
      await page.waitForTimeout(500);
      expect(app.windows()).toHaveLength(1);
      expect(page.url()).toMatch(/^app:\/\/curvelab\//);
    } finally {
      await app.close();
    }
  });

  it('calls the Lab API from the page through window.curvelab', async () => {
    const app = await launch();
    try {
      const page = await app.firstWindow();
      type Envelope = { ok: boolean; value?: { name: string }[]; error?: { code: string; field?: string } };
      type Page = { curvelab: { lab: Record<string, (payload?: unknown) => Promise<Envelope>> } };
      const optimizers = await page.evaluate(() => (globalThis as unknown as Page).curvelab.lab['listOptimizers']!());
      expect(optimizers.ok).toBe(true);
      expect(optimizers.value!.map((o) => o.name)).toEqual(expect.arrayContaining(['sgd', 'adam', 'curveball']));
      // A malformed payload comes back as a typed error, not a crash.
      const invalid = await page.evaluate(() => (globalThis as unknown as Page).curvelab.lab['getRun']!({ id: 'one' }));
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request', field: 'id' } });
    } finally {
      await app.close();
    }
  });
});
