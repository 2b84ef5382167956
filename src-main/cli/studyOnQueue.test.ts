import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQueueWorker, wholeRun, type FakeQueueWorker } from '../lab/queue/fakeQueueWorker.testkit';
import { startTestRedis, type TestRedis } from '../lab/queue/redisServer.testkit';
import type { StudySpec } from '../shared/studySpec';

/** `curvelab study run --redis`, as a user runs it (the real binary), with the test playing the workers. */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-study-queue-'));
const env = { ...process.env, CURVELAB_DB: join(dir, 'default.db'), CURVELAB_REDIS: '' };

let redis: TestRedis;
let worker: FakeQueueWorker;
beforeAll(async () => {
  redis = await startTestRedis();
  worker = startFakeQueueWorker(redis.url, (_, send) => send(wholeRun(5)));
});
afterAll(async () => {
  await worker.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

function curvelab(args: string[], extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const small: StudySpec = {
  dataset: 'mnist',
  architectures: [{ preset: 'mlp', options: { widths: '8' } }, { label: 'Linear', preset: 'linear' }],
  optimizers: [{ name: 'curveball' }, { label: 'SGD', name: 'momentum', options: { momentum: 0.9 } }],
  seeds: [1],
  budget: { steps: 5 },
  batchSize: 32,
};

describe('curvelab study on a Redis queue', () => {
  it('queues the study for workers, follows it with the progress bar and prints its table; resume finds it done through CURVELAB_REDIS', async () => {
    const db = join(dir, 'queued.db');
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify(small));
    const result = await curvelab(['study', 'run', file, '--db', db, '--backend', 'cpu', '--redis', redis.url]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`study 1: small: 4 runs, 4 to train on the workers of the queue at ${redis.url} (stop with Ctrl-C, continue with \`curvelab study resume 1 --redis URL\`)`);
    expect(result.stderr).toMatch(/100% 4\/4 runs/);
    expect(result.stdout).toMatch(/small: 4 runs: 4 completed/);
    expect(result.stdout).toMatch(/Architecture\s+curveball\s+SGD/);
    expect(worker.taken).toHaveLength(4);

    const resumed = await curvelab(['study', 'resume', '1', '--db', db, '--backend', 'cpu'], { CURVELAB_REDIS: redis.url });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`study 1: small: 4 runs, 0 to train on the workers of the queue at ${redis.url}`);
    expect(resumed.stdout).toMatch(/small: 4 runs: 4 completed/);
    expect(worker.taken).toHaveLength(4);
  });

  it('a Redis that refuses the connection is a clear error, exit 2', async () => {
    const result = await curvelab(['study', 'run', 'seed-table', '--db', join(dir, 'none.db'), '--backend', 'cpu', '--redis', 'redis://127.0.0.1:1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^curvelab: Redis at redis:\/\/127\.0\.0\.1:1 \(lab(-events)?\): connect ECONNREFUSED 127\.0\.0\.1:1 \(is redis-server running there/m);
  });
});
