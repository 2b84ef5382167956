import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright';
import { describe, expect, it } from 'vitest';

/**
 * The desktop shell: the built app opens one locked-down window on the renderer. Needs the Electron
 * binary, which machines that cannot download it lack: there the test says so and skips.
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
  it('opens the renderer with context isolation and no Node in the page', async () => {
    const main = fileURLToPath(new URL('../out/main/index.js', import.meta.url));
    const app = await electron.launch({ executablePath: binary!, args: [main] });
    try {
      const page = await app.firstWindow();
      await expect.poll(() => page.textContent('h1')).toBe('CurveLab');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => (globalThis as { curvelab?: { transport: string } }).curvelab?.transport)).toBe('electron');
    } finally {
      await app.close();
    }
  });
});
