import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useLabSession } from './labSession.testkit';

/**
 * A run that another process writes into the served lab's database (`curvelab train --db` in a
 * terminal) appears in an open page and updates live to its end, without a reload: its row with steps/s,
 * ETA and latest loss while it trains, its experiment's progress, then `completed`. Screenshots in
 * e2e-artifacts/screenshots.
 */

const session = useLabSession();
let train: ChildProcess | null = null;
let trainOutput = '';
afterAll(async () => {
  if (train && train.exitCode === null) {
    const exited = new Promise((resolve) => train!.once('exit', resolve));
    train.kill('SIGKILL');
    await exited;
  }
});

describe('runs written by another process', () => {
  it('show up in an open page and update live until they finish', async () => {
    const page = session.page;
    await expect.poll(() => page.getByTestId('runs-filter').count(), { timeout: 30_000 }).toBe(1);
    // A mark on the page's window: still there at the end, so nothing reloaded the page.
    await page.evaluate(() => ((globalThis as unknown as { liveMark: number }).liveMark = 42));

    const args = ['train', '--db', join(session.lab.dir, 'lab.db'), '--dataset', 'mnist', '--arch', 'mlp', '--set', 'widths=16', '--optimizer', 'sgd'];
    args.push('--steps', '3000', '--batch-size', '32', '--train-size', '512', '--val-size', '128', '--backend', 'cpu', '--experiment', 'from a terminal');
    train = spawn(process.execPath, [join(import.meta.dirname, '../bin/curvelab.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    train.stdout!.on('data', (d: Buffer) => (trainOutput += d.toString()));
    train.stderr!.on('data', (d: Buffer) => (trainOutput += d.toString()));

    const row = page.locator('[data-testid="run-row"][data-status="running"]');
    await expect.poll(() => row.count(), { timeout: 60_000, message: trainOutput }).toBe(1);
    const pace = row.getByTestId('run-pace');
    // The pace appears with the run's first progress the lab reads from the other process (its journal
    // commits once a second, the lab polls twice a second). 3,000 steps keep the run training for several
    // of those; a 400-step run could end within one and never show a pace (CI failed so). Each read waits
    // briefly, so the poll retries.
    await expect.poll(() => pace.textContent({ timeout: 1_000 }).catch(() => '(no pace shown)'), { timeout: 60_000, message: trainOutput }).toMatch(/[\d.]+ steps\/s · ETA [\d.]+ (s|min) .*· loss \d/);
    const experiment = page.locator('[data-testid="experiment-row"]', { hasText: 'from a terminal' });
    await expect.poll(() => experiment.getByTestId('experiment-progress').textContent()).toMatch(/0\/1 done · ETA/);
    const done = Number(/(\d+)\/3000/.exec((await row.getByTestId('run-progress').locator('..').textContent()) ?? '')?.[1]);
    expect(done).toBeGreaterThan(0);
    await session.watched.screenshot('live-1-cli-run-running');

    await expect.poll(() => page.locator('[data-testid="run-row"][data-status="completed"]').count(), { timeout: 180_000, interval: 500, message: trainOutput }).toBe(1);
    await expect.poll(() => experiment.getByTestId('experiment-progress').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { liveMark?: number }).liveMark)).toBe(42);
    await session.watched.screenshot('live-2-cli-run-completed');
  });
});
