import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWatchedPage } from './browser.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * The lab UI end to end: Debian's Chromium (through Playwright) against the real `curvelab serve` on a
 * fresh database, driving the built renderer (out/renderer, made by `npm run build` before the tests).
 * The tests run in order and share one lab; each leaves a screenshot in e2e-artifacts/screenshots and
 * fails on any uncaught page error or console error.
 */

const session = useLabSession();
const byTestId = (id: string) => session.page.getByTestId(id);

describe('the lab UI in a browser', () => {
  it('shows the backend in the status bar and loads a small dataset with a preview', async () => {
    await expect.poll(() => byTestId('status-backend').textContent(), { timeout: 30_000 }).toContain('cpu');

    await byTestId('nav-datasets').click();
    await expect.poll(() => session.page.locator('[data-testid="dataset-row"]').count()).toBe(1); // the embedded mnist

    // A CSV of 40 points, label 1 when x > y, uploaded from the browser.
    const rows = Array.from({ length: 40 }, (_, i) => `${(i * 0.37) % 5},${(i * 0.71) % 5},${(i * 0.37) % 5 > (i * 0.71) % 5 ? 1 : 0}`);
    const csv = join(session.lab.dir, 'points.csv');
    writeFileSync(csv, ['x,y,label', ...rows].join('\n'));
    await byTestId('dataset-target').fill('label');
    await byTestId('dataset-upload').setInputFiles(csv);
    await expect.poll(() => session.page.locator('[data-testid="dataset-row"]').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => byTestId('dataset-preview').textContent()).toContain('label');

    // A bad file is refused in words, next to the file field, and nothing is added.
    const bad = join(session.lab.dir, 'bad.csv');
    writeFileSync(bad, 'x,y,label\n1,2\n');
    await byTestId('dataset-target').fill('label');
    await byTestId('dataset-upload').setInputFiles(bad);
    await expect.poll(() => byTestId('dataset-error').textContent(), { timeout: 30_000 }).toMatch(/^bad\.csv: line 2/);
    expect(await session.page.locator('[data-testid="dataset-row"]').count()).toBe(2);
    await session.watched.screenshot('1-datasets');
  });

  it('starts a sweep of two optimizers × two seeds on the embedded mnist and watches it finish', async () => {
    await byTestId('nav-new-run').click();
    await byTestId('new-run-arch').selectOption('mlp');
    await byTestId('new-run-arch-option-widths').fill('16');
    await expect.poll(() => byTestId('new-run-param-count').textContent(), { timeout: 30_000 }).toMatch(/12[,.\s]?730/);
    await byTestId('new-run-optimizer-sgd').check();
    await byTestId('new-run-optimizer-curveball').check();
    // An option value the lab refuses is marked beside its input with the lab's own words (checkRuns),
    // and goes away when the value is fixed.
    await byTestId('new-run-options-curveball').locator('summary').click();
    await byTestId('new-run-option-curveball-lambda').fill('-3');
    await expect
      .poll(() => byTestId('new-run-option-error-curveball-lambda').textContent(), { timeout: 10_000 })
      .toContain('curveball: option "lambda" must be ≥ 0, got -3');
    await session.watched.screenshot('2-new-run-refused-option');
    await byTestId('new-run-option-curveball-lambda').fill('');
    await expect.poll(() => byTestId('new-run-option-error-curveball-lambda').count(), { timeout: 10_000 }).toBe(0);
    await byTestId('new-run-seeds').fill('0, 1');
    await byTestId('new-run-batch-size').fill('32');
    await byTestId('new-run-steps').fill('20');
    await byTestId('new-run-bound-steps').check();
    await byTestId('new-run-experiment-name').fill('sgd vs curveball');
    await session.watched.screenshot('2-new-sweep');
    await byTestId('new-run-start').click();

    // The Runs screen shows the four runs and follows them live to the end.
    const runRows = session.page.locator('[data-testid="run-row"]');
    await expect.poll(() => runRows.count(), { timeout: 30_000 }).toBe(4);
    await expect
      .poll(() => session.page.locator('[data-testid="run-row"][data-status="completed"]').count(), { timeout: 180_000, interval: 500 })
      .toBe(4);
    await session.watched.screenshot('3-runs-finished');
  });

  it('compares the sweep grouped by optimizer with a band, on the passes axis', async () => {
    const experiment = session.page.locator('[data-testid="experiment-row"]', { hasText: 'sgd vs curveball' });
    await experiment.getByTestId('experiment-select').check();
    await byTestId('compare-selected').click();
    await expect.poll(() => session.page.locator('[data-testid="compare-panel"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    // CurveBall's traces that change get their own panels; λ, which stays 1 in every run of so short a
    // sweep, is a one-line note instead of a flat panel.
    for (const trace of ['rho', 'beta']) {
      expect(await session.page.locator(`[data-testid="compare-panel"][data-series="${trace}"]`).count(), trace).toBe(1);
    }
    expect(await session.page.locator('[data-testid="compare-panel"][data-series="lambda"]').count()).toBe(0);
    expect(await byTestId('compare-constant-notes').textContent()).toMatch(/lambda\)?: 1 throughout, in every curve/);
    await byTestId('compare-group-by').selectOption('optimizer');
    await byTestId('compare-band').check();
    await byTestId('compare-x-axis').selectOption('passes');
    expect(await byTestId('compare-x-axis').inputValue()).toBe('passes');
    await expect.poll(() => byTestId('compare-legend').textContent()).toMatch(/curveball/i);
    await session.page.waitForTimeout(500); // let the charts draw
    await session.watched.screenshot('4-compare-passes-grouped');
  });

  it('exports the experiment to an archive and imports it again after deleting it', async () => {
    await byTestId('nav-runs').click();
    const experiment = session.page.locator('[data-testid="experiment-row"]', { hasText: 'sgd vs curveball' });
    const downloading = session.page.waitForEvent('download');
    await experiment.getByTestId('export-experiment').click();
    const download = await downloading;
    const archive = join(session.lab.dir, download.suggestedFilename());
    await download.saveAs(archive);
    expect(download.suggestedFilename()).toMatch(/\.curvelab$/);
    expect(readFileSync(archive).subarray(0, 2).toString()).toBe('PK'); // a zip

    // Importing it while the experiment is there changes nothing.
    await byTestId('import-archive').setInputFiles(archive);
    await expect.poll(() => byTestId('import-result').textContent(), { timeout: 30_000 }).toMatch(/already imported/i);

    // Delete the experiment, then import it back: its four runs return, finished.
    await experiment.getByTestId('experiment-delete').click();
    await byTestId('experiment-delete-confirm').click();
    await expect.poll(() => session.page.locator('[data-testid="experiment-row"]', { hasText: 'sgd vs curveball' }).count()).toBe(0);
    await byTestId('import-archive').setInputFiles(archive);
    await expect.poll(() => byTestId('import-result').textContent(), { timeout: 30_000 }).toMatch(/imported 4 runs/i);
    await expect.poll(() => session.page.locator('[data-testid="run-row"][data-status="completed"]').count(), { timeout: 30_000 }).toBe(4);
    await session.watched.screenshot('5-imported');
  });

  it('runs two optimizers on Rosenbrock in the playground', async () => {
    await byTestId('nav-playground').click();
    await byTestId('playground-function').selectOption('rosenbrock');
    for (const name of ['sgd', 'momentum', 'adam', 'curveball', 'newton']) {
      const box = byTestId(`playground-optimizer-${name}`);
      if (name === 'sgd' || name === 'curveball') await box.check();
      else await box.uncheck();
    }
    await byTestId('playground-play').click();
    await expect.poll(() => byTestId('playground-step').inputValue(), { timeout: 30_000 }).toBe('200');
    const legend = byTestId('playground-legend');
    expect(await legend.locator('[data-optimizer]').count()).toBe(2);
    await session.watched.screenshot('6-playground-rosenbrock');
  });

  it('is readable in the dark theme', async () => {
    const dark = await openWatchedPage(session.browser, session.lab.url, 'dark');
    await dark.page.getByTestId('nav-runs').click();
    await expect.poll(() => dark.page.locator('[data-testid="run-row"]').count(), { timeout: 30_000 }).toBe(4);
    const background = String(await dark.page.evaluate('getComputedStyle(document.body).backgroundColor'));
    // A dark background: every channel below half.
    const channels = background.match(/\d+/g)!.slice(0, 3).map(Number);
    expect(channels.every((c: number) => c < 128), background).toBe(true);
    await dark.screenshot('7-runs-dark');
    expect(dark.errors).toEqual([]);
    await dark.page.context().close();
  });
});
