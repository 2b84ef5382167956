import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWatchedPage, type WatchedPage } from './browser.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * Honest groups and hyperparameters in a browser, on eight tiny runs started over HTTP (two
 * architectures × two optimizers × two seeds): grouping by optimizer alone warns that each group mixes
 * architectures; grouping by architecture and optimizer gives four clean groups; an SD band with the run
 * count behind each group; the Runs table narrowed by a filter expression (and a mistaken one reported),
 * a hyperparameter column, the config diff of two selected runs, and the leaderboard. Light and dark
 * screenshots in e2e-artifacts/screenshots.
 */

const session = useLabSession();
let dark: WatchedPage;
let runIds: number[] = [];

/** A Lab API call over HTTP, as the UI makes it. */
const call = (method: string, payload: unknown): Promise<unknown> => session.lab.call(method, payload);

beforeAll(async () => {
  for (const [arch, archOptions] of [
    ['linear', {}],
    ['mlp', { widths: '16' }],
  ] as const) {
    const started = (await call('startRuns', {
      experimentName: `groups ${arch}`,
      base: { dataset: 'mnist', arch, archOptions, steps: 40, batchSize: 32, trainSize: 256, valSize: 64 },
      optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'adam' }],
      seeds: [0, 1],
    })) as { runs: { id: number }[] };
    runIds.push(...started.runs.map((r) => r.id));
  }
  // expect.poll only runs inside a test: wait for the eight runs by hand.
  const deadline = Date.now() + 180_000;
  let statuses: string[] = [];
  while (Date.now() < deadline) {
    statuses = ((await call('listRuns', {})) as { status: string }[]).map((r) => r.status);
    if (statuses.length === 8 && statuses.every((s) => s !== 'queued' && s !== 'running')) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  expect(statuses).toEqual(Array(8).fill('completed'));
  runIds = [...runIds].sort((a, b) => a - b);
  dark = await openWatchedPage(session.browser, `${session.lab.url}#/compare?runs=${runIds.join(',')}&group=keys:arch,optimizer&smooth=0`, 'dark');
}, 240_000);
afterAll(async () => {
  await dark?.page.context().close();
});

const legendNames = (page: WatchedPage['page']) => page.getByTestId('compare-legend-entry').locator('.name').allTextContents();

describe('groups that tell the truth', () => {
  it('grouping by optimizer alone warns that each group mixes architectures', async () => {
    const page = session.page;
    await page.goto(`${session.lab.url}#/compare?runs=${runIds.join(',')}&smooth=0`);
    await expect.poll(() => page.locator('[data-testid="compare-panel"][data-series="loss"]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('compare-group-by').selectOption('optimizer');
    await expect.poll(() => legendNames(page)).toEqual(['sgd', 'adam']);
    const warning = page.getByTestId('compare-mixed-warning');
    await expect.poll(() => warning.textContent()).toContain('arch (linear, mlp)');
    // Each names what it pools besides seeds: the architectures first (and the mlp's widths with them).
    const mixed = await page.getByTestId('compare-legend-mixed').allTextContents();
    expect(mixed).toHaveLength(2);
    for (const text of mixed) expect(text).toMatch(/^⚠ mixes arch \(linear, mlp\), widths \(default, 16\)$/);
    await page.waitForTimeout(300);
    await session.watched.screenshot('groups-1-mixed-warning-light');
  });

  it('grouping by architecture and optimizer: four groups, no warning; an SD band with n=2 behind each', async () => {
    const page = session.page;
    await page.locator('[data-testid="compare-group-key"][value="arch"]').check();
    await expect.poll(() => legendNames(page)).toEqual(['sgd arch=linear', 'adam arch=linear', 'sgd arch=mlp', 'adam arch=mlp']);
    expect(await page.getByTestId('compare-mixed-warning').count()).toBe(0);
    // Architecture alone pools the optimizers: a warning again, naming them (and sgd's lr).
    await page.locator('[data-testid="compare-group-key"][value="optimizer"]').uncheck();
    await expect.poll(() => legendNames(page)).toEqual(['arch=linear', 'arch=mlp']);
    await expect.poll(() => page.getByTestId('compare-mixed-warning').textContent()).toContain('optimizer (sgd, adam), lr (0.1, default)');
    await page.locator('[data-testid="compare-group-key"][value="optimizer"]').check();

    await page.getByTestId('compare-band-kind').selectOption('sd');
    await expect.poll(() => page.getByTestId('compare-legend-counts').allTextContents()).toEqual(['n=2', 'n=2', 'n=2', 'n=2']);
    await page.waitForTimeout(300);
    await session.watched.screenshot('groups-2-sd-band-light');
  });

  it('the same in the dark theme, from a link', async () => {
    const page = dark.page;
    await expect.poll(() => legendNames(page), { timeout: 30_000 }).toEqual(['arch=linear sgd', 'arch=linear adam', 'arch=mlp sgd', 'arch=mlp adam']);
    await page.getByTestId('compare-band-kind').selectOption('ci95');
    await expect.poll(() => page.getByTestId('compare-legend-counts').allTextContents()).toEqual(['n=2', 'n=2', 'n=2', 'n=2']);
    await page.getByTestId('compare-group-by').selectOption('optimizer');
    await expect.poll(() => page.getByTestId('compare-mixed-warning').count()).toBe(1);
    await page.waitForTimeout(300);
    await dark.screenshot('groups-3-mixed-warning-dark');
    expect(dark.errors).toEqual([]);
  });
});

describe('hyperparameters on the Runs screen', () => {
  it('a filter expression narrows the table; a mistake is shown inline, not thrown', async () => {
    const page = session.page;
    await page.goto(`${session.lab.url}#/runs`);
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(8);
    await page.getByTestId('runs-filter').fill('optimizer=sgd lr>0.05 status=completed');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(4);
    await page.getByTestId('runs-filter').fill('optimizer=adam arch=mlp');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    expect(await page.getByTestId('runs-filter-error').count()).toBe(0);
    await page.getByTestId('runs-filter').fill('optimizer=adam arch=mlp lr>abc');
    await expect.poll(() => page.getByTestId('runs-filter-error').textContent()).toContain('“lr>abc”: > needs a number, got “abc”');
    expect(await page.getByTestId('run-row').count()).toBe(2);
    await session.watched.screenshot('groups-4-filter-light');
  });

  it('a chosen hyperparameter column, and the config diff of two selected runs showing only what differs', async () => {
    const page = session.page;
    await page.getByTestId('runs-filter').fill('');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(8);
    await page.locator('[data-testid="runs-columns"] summary').click();
    await page.locator('[data-testid="runs-column"][value="opt.lr"]').check();
    await page.locator('[data-testid="runs-columns"] summary').click();
    await expect.poll(() => page.locator('[data-testid="run-param"][data-key="opt.lr"]').allTextContents()).toContain('0.1');

    // The linear sgd seed 0 run and the mlp adam seed 1 run.
    const [linearSgd0, mlpAdam1] = [runIds[0]!, runIds[7]!];
    for (const id of [linearSgd0, mlpAdam1]) await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-select"]`).check();
    await page.getByTestId('diff-selected').click();
    const rows = page.getByTestId('config-diff-row');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(['optimizer', 'arch', 'arch.widths', 'opt.lr', 'seed']);
    expect(await page.locator('[data-testid="config-diff-row"][data-key="arch"] td').allTextContents()).toEqual(['linear', 'mlp']);
    expect(await page.locator('[data-testid="config-diff-row"][data-key="opt.lr"] td').allTextContents()).toEqual(['0.1', 'default']);
    await session.watched.screenshot('groups-5-config-diff-light');
  });

  it('the leaderboard ranks every run across both experiments by best validation error', async () => {
    const page = session.page;
    await page.getByTestId('runs-view-leaderboard').check();
    await expect.poll(() => page.getByTestId('run-rank').allTextContents()).toEqual(['1.', '2.', '3.', '4.', '5.', '6.', '7.', '8.']);
    const order = await page.locator('[data-testid="leaderboard"] [data-testid="run-row"]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-id'))));
    // The lab's own numbers: best accuracy highest first (lowest error), ties by id.
    const runs = (await call('listRuns', {})) as { id: number; bestValAccuracy: number }[];
    expect(order).toEqual([...runs].sort((a, b) => b.bestValAccuracy - a.bestValAccuracy || a.id - b.id).map((r) => r.id));
    await session.watched.screenshot('groups-6-leaderboard-light');
  });

  it('the Runs screen with the diff and a filter in the dark theme', async () => {
    const page = dark.page;
    await page.goto(`${session.lab.url}#/runs`);
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(8);
    await page.getByTestId('runs-filter').fill('arch=linear seed=0 lr>>1');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('runs-filter-error').count()).toBe(1);
    for (const i of [0, 1]) await page.getByTestId('run-select').nth(i).check();
    await page.getByTestId('diff-selected').click();
    await expect.poll(() => page.getByTestId('config-diff-row').count()).toBeGreaterThan(0);
    await dark.screenshot('groups-7-runs-dark');
    expect(dark.errors).toEqual([]);
  });
});
