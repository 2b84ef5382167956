import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo, RunsRequest } from '../lab/api/labApi';
import { openLab, type Lab } from '../lab/lab';
import { eventStreamKey, queuePrefix, runQueueName } from '../lab/queue/queueProtocol';
import { parseEventBatch } from '../lab/queue/queueSchemas';
import { startTestRedis, type TestRedis } from '../lab/queue/redisServer.testkit';
import { databaseOf } from '../lab/store/storeDatabase.testkit';
import type { StudySpec } from '../shared/studySpec';
import { Redis } from 'ioredis';

/**
 * Issue 12's acceptance, with the real programs: `curvelab worker` processes on a real redis-server,
 * a lab on the queue, and kill -9 of a worker and of a lab in the middle of their work. The numbers are
 * checked against the same runs trained by a lab's own threads, and the rows against what a run must
 * have: one per step, 0 … totalSteps − 1.
 */

const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-queue-workers-'));
// Short locks, so that a killed worker's run moves in seconds rather than a minute.
const env = { ...process.env, CURVELAB_REDIS: '', CURVELAB_QUEUE_LOCK_MS: '2000', CURVELAB_QUEUE_STALLED_MS: '1000', CURVELAB_QUEUE_BACKOFF_MS: '500' };

let redis: TestRedis;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output: () => string;
}

function startWorker(name: string): WorkerProcess {
  const child = spawn(process.execPath, [bin, 'worker', '--redis', redis.url, '--concurrency', '1', '--backend', 'cpu', '--name', name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { name, child, output: () => output };
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await exited;
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function queueLab(file: string): Promise<Lab> {
  return openLab({ databasePath: join(dir, file), mode: 'web', backend: 'cpu', redis: redis.url, resumeStudies: false });
}

/** Every step row of a run, in order: what "one row per step" is checked against. */
function stepRows(lab: Lab, runId: number): { step: number; loss: number | null }[] {
  return databaseOf(lab.store).prepare('SELECT step, loss FROM step_metrics WHERE run_id = ? ORDER BY step').all(runId) as { step: number; loss: number | null }[];
}

function everyStepOnce(rows: { step: number }[], totalSteps: number | null): boolean {
  return totalSteps !== null && rows.length === totalSteps && rows.every((r, i) => r.step === i);
}

const sweep: RunsRequest = {
  base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 40, batchSize: 32, trainSize: 512, valSize: 128 },
  optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
  seeds: [1, 2],
};

describe('curvelab worker processes on a Redis queue', () => {
  it('trains a 2 optimizers × 2 seeds sweep on two workers, both taking runs, with the losses of the same sweep trained locally', async () => {
    const workers = [startWorker('w1'), startWorker('w2')];
    const lab = await queueLab('sweep.db');
    try {
      await until('both workers to report', async () => (await lab.listWorkers()).length === 2);
      const { runs } = await lab.startRuns(sweep);
      await lab.idle();
      const finished = await lab.listRuns({});
      expect(finished.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      expect(new Set(finished.map((r) => r.worker))).toEqual(new Set(['w1', 'w2']));

      const local = await openLab({ databasePath: join(dir, 'local.db'), mode: 'web', backend: 'cpu', concurrency: 2 });
      try {
        const localRuns = (await local.startRuns(sweep)).runs;
        await local.idle();
        const key = (r: RunInfo) => `${r.optimizer} seed ${r.spec.seed}`;
        const localByKey = new Map(localRuns.map((r) => [key(r), r]));
        for (const run of runs) {
          const remote = stepRows(lab, run.id);
          const here = stepRows(local, localByKey.get(key(run))!.id);
          expect(remote).toHaveLength(40);
          expect(here).toHaveLength(40);
          remote.forEach((row, i) => {
            expect(row.step).toBe(i);
            // Same seed, same backend, same code: the same losses to float32 precision.
            expect(Math.abs(row.loss! - here[i]!.loss!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(here[i]!.loss!)));
          });
        }
      } finally {
        await local.close();
      }
    } finally {
      await lab.close();
      await Promise.all(workers.map(stopWorker));
    }
  }, 180_000);

  it('finishes a run on the other worker when its worker is killed with SIGKILL mid-run, with exactly one row per step', async () => {
    const first = startWorker('doomed');
    const lab = await queueLab('moved.db');
    let second: WorkerProcess | null = null;
    try {
      await until('the worker to report', async () => (await lab.listWorkers()).length === 1);
      const { runs } = await lab.startRuns({ ...sweep, base: { ...sweep.base, steps: 3000 }, optimizers: [{ name: 'curveball' }], seeds: [3] });
      const runId = runs[0]!.id;
      await until('the run to have rows from the first worker', () => stepRows(lab, runId).length >= 20);
      await stopWorker(first);
      second = startWorker('survivor');
      await lab.idle();
      const run = await lab.getRun({ id: runId });
      expect(run.status).toBe('completed');
      expect(run.worker).toBe('survivor');
      expect(everyStepOnce(stepRows(lab, runId), run.totalSteps)).toBe(true);
      expect(run.storedSteps).toBe(3000);
      const history = (await lab.getRunHistory({ id: runId })).map((h) => h.event);
      expect(history.some((e) => e.includes('doomed'))).toBe(true);
      expect(history.some((e) => /moved to worker survivor/.test(e))).toBe(true);
    } finally {
      await lab.close();
      if (second) await stopWorker(second);
    }
  }, 180_000);

  it('finishes a study whose lab was killed with SIGKILL in the middle, with no step row lost or written twice', async () => {
    const workers = [startWorker('w3'), startWorker('w4')];
    const db = join(dir, 'study.db');
    const spec: StudySpec = {
      dataset: 'mnist',
      architectures: [{ preset: 'mlp', options: { widths: '16' } }, { label: 'Linear', preset: 'linear' }],
      optimizers: [{ name: 'curveball' }, { label: 'SGD', name: 'momentum', options: { momentum: 0.9 } }],
      seeds: [1, 2],
      budget: { steps: 600 },
      batchSize: 32,
      trainSize: 512,
      valSize: 128,
    };
    const file = join(dir, 'study.json');
    writeFileSync(file, JSON.stringify(spec));
    const lab = spawn(process.execPath, [bin, 'study', 'run', file, '--db', db, '--redis', redis.url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(lab);
    let progress = '';
    lab.stderr.on('data', (d: Buffer) => (progress += d.toString()));
    const exited = new Promise((resolve) => lab.once('exit', resolve));
    try {
      // Killed once some runs are done and others are training on the workers.
      await until('a run of the study to complete', () => /\b[1-7]\/8 runs/.test(progress), 120_000);
      lab.kill('SIGKILL');
      await exited;
      const reopened = await openLab({ databasePath: db, mode: 'web', backend: 'cpu', redis: redis.url });
      try {
        await reopened.idle();
        const runs = await reopened.listRuns({});
        expect(runs).toHaveLength(8);
        expect(runs.map((r) => r.status)).toEqual(Array(8).fill('completed'));
        for (const run of runs) expect(everyStepOnce(stepRows(reopened, run.id), run.totalSteps), `run ${run.id}`).toBe(true);
        expect(runs.every((r) => r.totalSteps === 600)).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  }, 300_000);

  it('refuses a hostile job payload and a dataset whose hash does not match, with the reason, and trains nothing', async () => {
    const worker = startWorker('guard');
    const client = new Redis(redis.url);
    const queue = new Queue(runQueueName, { connection: { url: redis.url }, prefix: queuePrefix });
    try {
      const lab = 'ab'.repeat(16);
      const spec = { dataset: 'mnist', arch: 'mlp', archOptions: {}, optimizer: 'sgd', optimizerOptions: { lr: 'fast' }, steps: 5, batchSize: 32, shuffle: true, init: 'default', seed: 0 };
      const dataset = { hash: '0'.repeat(64), name: 'MNIST', source: 'mnist', target: null };
      const hostile = await queue.add('run', { version: 1, lab, runId: 7, spec, dataset }, { attempts: 1 });
      const junk = await queue.add('run', 'rm -rf / #' as unknown as object, { attempts: 1 });
      const wrongHash = await queue.add('run', { version: 1, lab, runId: 8, spec: { ...spec, optimizerOptions: {} }, dataset }, { attempts: 1 });
      const failedReason = async (id: string) => ((await queue.getJobState(id)) === 'failed' ? (await queue.getJob(id))!.failedReason : null);
      expect(await until('the hostile job to fail', () => failedReason(hostile.id!))).toMatch(/spec\.optimizerOptions\.lr/);
      expect(await until('the junk job to fail', () => failedReason(junk.id!))).toMatch(/expected object/i);
      expect(await until('the wrong-hash job to fail', () => failedReason(wrongHash.id!))).toMatch(/hash/);
      // The lab heard why, and no run started: no `start` event ever reached its stream.
      const entries = await client.xrange(eventStreamKey(lab), '-', '+');
      const events = entries.flatMap(([, fields]) => {
        const parsed = parseEventBatch(fields[1]!);
        return 'batch' in parsed ? parsed.batch.events : [];
      });
      expect(events.map((e) => e.type)).toEqual(['ending', 'ending']);
      expect(worker.output()).toMatch(/refused/);
    } finally {
      await queue.close();
      client.disconnect();
      await stopWorker(worker);
    }
  }, 120_000);
});
