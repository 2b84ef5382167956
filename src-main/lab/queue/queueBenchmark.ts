import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochEvent, StartEvent, StepEvent } from '../../engine/train/trainEvents';
import { openLab, type Lab } from '../lab';
import { startLocalRedis } from './localRedisServer';
import { eventBatchField, eventBatchMaxEvents, eventStreamKey, type EventBatch, type QueueRunEvent } from './queueProtocol';
import { startQueueWorker } from './queueWorker';
import { openRedis, parseRedisAddress } from './redisAddress';
import { WorkerDatasets } from './workerDatasets';

export interface QueueBenchmarkResult {
  /** Trivial runs (one step of a linear model) from startRuns to their last row, through BullMQ and a worker. */
  runs: number;
  workerConcurrency: number;
  runsPerSecond: number;
  /** Step rows (each with its trace values) streamed by a worker and written by the lab. */
  streamedRuns: number;
  stepsPerRun: number;
  traceValuesPerStep: number;
  rowsPerSecond: number;
}

export interface QueueBenchmarkOptions {
  runs?: number;
  streamedRuns?: number;
  stepsPerRun?: number;
  /** Worker threads of the in-process `curvelab worker` (default 2). */
  concurrency?: number;
  backend?: string;
  progress?: (line: string) => void;
}

/**
 * `curvelab bench --queue`: on a private redis-server (started here on a loopback port, gone after), a
 * lab on the queue and a `curvelab worker` in this process. (1) Runs per second through the queue with
 * trivial runs: job, worker thread, dataset, events and rows, end to end. (2) Metric rows per second
 * from workers into SQLite: batches of step events as a worker streams them (500 steps per entry, ρ, β
 * and λ traced per step, as CurveBall's), for runs queued with no worker to take them, until the lab has
 * written every row.
 */
export async function benchmarkQueue(options: QueueBenchmarkOptions = {}): Promise<QueueBenchmarkResult> {
  const runs = options.runs ?? 20;
  const streamedRuns = options.streamedRuns ?? 10;
  const stepsPerRun = options.stepsPerRun ?? 20_000;
  const concurrency = options.concurrency ?? 2;
  const say = options.progress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'curvelab-bench-queue-'));
  const redis = await startLocalRedis();
  const address = parseRedisAddress(redis.url);
  let lab: Lab | null = null;
  try {
    lab = await openLab({ databasePath: join(dir, 'lab.db'), mode: 'web', redis: redis.url, resumeStudies: false, dataDir: dir });
    const worker = await startQueueWorker({
      redis: address,
      concurrency,
      backend: options.backend ?? 'auto',
      name: 'bench',
      datasets: new WorkerDatasets({ paths: [], cacheDir: join(dir, 'cache') }),
    });
    say(`${runs} trivial runs through the queue on ${concurrency} worker threads …`);
    const seeds = Array.from({ length: runs }, (_, k) => k);
    const trivial = { dataset: 'mnist', arch: 'linear', steps: 1, batchSize: 16, trainSize: 64, valSize: 32 };
    const started = performance.now();
    await lab.startRuns({ base: trivial, optimizers: [{ name: 'sgd' }], seeds });
    await lab.idle();
    const runsPerSecond = runs / ((performance.now() - started) / 1000);
    await worker.close();

    say(`${streamedRuns} runs × ${stepsPerRun.toLocaleString('en-US')} steps streamed into the lab's database …`);
    const { runs: queued } = await lab.startRuns({ base: { ...trivial, steps: stepsPerRun }, optimizers: [{ name: 'sgd' }], seeds: seeds.slice(0, streamedRuns) });
    const client = openRedis(address, 'bench');
    const streamStarted = performance.now();
    for (const run of queued) await streamRun(client, eventStreamKey(lab.store.queue.labId()), run.id, lab.store.queue.jobOf(run.id)!.jobId!, stepsPerRun);
    await lab.idle();
    const rowsPerSecond = (streamedRuns * stepsPerRun) / ((performance.now() - streamStarted) / 1000);
    client.disconnect();
    return { runs, workerConcurrency: concurrency, runsPerSecond, streamedRuns, stepsPerRun, traceValuesPerStep: 3, rowsPerSecond };
  } finally {
    await lab?.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run's events as a worker streams them: start, steps in entries of eventBatchMaxEvents, an epoch, done. */
async function streamRun(client: ReturnType<typeof openRedis>, key: string, runId: number, jobId: string, steps: number): Promise<void> {
  const send = (events: QueueRunEvent[]): EventBatch => ({ runId, jobId, attempt: 'bench#1', worker: { id: 'bench', name: 'bench' }, events });
  const start: StartEvent = {
    type: 'start', backend: 'cpu', backendReason: 'benchmark',
    dataset: { name: 'mnist', task: 'classification', inputShape: [28, 28, 1], classes: 10, trainSize: 64, validationSize: 32, augment: false },
    model: { layers: [], paramCount: 7850 }, optimizer: 'sgd', totalSteps: steps, stepsPerEpoch: steps,
  };
  const pipeline = client.pipeline();
  pipeline.xadd(key, '*', eventBatchField, JSON.stringify(send([start])));
  for (let first = 0; first < steps; first += eventBatchMaxEvents) {
    const events: StepEvent[] = [];
    for (let step = first; step < Math.min(steps, first + eventBatchMaxEvents); step++) {
      events.push({
        type: 'step', step, epoch: 0, loss: 2 / (1 + step), accuracy: 0.5, seconds: step / 1000,
        forwardPasses: step + 1, backwardPasses: step + 1, forwardModePasses: step + 1, trace: { rho: 0.9, beta: 0.1, lambda: 1 },
      });
    }
    pipeline.xadd(key, '*', eventBatchField, JSON.stringify(send(events)));
  }
  const epoch: EpochEvent = { type: 'epoch', epoch: 0, steps, trainLoss: 0.1, trainAccuracy: 0.9, valLoss: 0.2, valAccuracy: 0.8, seconds: steps / 1000 };
  pipeline.xadd(key, '*', eventBatchField, JSON.stringify(send([epoch, {
    type: 'done', status: 'completed', steps, trainLoss: 0.1, valLoss: 0.2, valAccuracy: 0.8,
    trainEvalLoss: 0.1, trainEvalAccuracy: 0.9, seconds: steps / 1000, backend: 'cpu',
  }])));
  await pipeline.exec();
}
