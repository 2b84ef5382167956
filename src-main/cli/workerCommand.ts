import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../engine/errors';
import { queueTimingsFromEnv, type QueueTimings } from '../lab/queue/queueProtocol';
import type { QueueWorker, QueueWorkerOptions } from '../lab/queue/queueWorker';
import { parseRedisAddress, REDIS_ENV_VAR, RedisAddressError, type RedisAddress } from '../lab/queue/redisAddress';
import { redisOption } from './redisOption';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { UsageError } from './usageError';

export const workerUsage = `Usage: curvelab worker --redis URL [--concurrency N] [--backend NAME] [--name LABEL]
                       [--dataset PATH]... [--lab URL] [--token T] [--cache DIR]

Takes runs from a lab's queue on Redis (the lab runs \`curvelab serve --redis URL\` or
\`curvelab study run … --redis URL\`) and trains them on this machine, streaming their metrics back.
Start as many as you have machines (or GPUs); the lab lists them with their runs. Each run's job is
checked as the lab's API checks a request before anything trains, and a run trains only on data whose
content hash is the one the lab registered.

  --redis URL      the queue: redis://[user:password@]host[:port][/db], or rediss://… for TLS (default: CURVELAB_REDIS)
  --concurrency N  runs that train at once (default: one per core on a CPU backend, one on a GPU)
  --backend NAME   the TF.js backend runs train on (default: CURVELAB_BACKEND, else the best that loads)
  --name LABEL     how the lab shows this worker (default: host:pid)
  --dataset PATH   a dataset file or folder on this machine; repeat for several. A run's dataset is the
                   embedded mnist, one of these, the lab's own path if this machine has it (a shared
                   filesystem), or a download from the lab (--lab) — whichever has its content hash
  --lab URL        the lab to download datasets from (the address \`curvelab serve\` printed; its
                   ?token=… is taken as the token)
  --token T        the lab's access token (default: CURVELAB_TOKEN)
  --cache DIR      where downloaded datasets are kept (default: $XDG_CACHE_HOME/curvelab/datasets,
                   else ~/.cache/curvelab/datasets)

BullMQ's timings for runs that last hours (a job's lock, the stalled check, the backoff between tries)
can be shortened with CURVELAB_QUEUE_LOCK_MS, CURVELAB_QUEUE_STALLED_MS and CURVELAB_QUEUE_BACKOFF_MS.
The first Ctrl-C (or SIGTERM) takes no new runs and lets those in training finish; a second stops at
once, and their runs move to another worker, where they train again from the start.
Exit status: 0 stopped, 2 bad arguments, or a Redis that refuses the worker (a wrong password).
`;

export interface WorkerCommandOptions {
  redis: RedisAddress;
  concurrency?: number;
  backend: string;
  name?: string;
  datasets: string[];
  lab?: { url: string; token?: string };
  cacheDir: string;
  timings: QueueTimings;
}

/** Reads `curvelab worker`'s arguments; bad ones are a UsageError naming the flag. */
export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WorkerCommandOptions {
  const { values } = parseCommandArgs('worker', {
    args: argv,
    allowPositionals: false,
    options: {
      redis: { type: 'string' },
      concurrency: { type: 'string' },
      backend: { type: 'string' },
      name: { type: 'string' },
      dataset: { type: 'string', multiple: true },
      lab: { type: 'string' },
      token: { type: 'string' },
      cache: { type: 'string' },
    },
  });
  const redisText = redisOption(values.redis, env, 'worker');
  if (redisText === undefined) throw new UsageError(`--redis is required (or ${REDIS_ENV_VAR}): the address of the Redis the lab queues runs on`, 'worker');
  let redis: RedisAddress;
  let timings: QueueTimings;
  try {
    redis = parseRedisAddress(redisText, values.redis !== undefined ? '--redis' : REDIS_ENV_VAR);
    timings = queueTimingsFromEnv(env);
  } catch (error) {
    if (error instanceof RedisAddressError) throw new UsageError(error.message, 'worker');
    throw new UserInputError((error as Error).message);
  }
  if (values.name !== undefined && values.name.trim() === '') throw new UsageError('--name: expected a label', 'worker');
  const datasets = values.dataset ?? [];
  const missing = datasets.find((path) => !existsSync(path));
  if (missing !== undefined) throw new UsageError(`--dataset ${missing}: no such file or folder`, 'worker');
  if (values.token !== undefined && values.lab === undefined) throw new UsageError('--token is the access token of --lab: give --lab URL too', 'worker');
  return {
    redis,
    ...(values.concurrency !== undefined ? { concurrency: positiveInteger(values.concurrency, '--concurrency', 'worker') } : {}),
    backend: values.backend ?? env['CURVELAB_BACKEND'] ?? 'auto',
    ...(values.name !== undefined ? { name: values.name } : {}),
    datasets,
    ...(values.lab !== undefined ? { lab: labAddress(values.lab, values.token ?? env['CURVELAB_TOKEN']) } : {}),
    cacheDir: values.cache ?? join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'curvelab', 'datasets'),
    timings,
  };
}

/** The lab's address without its query; the token from the flag or environment, else from the address's ?token=. */
function labAddress(text: string, token: string | undefined): { url: string; token?: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--lab ${text}: expected the lab's address, http://host:port/`, 'worker');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--lab ${text}: expected an http:// or https:// address`, 'worker');
  const given = token ?? url.searchParams.get('token') ?? undefined;
  url.search = '';
  url.hash = '';
  return { url: url.href, ...(given ? { token: given } : {}) };
}

/** What the worker command does to the world, replaceable in tests. */
export interface WorkerEnvironment {
  startWorker(options: QueueWorkerOptions): Promise<QueueWorker>;
  /** Calls `handler` on each SIGINT or SIGTERM; returns the function that stops listening. */
  onStopSignal(handler: () => void): () => void;
  /** A line for the user (stdout): who the worker is, and one per job. */
  print(line: string): void;
  /** A notice about stopping (stderr). */
  notice(line: string): void;
}

/** `curvelab worker`: takes runs from the queue until stopped. Returns 0 once stopped; user errors are thrown (exit 2). */
export async function runWorkerCommand(argv: string[], overrides: Partial<WorkerEnvironment> = {}): Promise<number> {
  const options = parseWorkerArgs(argv);
  const environment: WorkerEnvironment = {
    // Loaded only here: the worker brings BullMQ and the engine's runner.
    startWorker: overrides.startWorker ?? (async (o) => (await import('../lab/queue/queueWorker')).startQueueWorker(o)),
    onStopSignal: overrides.onStopSignal ?? onProcessStopSignal,
    print: overrides.print ?? ((line) => process.stdout.write(`${line}\n`)),
    notice: overrides.notice ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const { WorkerDatasets } = await import('../lab/queue/workerDatasets');
  const worker = await environment.startWorker({
    redis: options.redis,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    backend: options.backend,
    ...(options.name !== undefined ? { name: options.name } : {}),
    datasets: new WorkerDatasets({ paths: options.datasets, cacheDir: options.cacheDir, ...(options.lab ? { lab: options.lab } : {}) }),
    timings: options.timings,
    log: environment.print,
  });
  environment.print(
    `curvelab worker ${worker.name} (${worker.id}): backend ${worker.backend.name}, ${worker.concurrency} run${worker.concurrency === 1 ? '' : 's'} at once, ` +
      `taking runs from ${options.redis.display}`,
  );

  let signals = 0;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const stopListening = environment.onStopSignal(() => {
    signals++;
    if (signals === 1) {
      const n = worker.runningCount;
      environment.notice(`curvelab worker: finishing ${n} run${n === 1 ? '' : 's'}; Ctrl-C again to stop now: their runs move to another worker`);
      void worker.close().then(() => signals === 1 && stopped());
    } else if (signals === 2) {
      environment.notice('curvelab worker: stopping now; its runs move to another worker');
      void worker.stopNow().then(stopped);
    }
  });
  await done;
  stopListening();
  return 0;
}

function onProcessStopSignal(handler: () => void): () => void {
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
