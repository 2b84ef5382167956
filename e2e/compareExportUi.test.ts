import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWatchedPage, type WatchedPage } from './browser.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * The Compare view from a link and its publication exports, in the dark theme: the view's settings
 * come from the URL and go back into it (a reload keeps them); a panel saves as SVG (opened in
 * Chromium: one path per drawn curve, on a white page), PDF and PNG 2×, named after runs, axis, series
 * and grouping. Screenshots in e2e-artifacts/screenshots.
 */

const session = useLabSession();
let dark: WatchedPage;
let runIds: number[] = [];

beforeAll(async () => {
  const db = join(session.lab.dir, 'lab.db');
  for (const optimizer of ['sgd', 'adam']) {
    const args = ['train', '--db', db, '--dataset', 'mnist', '--arch', 'mlp', '--set', 'widths=16', '--optimizer', optimizer, '--steps', '48'];
    args.push('--batch-size', '32', '--train-size', '512', '--val-size', '128', '--backend', 'cpu');
    const result = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/curvelab.js'), ...args], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  }
  runIds = [1, 2];
  dark = await openWatchedPage(session.browser, `${session.lab.url}#/compare?runs=${runIds.join(',')}&x=epoch&group=optimizer&smooth=0.3&future=1`, 'dark');
}, 240_000);
afterAll(async () => {
  await dark?.page.context().close();
});

const downloadOf = async (page: WatchedPage['page'], click: () => Promise<void>): Promise<{ name: string; file: string }> => {
  const downloading = page.waitForEvent('download');
  await click();
  const download = await downloading;
  const file = join(session.lab.dir, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file };
};

describe('the Compare view from a link, and its exports', () => {
  it('reads the view from the URL, writes changes back, and a reload keeps them', async () => {
    const page = dark.page;
    await expect.poll(() => page.locator('[data-testid="compare-panel"][data-series="loss"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('compare-x-axis').inputValue()).toBe('epoch');
    expect(await page.getByTestId('compare-group-by').inputValue()).toBe('optimizer');
    expect(await page.getByTestId('compare-smoothing').inputValue()).toBe('0.3');

    await page.getByTestId('compare-log-y').check();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/compare?runs=1,2&x=epoch&smooth=0.3&log=1&group=optimizer');
    const historyLength = await page.evaluate<number>('history.length');
    await page.reload();
    await expect.poll(() => page.getByTestId('compare-log-y').isChecked(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('compare-x-axis').inputValue()).toBe('epoch');
    expect(await page.evaluate<number>('history.length')).toBe(historyLength); // replaced in place, not pushed
    await page.getByTestId('compare-log-y').uncheck();

    // A zoom goes into the link too (once the view rests), and a reload opens at it.
    const lossChart = page.locator('[data-testid="compare-panel"][data-series="loss"] [data-testid="compare-chart"]');
    await lossChart.focus();
    await page.keyboard.press('+');
    await expect.poll(() => page.evaluate<string>('location.hash')).toMatch(/&zoom=[\d.]+_[\d.]+/);
    const zoomed = { min: Number(await lossChart.getAttribute('data-x-min')), max: Number(await lossChart.getAttribute('data-x-max')) };
    const [, min, max] = /zoom=([\d.]+)_([\d.]+)/.exec(await page.evaluate<string>('location.hash'))!;
    expect(Number(min)).toBeCloseTo(zoomed.min, 3);
    expect(Number(max)).toBeCloseTo(zoomed.max, 3);
    await page.reload();
    await expect.poll(async () => Number(await lossChart.getAttribute('data-x-min')), { timeout: 30_000 }).toBe(Number(min));
    expect(Number(await lossChart.getAttribute('data-x-max'))).toBe(Number(max));
    await lossChart.focus();
    await page.keyboard.press('0');
    await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/compare?runs=1,2&x=epoch&smooth=0.3&group=optimizer');
    await page.waitForTimeout(500);
    await dark.screenshot('export-1-compare-dark-from-link');
    expect(dark.errors).toEqual([]);
  });

  it('saves a panel as SVG that opens in Chromium with one path per drawn curve, on a white page', async () => {
    const panel = dark.page.locator('[data-testid="compare-panel"][data-series="loss"]');
    const { name, file } = await downloadOf(dark.page, () => panel.getByTestId('compare-panel-export-svg').click());
    expect(name).toBe('curvelab-runs-1-2-by-epoch-loss-per-optimizer.svg');
    const svg = readFileSync(file, 'utf8');

    const viewer = await session.browser.newPage();
    await viewer.goto(`file://${file}`);
    // Evaluated as text: the e2e project compiles without the DOM's types.
    const opened = await viewer.evaluate<{ root: string; paths: (string | null)[]; background: string | null; legend: (string | null)[] }>(`({
      root: document.documentElement.tagName,
      paths: [...document.querySelectorAll('path')].map((p) => p.getAttribute('data-dataset')),
      background: document.querySelector('rect')?.getAttribute('fill') ?? null,
      legend: [...document.querySelectorAll('text')].map((t) => t.textContent),
    })`);
    // Two groups, smoothed: each group's line and its faint raw curve.
    expect(opened.root).toBe('svg');
    expect(opened.paths).toHaveLength(4);
    for (const [optimizer, role] of [['adam', 'line'], ['adam', 'raw'], ['sgd', 'line'], ['sgd', 'raw']]) {
      expect(opened.paths.filter((p) => p?.includes(optimizer!) && p.endsWith(`|${role}`)), `${optimizer} ${role}`).toHaveLength(1);
    }
    expect(opened.background).toBe('#ffffff');
    expect(opened.legend.some((t) => /adam/.test(t ?? ''))).toBe(true);
    const parsed = await viewer.evaluate<boolean>(`new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml').querySelector('parsererror') === null`);
    expect(parsed).toBe(true);
    await viewer.screenshot({ path: join(import.meta.dirname, '..', 'e2e-artifacts', 'screenshots', 'export-2-svg-in-chromium.png') });
    await viewer.close();
  });

  it('saves a panel as PDF and as PNG at 2×', async () => {
    const panel = dark.page.locator('[data-testid="compare-panel"][data-series="loss"]');
    const png = await downloadOf(dark.page, () => panel.getByTestId('compare-panel-export-png-2x').click());
    expect(png.name).toBe('curvelab-runs-1-2-by-epoch-loss-per-optimizer-2x.png');
    const bytes = readFileSync(png.file);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1280); // IHDR width: 640 pt × 2
    // The page is white whatever the theme: the top-left pixel's colour is checked in the browser.
    const corner = await dark.page.evaluate<number[]>(`(async () => {
      const image = new Image();
      image.src = 'data:image/png;base64,${bytes.toString('base64')}';
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0);
      return [...ctx.getImageData(2, 2, 1, 1).data];
    })()`);
    expect(corner).toEqual([255, 255, 255, 255]);
    const pdf = await downloadOf(dark.page, () => panel.getByTestId('compare-panel-export-pdf').click());
    expect(pdf.name).toBe('curvelab-runs-1-2-by-epoch-loss-per-optimizer.pdf');
    expect(readFileSync(pdf.file, 'latin1').startsWith('%PDF-')).toBe(true);

    expect(dark.errors).toEqual([]);
  });
});
