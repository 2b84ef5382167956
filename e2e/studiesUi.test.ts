import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request } from 'playwright';
import { describe, expect, it } from 'vitest';
import { openWatchedPage } from './browser.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * The Studies screen end to end: Debian's Chromium (through Playwright) against the real `curvelab serve`
 * on a fresh database, driving the built renderer (out/renderer, made by `npm run build` first). A small
 * study from a JSON spec on the embedded MNIST (linear and mlp × sgd, curveball and an sgd whose learning
 * rate makes it diverge × two seeds) is refused while wrong, started, followed to its end, read (cells,
 * the diverged runs, the report in its sandboxed frame, downloads) and one cell opened in Compare. The tests run in order on one lab, leave screenshots in
 * e2e-artifacts/screenshots and fail on any uncaught page error or console error (the report's frame
 * included).
 */

const session = useLabSession();
const byTestId = (id: string) => session.page.getByTestId(id);

const spec = {
  name: 'e2e study',
  dataset: 'mnist',
  trainSize: 512,
  valSize: 256,
  architectures: [{ preset: 'linear' }, { preset: 'mlp', options: { widths: '16' } }],
  // lr 1000 sends the loss far past 1,000 × its first value: diverged, a failure the screen must show.
  optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }, { label: 'sgd lr 1000', name: 'sgd', options: { lr: 1000 } }],
  seeds: [0, 1],
  budget: { steps: 25 },
  batchSize: 32,
};

/** The study's row in the list. */
const studyRow = () => session.page.locator('[data-testid="study-row"]', { hasText: 'e2e study' });

describe('the Studies screen in a browser', () => {
  it('marks what the lab refuses in a JSON spec, then counts the runs of a good one', async () => {
    await expect.poll(() => byTestId('status-backend').textContent(), { timeout: 30_000 }).toContain('cpu');
    await byTestId('nav-studies').click();
    await expect.poll(() => byTestId('study-built-in').locator('option').count(), { timeout: 30_000 }).toBe(2);
    // The built-in seed table at its tiny scale on the embedded MNIST: the lab counts its runs.
    await expect.poll(() => byTestId('study-verdict').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    expect(await byTestId('study-run-count').textContent()).toMatch(/^\d+ runs$/);

    await byTestId('study-source-json').check();
    await byTestId('study-spec-json').fill(JSON.stringify({ ...spec, optimizers: [{ name: 'sgd', options: { lr: -1 } }, ...spec.optimizers.slice(1)] }, null, 2));
    await expect.poll(() => byTestId('study-spec-issues').textContent(), { timeout: 30_000 }).toContain('optimizers.0.options.lr');
    expect(await byTestId('study-verdict').getAttribute('data-status')).toBe('refused');
    await session.watched.screenshot('studies-1-refused-spec');

    await byTestId('study-spec-json').fill('{ "dataset": ');
    await expect.poll(() => byTestId('study-spec-issues').textContent()).toContain('Not valid JSON');

    await byTestId('study-spec-json').fill(JSON.stringify(spec, null, 2));
    await expect.poll(() => byTestId('study-run-count').textContent(), { timeout: 30_000 }).toBe('12 runs');
    expect(await byTestId('study-verdict').textContent()).toContain('2 architectures × 3 optimizer settings × 2 seeds');
    expect(await byTestId('study-spec-issues').count()).toBe(0);
    await session.watched.screenshot('studies-2-spec-ready');
  });

  it('starts the study and follows it to its end, the diverged runs counted and named', async () => {
    const reportCalls: string[] = [];
    const recordReportCall = (request: Request) => {
      if (new URL(request.url()).pathname === '/api/studyReport') reportCalls.push(request.postData() ?? '');
    };
    session.page.on('request', recordReportCall);
    await byTestId('study-start').click();
    await expect.poll(() => studyRow().count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => byTestId('study-detail').textContent(), { timeout: 30_000 }).toContain('e2e study');
    await expect.poll(() => byTestId('study-cells').locator('[data-testid="study-cell"]').count(), { timeout: 30_000 }).toBe(6);
    await expect.poll(() => session.page.locator('[data-testid="study-report-frame"]').count(), { timeout: 30_000 }).toBe(1);
    session.page.off('request', recordReportCall);
    // Started, then opened once: one report built. The end of the study fetches it once more, so on a
    // machine slow enough that the study ended by now a second call is allowed.
    const endedAlready = (await studyRow().getAttribute('data-finished')) === 'true';
    expect(reportCalls.map((body) => JSON.parse(body).format).every((format) => format === 'html')).toBe(true);
    expect(reportCalls.length).toBeGreaterThanOrEqual(1);
    expect(reportCalls.length).toBeLessThanOrEqual(endedAlready ? 2 : 1);
    await session.watched.screenshot('studies-3-going');

    await expect.poll(() => studyRow().getAttribute('data-finished'), { timeout: 400_000, interval: 1000 }).toBe('true');
    expect(await studyRow().getByTestId('study-status-counts').textContent()).toBe('8 completed · 4 diverged');
    expect(await studyRow().getByTestId('study-failure-count').textContent()).toContain('4 failed or diverged');
    await expect.poll(() => byTestId('study-progress').getAttribute('data-finished'), { timeout: 30_000 }).toBe('true');
    for (const cell of await session.page.locator('[data-testid="study-cell"]').all()) {
      const text = await cell.textContent();
      if ((await cell.getAttribute('data-optimizer')) === 'sgd lr 1000') expect(text).toContain('2 diverged');
      else expect(text).toContain('2 completed');
    }
    const failures = byTestId('study-failures').locator('li');
    expect(await failures.count()).toBe(4);
    for (const failure of await failures.all()) expect(await failure.textContent()).toMatch(/× sgd lr 1000, seed [01]: diverged — /);
    await session.page.locator('#study-detail-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await session.watched.screenshot('studies-4-finished');
  });

  it("shows the finished study's report in its frame and downloads it as Markdown and CSV", async () => {
    const report = session.page.frameLocator('[data-testid="study-report-frame"]');
    const table = report.getByTestId('study-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect(await table.locator('thead').textContent()).toMatch(/sgd[\s\S]*curveball[\s\S]*sgd lr 1000/);
    // Once finished, every row has results (train / validation error %).
    for (const row of await table.locator('tbody tr').all()) expect(await row.textContent()).toMatch(/\d+\.\d+ \/ \d+\.\d+/);
    await byTestId('study-report-frame').scrollIntoViewIfNeeded();
    await session.watched.screenshot('studies-5-report');

    for (const [format, extension, content] of [
      ['markdown', /\.md$/, /\|/],
      ['csv', /\.csv$/, /,/],
      ['html', /\.html$/, /<table/],
    ] as const) {
      const downloading = session.page.waitForEvent('download');
      await byTestId(`study-download-${format}`).click();
      const download = await downloading;
      expect(download.suggestedFilename(), format).toMatch(extension);
      const file = join(session.lab.dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(readFileSync(file, 'utf8'), format).toMatch(content);
    }
  });

  it("opens one cell in Compare with exactly that cell's runs", async () => {
    const cell = session.page.locator('[data-testid="study-cell"][data-optimizer="curveball"][data-architecture*="mlp"]');
    const runIds = (await cell.getAttribute('data-run-ids'))!.split(',');
    expect(runIds).toHaveLength(2);
    await cell.focus();
    await session.page.keyboard.press('Enter');
    await expect.poll(() => new URL(session.page.url()).hash).toBe(`#/compare?runs=${runIds.join(',')}`);
    await expect.poll(() => byTestId('compare-legend').locator('li').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => byTestId('compare-legend').textContent()).toMatch(/curveball/i);
    await expect.poll(() => session.page.locator('[data-testid="compare-panel"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await session.page.waitForTimeout(500); // let the charts draw
    await session.watched.screenshot('studies-6-cell-in-compare');

    // Back on Studies, the study is still open where it was left.
    await byTestId('nav-studies').click();
    await expect.poll(() => byTestId('study-detail').textContent()).toContain('e2e study');
  });

  it('is readable in the dark theme', async () => {
    const dark = await openWatchedPage(session.browser, session.lab.url, 'dark');
    await dark.page.getByTestId('nav-studies').click();
    await dark.page.locator('[data-testid="study-row"]', { hasText: 'e2e study' }).getByTestId('study-open').click();
    await expect.poll(() => dark.page.frameLocator('[data-testid="study-report-frame"]').getByTestId('study-table').count(), { timeout: 30_000 }).toBe(1);
    const background = String(await dark.page.evaluate('getComputedStyle(document.body).backgroundColor'));
    const channels = background.match(/\d+/g)!.slice(0, 3).map(Number);
    expect(channels.every((c: number) => c < 128), background).toBe(true);
    await dark.screenshot('studies-7-dark');
    expect(dark.errors).toEqual([]);
    await dark.page.context().close();
  });
});
