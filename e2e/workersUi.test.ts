import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../src-main/lab/queue/redisServer.testkit';
import { useLabSession } from './labSession.testkit';

/**
 * A lab on a Redis queue in a browser: the real `curvelab serve --redis` and a real `curvelab worker`
 * on a redis-server of the test's own. The status bar says where runs train, the Workers panel lists
 * the worker with the run it trains, and the run's detail says which worker took it. Screenshots in
 * e2e-artifacts/screenshots.
 */

let redis: TestRedis;
let worker: ChildProcess | null = null;
let workerOutput = '';
beforeAll(async () => {
  redis = await startTestRedis();
}, 30_000);
const session = useLabSession({ serveArgs: () => ['--redis', redis.url] });
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }
  await redis?.stop();
});

const byTestId = (id: string) => session.page.getByTestId(id);

/** A Lab API call over HTTP, as the UI makes it. */
const call = (method: string, payload: unknown): Promise<unknown> => session.lab.call(method, payload);

describe('a lab on a Redis queue in a browser', () => {
  it('says that runs train on the queue, and that no worker is connected yet', async () => {
    await expect.poll(() => byTestId('status-workers').textContent(), { timeout: 30_000 }).toMatch(/0 workers/);
    expect(await byTestId('status-workers').textContent()).toContain(redis.url);
    await byTestId('status-workers').click();
    await expect.poll(() => byTestId('workers-empty').textContent()).toContain('curvelab worker --redis');
  });

  it('lists a worker with the run it trains, and the run says which worker took it', async () => {
    worker = spawn(process.execPath, [join(import.meta.dirname, '../bin/curvelab.js'), 'worker', '--redis', redis.url, '--name', 'e2e-worker', '--backend', 'cpu', '--concurrency', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    await expect.poll(() => byTestId('status-workers').textContent(), { timeout: 30_000, message: workerOutput }).toMatch(/1 worker\b/);

    const started = (await call('startRuns', {
      experimentName: 'on the queue',
      base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 5000, batchSize: 32, trainSize: 512, valSize: 128 },
      optimizers: [{ name: 'curveball' }],
      seeds: [0],
    })) as { runs: { id: number }[] };
    const runId = started.runs[0]!.id;
    const workerRun = session.page.getByRole('button', { name: `Open run #${runId}` });
    await expect.poll(() => workerRun.count(), { timeout: 30_000, message: workerOutput }).toBe(1);
    expect(await byTestId('worker-row').textContent()).toContain('e2e-worker');
    await session.watched.screenshot('workers-1-panel');

    await workerRun.click();
    const detail = session.page.getByRole('region', { name: `Run #${runId}` });
    await expect.poll(() => detail.getByTestId('run-detail-worker').textContent(), { timeout: 30_000 }).toBe('e2e-worker');
    await expect.poll(() => detail.getByTestId('run-history').textContent(), { timeout: 30_000 }).toContain('taken by worker e2e-worker');
    await session.watched.screenshot('workers-2-run-detail');

    await call('cancelRun', { id: runId });
    await expect.poll(async () => ((await call('getRun', { id: runId })) as { status: string }).status, { timeout: 30_000 }).toBe('cancelled');
  });
});
