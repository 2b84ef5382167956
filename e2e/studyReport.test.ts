import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStudyHtml } from '../src-main/lab/studies/report/renderStudyHtml';
import { syntheticStudy } from '../src-main/lab/studies/report/studyFixtures.testkit';
import { buildStudyReport } from '../src-main/lab/studies/report/studyReport';
import { launchBrowser, openWatchedPage } from './browser.testkit';

/**
 * The study report's HTML file opened from disk in Debian's Chromium (through Playwright), as a user
 * opens a report they were sent: no page or console errors (its Content-Security-Policy would report
 * anything it tried to load), the table and the inline SVG plots there. Leaves a full-page screenshot
 * in e2e-artifacts/screenshots.
 */

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'curvelab-study-report-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the study report in a browser', () => {
  it('opens offline without errors and shows the table and the plots', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderStudyHtml(buildStudyReport(syntheticStudy())));
    const watched = await openWatchedPage(browser, pathToFileURL(file).href);
    const { page } = watched;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.reload();

    const table = page.getByTestId('study-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect(await table.locator('td.best').count()).toBe(4);
    expect(await table.locator('tbody tr').first().textContent()).toContain('paper (CIFAR-10): 14.1 / 19.9');
    // Three performance profiles and two plots per architecture, each laid out with a real size.
    const plots = page.locator('svg.plot');
    expect(await plots.count()).toBe(3 + 2 * 4);
    for (const plot of await plots.all()) {
      const box = await plot.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(250);
      expect(await plot.locator('path.series').count()).toBeGreaterThan(0);
    }
    expect(requests.filter((url) => url !== pathToFileURL(file).href)).toEqual([]);
    await watched.screenshot('study-report');
    expect(watched.errors).toEqual([]);
  });
});
