/**
 * `npm run bench:faults`: how `curvelab serve` holds up, measured on loopback against the checkout's real
 * server (bin/curvelab.js serve) and printed as a table.
 *
 * 1. A short session: four small runs (mlp on the embedded MNIST) while clients ask listRuns/getRun as
 *    fast as the lab answers: the requests per second held, their latency, the lab's peak memory (VmHWM).
 * 2. Faults, one at a time, each while another client asks listRuns every 200 ms with a second to
 *    answer (the lab "stayed up" when it is alive and answers afterwards, as promised when every such
 *    request was answered within the second and the fault ended as the lab promises):
 *    - hostile requests: a 64 MiB body of `[{},{},…]` to listRuns (declared) and to startRuns (chunked,
 *      undeclared), readCurves with 500 duplicate ids, a sweep of 12.5 million runs;
 *    - a hostile archive: the session's experiment exported, its experiment.json replaced by `--archive-mib`
 *      MiB of `[[],[],…]` within every declared limit (sizes and SHA-256 listed), imported;
 *    - kill -9 of the lab mid-run, then a restart on the same database: the runs interrupted, the
 *      database's `PRAGMA integrity_check` (read-only, before the restart), and the steps lost: those the
 *      runs had reported against those stored;
 *    - worker out of memory, in a lab restarted with every thread's V8 heap capped at `--oom-heap-mb`
 *      (the lab's own limits are set from the machine's memory, gigabytes, too far to reach quickly): a
 *      run on a CSV of 8 million header columns (a dataset registration that runs out of heap), and a
 *      run on a registered CSV replaced by that file (its training worker runs out of heap) while another
 *      run trains;
 *    - a full disk: as root, the database on a 4 MiB tmpfs filled while two runs train; then space freed.
 *
 * Usage: tsx e2e/faultBenchmark.ts [--repo DIR] [--backend cpu-blas] [--archive-mib 64] [--oom-heap-mb 192] [--json]
 *   --repo DIR  the checkout whose bin/curvelab.js is measured (default: this one)
 * Exit status 1 when a fault did not end as the lab promises.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import WebSocket from 'ws';
import type { ArchiveFile, ExperimentInfo, LabEvent, RunInfo, RunsRequest, RunsStarted } from '../src-main/lab/api/labApi';
import { formatFaultReport, formatMs, requestRate, type Answered, type FaultBenchResult, type FaultOutcome } from './faultReport';
import { MemorySampler } from './processMemory';
import { stopChild } from './servedLab.testkit';

interface BenchOptions {
  repo: string;
  backend: string;
  archiveMib: number;
  oomHeapMb: number;
  json: boolean;
}

const SESSION = { seeds: [0, 1], optimizers: ['sgd', 'adam'], steps: 200, clients: 4 };
/** How long another request may take while a fault is under way. */
const ANSWER_WITHIN_MS = 1000;
const MiB = 2 ** 20;

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string', default: join(import.meta.dirname, '..') },
      backend: { type: 'string', default: 'cpu-blas' },
      'archive-mib': { type: 'string', default: '64' },
      'oom-heap-mb': { type: 'string', default: '192' },
      json: { type: 'boolean', default: false },
    },
  });
  const positive = (flag: string, text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: expected a positive integer, got ${text}`);
    return n;
  };
  return {
    repo: resolve(values.repo),
    backend: values.backend,
    archiveMib: positive('archive-mib', values['archive-mib']),
    oomHeapMb: positive('oom-heap-mb', values['oom-heap-mb']),
    json: values.json,
  };
}

// ── the lab process ──

type Answer<T> = { ok: true; value: T; ms: number } | { ok: false; code: string; message: string; ms: number };

/** One `curvelab serve` process, its address and token, and its memory sampled. */
class LabProcess {
  readonly memory: MemorySampler;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** Null for a checkout whose serve needs none on loopback. */
    readonly token: string | null,
    readonly output: () => string,
  ) {
    this.memory = new MemorySampler(child.pid!);
  }

  static async start(repo: string, db: string, backend: string, heapMb?: number): Promise<LabProcess> {
    const env = { ...process.env, ...(heapMb ? { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=${heapMb}`.trim() } : {}) };
    const child = spawn(process.execPath, [join(repo, 'bin/curvelab.js'), 'serve', '--db', db, '--port', '0', '--backend', backend], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`curvelab serve did not start within 60 s:\n${output}`)), 60_000);
      const read = (data: Buffer): void => {
        output += data.toString();
        const match = /https?:\/\/\S+/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[0]);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`curvelab serve ended (${signal ?? `exit code ${code}`}) before it printed its address:\n${output}`));
      });
    });
    return new LabProcess(child, url, new URL(url).searchParams.get('token'), () => output);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A Lab API call; never throws: no answer within timeoutMs (or a closed connection) is the code `no-answer`. */
  call<T>(method: string, payload?: unknown, timeoutMs = 30_000): Promise<Answer<T>> {
    return this.post<T>(method, payload === undefined ? undefined : JSON.stringify(payload), timeoutMs);
  }

  /** A call with a body as given: a string or bytes (Content-Length declared), or a stream (chunked, undeclared). */
  async post<T>(method: string, body: string | Uint8Array | ReadableStream<Uint8Array> | undefined, timeoutMs: number): Promise<Answer<T>> {
    const started = performance.now();
    try {
      const response = await fetch(new URL(`/api/${method}`, this.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        ...(body === undefined ? {} : { body }),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      } as RequestInit);
      const envelope = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
      const ms = performance.now() - started;
      if (envelope.ok) return { ok: true, value: envelope.value as T, ms };
      return { ok: false, code: envelope.error?.code ?? `HTTP ${response.status}`, message: envelope.error?.message ?? '', ms };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      return { ok: false, code: 'no-answer', message: cause?.message ?? (error as Error).message, ms: performance.now() - started };
    }
  }

  /** Whether it is alive and answers listRuns within a second. */
  async answers(): Promise<boolean> {
    return this.alive && (await this.call('listRuns', {}, ANSWER_WITHIN_MS)).ok;
  }

  async kill9(): Promise<void> {
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGKILL');
    await exited;
    this.memory.stop();
  }

  async stop(): Promise<void> {
    this.memory.stop();
    await stopChild(this.child);
  }
}

/**
 * A call the bench needs to go on (not one it measures): its value, or an error. Asked again once when
 * its connection was closed before it was sent: a keep-alive socket the server let go while this
 * process was busy building a file.
 */
async function expectValue<T>(call: () => Promise<Answer<T>>, what: string): Promise<T> {
  let result = await call();
  if (!result.ok && result.code === 'no-answer' && result.message === 'other side closed') result = await call();
  if (!result.ok) throw new Error(`${what}: ${result.code}: ${result.message}`);
  return result.value;
}

const finished = (run: RunInfo): boolean => run.status !== 'queued' && run.status !== 'running';

/** Polls listRuns until every run of `ids` satisfies `done` or timeoutMs passes; the runs as last seen. */
async function pollRuns(lab: LabProcess, ids: number[], done: (run: RunInfo) => boolean, timeoutMs: number): Promise<{ runs: RunInfo[]; done: boolean }> {
  const deadline = performance.now() + timeoutMs;
  let runs: RunInfo[] = [];
  while (performance.now() < deadline) {
    const answer = await lab.call<RunInfo[]>('listRuns', {}, 5000);
    if (answer.ok) {
      runs = ids.map((id) => answer.value.find((run) => run.id === id)).filter((run) => run !== undefined);
      if (runs.length === ids.length && runs.every(done)) return { runs, done: true };
    }
    await sleep(250);
  }
  return { runs, done: false };
}

/** pollRuns, throwing with the runs' statuses when they do not get there in time. */
async function waitForRuns(lab: LabProcess, ids: number[], done: (run: RunInfo) => boolean, timeoutMs: number): Promise<RunInfo[]> {
  const polled = await pollRuns(lab, ids, done, timeoutMs);
  if (!polled.done) throw new Error(`runs ${ids.join(', ')} did not get there within ${timeoutMs / 1000} s: ${describeRuns(polled.runs)}`);
  return polled.runs;
}

function describeRuns(runs: RunInfo[]): string {
  return runs.map((run) => `${run.id} ${run.status}${run.error ? ` (${shortMessage(run.error)})` : ''}`).join(', ');
}

function startRuns(lab: LabProcess, request: RunsRequest): Promise<RunsStarted> {
  return expectValue(() => lab.call<RunsStarted>('startRuns', request), 'startRuns');
}

function mlpRuns(name: string, steps: number, seeds: number[], dataset = 'mnist', target?: string): RunsRequest {
  return { experimentName: name, base: { dataset, ...(target ? { target } : {}), arch: 'mlp', steps }, optimizers: [{ name: 'sgd' }], seeds };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

// ── the session ──

async function runSession(lab: LabProcess): Promise<{ session: FaultBenchResult['session']; experimentId: number; runIds: number[] }> {
  const started = await startRuns(lab, {
    experimentName: 'fault bench: session',
    base: { dataset: 'mnist', arch: 'mlp', steps: SESSION.steps },
    optimizers: SESSION.optimizers.map((name) => ({ name })),
    seeds: SESSION.seeds,
  });
  const runIds = started.runs.map((run) => run.id);
  const answered: Answered[] = [];
  let stopped = false;
  const client = async (index: number): Promise<void> => {
    for (let i = index; !stopped; i++) {
      const answer = i % 2 === 0 ? await lab.call('listRuns', {}, 5000) : await lab.call('getRun', { id: runIds[i % runIds.length] }, 5000);
      if (answer.ok) answered.push({ atMs: performance.now(), latencyMs: answer.ms });
    }
  };
  const from = performance.now();
  const clients = Array.from({ length: SESSION.clients }, (_, i) => client(i));
  const runs = await waitForRuns(lab, runIds, finished, 180_000).finally(() => (stopped = true));
  const to = performance.now();
  await Promise.all(clients);
  lab.memory.sample();
  return {
    experimentId: started.experiment.id,
    runIds,
    session: {
      runs: runIds.length,
      stepsPerRun: SESSION.steps,
      completedRuns: runs.filter((run) => run.status === 'completed').length,
      seconds: (to - from) / 1000,
      clients: SESSION.clients,
      requests: requestRate(answered, from, to),
      peakRssBytes: lab.memory.peakBytes,
    },
  };
}

// ── faults ──

interface FaultVerdict {
  outcome: string;
  asPromised: boolean;
}

/**
 * Runs one fault while another client asks listRuns every 200 ms (a second each to answer), then asks
 * once more: the row of the table.
 */
async function underFault(name: string, lab: LabProcess, inject: () => Promise<FaultVerdict>): Promise<FaultOutcome> {
  lab.memory.takeWindowPeak();
  let watching = true;
  let slowestMs = 0;
  let asked = 0;
  let unanswered = 0;
  const watch = (async () => {
    while (watching) {
      const answer = await lab.call('listRuns', {}, ANSWER_WITHIN_MS);
      asked++;
      slowestMs = Math.max(slowestMs, answer.ms);
      if (!answer.ok) unanswered++;
      await sleep(200);
    }
  })();
  let verdict: FaultVerdict;
  try {
    verdict = await inject();
  } catch (error) {
    verdict = { outcome: `the bench could not inject it: ${(error as Error).message}`, asPromised: false };
  }
  watching = false;
  await watch;
  const up = await lab.answers();
  return {
    fault: name,
    labStayedUp: up ? 'yes' : 'no',
    answeredInMs: asked > 0 ? slowestMs : null,
    unanswered,
    peakRssBytes: lab.memory.takeWindowPeak(),
    outcome: up ? verdict.outcome : `${verdict.outcome}; the lab ${lab.alive ? 'does not answer' : 'died'}: ${lastLines(lab.output(), 3)}`,
    asPromised: up && unanswered === 0 && verdict.asPromised,
  };
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' ⏎ ');
}

function refusal(answer: Answer<unknown>): string {
  return answer.ok ? `accepted in ${formatMs(answer.ms)}` : `refused in ${formatMs(answer.ms)} (${answer.code}: ${shortMessage(answer.message)})`;
}

/** Where the bench keeps its files: messages name it <tmp>. */
let benchDir = '';

/** A lab's message for the table: the bench's folder as <tmp>, uuids cut to their first 8 digits, at most 110 characters. */
function shortMessage(message: string): string {
  const text = message.replaceAll(benchDir, '<tmp>').replace(/\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '$1…');
  return text.length <= 110 ? text : `${text.slice(0, 109)}…`;
}

/** `[{},{},…,{}]`, `bytes` long give or take two. */
function emptyObjectsJson(bytes: number): Buffer {
  return Buffer.concat([Buffer.from('['), Buffer.alloc(Math.floor(bytes / 3) * 3, '{},'), Buffer.from('{}]')]);
}

function chunked(bytes: Buffer, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += chunkBytes)));
    },
  });
}

async function hostileRequests(lab: LabProcess, runId: number): Promise<FaultOutcome[]> {
  const body = emptyObjectsJson(64 * MiB);
  const refusedFast = (answer: Answer<unknown>): FaultVerdict => ({ outcome: refusal(answer), asPromised: !answer.ok && answer.code !== 'no-answer' && answer.ms < ANSWER_WITHIN_MS });
  const grid = (make: (i: number) => number): number[] => Array.from({ length: 50 }, (_, i) => make(i));
  return [
    await underFault('hostile request: 64 MiB [{},…] to listRuns', lab, async () => refusedFast(await lab.post('listRuns', body, 60_000))),
    await underFault('hostile request: 64 MiB [{},…] chunked to startRuns', lab, async () => refusedFast(await lab.post('startRuns', chunked(body), 60_000))),
    await underFault('hostile request: readCurves, 500 duplicate ids', lab, async () => {
      const answer = await lab.call<unknown[]>('readCurves', { runIds: Array<number>(500).fill(runId), maxPoints: 2000 }, 60_000);
      const outcome = answer.ok ? `answered in ${formatMs(answer.ms)} with ${answer.value.length} run(s) of curves` : refusal(answer);
      return { outcome, asPromised: (answer.ok || answer.code !== 'no-answer') && answer.ms < ANSWER_WITHIN_MS };
    }),
    await underFault('hostile request: sweep 50×50×50 grid × 100 seeds', lab, async () => {
      const sweep = {
        base: { dataset: 'mnist', arch: 'mlp', steps: 10 },
        optimizers: [{ name: 'sgd', grid: { lr: grid((i) => 0.001 * (i + 1)), weightDecay: grid((i) => i * 1e-4), lrMinFactor: grid((i) => i / 50) } }],
        seeds: Array.from({ length: 100 }, (_, i) => i),
      };
      return refusedFast(await lab.call('startRuns', sweep, 60_000));
    }),
  ];
}

/** `[[],[],…,[]]`, at most `bytes` long (an entry of the archive limit's size is within it). */
function emptyArraysJson(bytes: number): Uint8Array {
  return Buffer.concat([Buffer.from('['), Buffer.alloc(Math.floor((bytes - 3) / 3) * 3, '[],'), Buffer.from('[]]')]);
}

/** The experiment's export with its experiment.json replaced by `[[],[],…]`, listed in the manifest with its true size and SHA-256. */
async function hostileArchive(lab: LabProcess, experimentId: number, mib: number): Promise<Uint8Array> {
  const exported = await expectValue(() => lab.call<ArchiveFile>('exportExperiment', { experimentId }), 'exportExperiment');
  const files = unzipSync(Buffer.from(exported.base64, 'base64'));
  const bomb = emptyArraysJson(mib * MiB);
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: Record<string, { bytes: number; sha256: string }> };
  manifest.files['experiment.json'] = { bytes: bomb.byteLength, sha256: createHash('sha256').update(bomb).digest('hex') };
  return zipSync({ ...files, 'experiment.json': bomb, 'manifest.json': strToU8(JSON.stringify(manifest)) }, { level: 9 });
}

/** What the database holds, as the API lists it: experiments and runs by id and status. */
async function labContents(lab: LabProcess): Promise<string> {
  const experiments = await expectValue(() => lab.call<ExperimentInfo[]>('listExperiments', undefined, 60_000), 'listExperiments');
  const runs = await expectValue(() => lab.call<RunInfo[]>('listRuns', {}, 60_000), 'listRuns');
  return JSON.stringify([experiments.map((e) => [e.id, e.runCount]), runs.map((r) => [r.id, r.status, r.storedSteps])]);
}

async function importHostileArchive(lab: LabProcess, experimentId: number, mib: number): Promise<FaultOutcome> {
  const archive = await hostileArchive(lab, experimentId, mib);
  const before = await labContents(lab);
  return underFault(`hostile archive: ${Math.round(archive.byteLength / 1024)} KiB zip, ${mib} MiB of [[],…]`, lab, async () => {
    const answer = await lab.call('importArchive', { base64: Buffer.from(archive).toString('base64'), fileName: 'hostile.curvelab' }, 600_000);
    const unchanged = (await labContents(lab)) === before;
    return { outcome: `${refusal(answer)}; database ${unchanged ? 'unchanged' : 'CHANGED'}`, asPromised: !answer.ok && answer.code !== 'no-answer' && unchanged };
  });
}

/** The latest run-progress step of each run, from the lab's event socket. */
class ProgressFollower {
  readonly latest = new Map<number, { step: number; atMs: number }>();
  private readonly socket: WebSocket;
  private waiters: (() => void)[] = [];

  constructor(lab: LabProcess) {
    const url = new URL('/api/events', lab.url.replace(/^http/, 'ws'));
    if (lab.token) url.searchParams.set('token', lab.token);
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as LabEvent;
      if (event.type !== 'run-progress') return;
      this.latest.set(event.runId, { step: event.step, atMs: performance.now() });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.socket.on('error', () => {});
  }

  opened(): Promise<void> {
    return new Promise((done, fail) => {
      this.socket.once('open', () => done());
      this.socket.once('error', fail);
    });
  }

  /** Resolves at the next progress event (of any run), or after 5 s without one. */
  next(): Promise<void> {
    return Promise.race([new Promise<void>((wake) => this.waiters.push(wake)), sleep(5000)]);
  }

  close(): void {
    this.socket.terminate();
  }
}

function integrityCheck(db: string): string {
  try {
    const database = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (database.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
    } finally {
      database.close();
    }
  } catch (error) {
    return `could not open it read-only: ${(error as Error).message}`;
  }
}

/** Kills the lab (SIGKILL) while two runs train, restarts it on the database, and reports what was lost. Returns the row and the restarted lab. */
async function killAndRestart(lab: LabProcess, db: string, start: () => Promise<LabProcess>): Promise<{ row: FaultOutcome; restarted: LabProcess }> {
  lab.memory.takeWindowPeak();
  const progress = new ProgressFollower(lab);
  await progress.opened();
  const { runs } = await startRuns(lab, mlpRuns('fault bench: kill -9', 100_000, [0, 1]));
  const ids = runs.map((run) => run.id);
  const trainingSince = new Map<number, { step: number; atMs: number }>();
  const deadline = performance.now() + 120_000;
  // Until both have trained a few seconds: their first reports are the start of the rate.
  while (performance.now() < deadline) {
    await progress.next();
    for (const id of ids) if (!trainingSince.has(id) && progress.latest.has(id)) trainingSince.set(id, progress.latest.get(id)!);
    const seconds = ids.map((id) => (progress.latest.get(id)?.atMs ?? 0) - (trainingSince.get(id)?.atMs ?? Infinity));
    if (seconds.every((s) => s >= 3000)) break;
  }
  await progress.next(); // kill right after a report, so that it says how far the run got
  const reached = new Map(ids.map((id) => [id, progress.latest.get(id)]));
  await lab.kill9();
  progress.close();
  const peakRssBytes = lab.memory.takeWindowPeak();
  const integrity = integrityCheck(db);

  const restartedAt = performance.now();
  const restarted = await start();
  const firstAnswer = await restarted.call('listRuns', {}, ANSWER_WITHIN_MS);
  let after: RunInfo[];
  try {
    after = await waitForRuns(restarted, ids, (run) => run.status === 'interrupted', 30_000);
  } catch (error) {
    const row: FaultOutcome = { fault: 'kill -9 of the lab mid-run', labStayedUp: 'restarted', answeredInMs: firstAnswer.ms, unanswered: firstAnswer.ok ? 0 : 1, peakRssBytes, outcome: `integrity_check ${integrity}; ${(error as Error).message}`, asPromised: false };
    return { row, restarted };
  }
  const interruptedIn = (performance.now() - restartedAt) / 1000;
  const losses = after.map((run) => {
    const last = reached.get(run.id);
    const first = trainingSince.get(run.id);
    const reachedSteps = last ? last.step + 1 : 0;
    const stepsPerSecond = last && first && last.atMs > first.atMs ? ((last.step - first.step) * 1000) / (last.atMs - first.atMs) : Number.NaN;
    const lost = Math.max(0, reachedSteps - run.storedSteps);
    return { run, reachedSteps, lost, lostSeconds: lost / stepsPerSecond };
  });
  const described = losses.map((l) => `run ${l.run.id}: ${l.run.storedSteps} of ${l.reachedSteps} stored, ${l.lost} lost (${l.lostSeconds.toFixed(2)} s)`).join('; ');
  return {
    restarted,
    row: {
      fault: 'kill -9 of the lab mid-run',
      labStayedUp: 'restarted',
      answeredInMs: firstAnswer.ms,
      unanswered: firstAnswer.ok ? 0 : 1,
      peakRssBytes,
      outcome: `integrity_check ${integrity}; both runs interrupted ${interruptedIn.toFixed(1)} s after the restart; ${described}`,
      // The journal flushes at least once a second: a kill loses at most the steps since.
      asPromised: integrity === 'ok' && firstAnswer.ok && losses.every((l) => l.lostSeconds <= 1.5),
    },
  };
}

/** A CSV whose header names 8 million columns: its text fits a heap of a couple of hundred MB, its column names do not. */
function wideCsvGzip(): Buffer {
  const columns = 8_000_000;
  const header = Buffer.alloc(columns * 9);
  for (let i = 0; i < columns; i++) header.write(`c${String(i).padStart(7, '0')},`, i * 9, 'latin1');
  return gzipSync(Buffer.concat([header, Buffer.from('label\n')]), { level: 1 });
}

async function workerOutOfMemory(lab: LabProcess, dir: string, heapMb: number): Promise<FaultOutcome[]> {
  const wide = wideCsvGzip();
  const widePath = join(dir, 'wide.csv');
  writeFileSync(widePath, wide);
  const swapped = join(dir, 'replaced.csv');
  writeFileSync(swapped, `x1,x2,label\n${Array.from({ length: 200 }, (_, i) => `${i % 7},${i % 5},${i % 2}`).join('\n')}\n`);
  const bystander = (await startRuns(lab, mlpRuns('fault bench: beside the OOM', 1500, [0]))).runs[0]!.id;
  const at = `${heapMb} MB heap per thread`;

  const registration = await underFault(`worker OOM: dataset registration (${at})`, lab, async () => {
    const answer = await lab.call('startRuns', mlpRuns('fault bench: wide CSV', 200, [0], widePath, 'label'), 120_000);
    const outOfMemory = !answer.ok && /memory/i.test(answer.message);
    return { outcome: `startRuns on a ${Math.round(wide.byteLength / MiB)} MiB gzip CSV of 8M columns: ${refusal(answer)}`, asPromised: outOfMemory };
  });

  const training = await underFault(`worker OOM: training worker (${at})`, lab, async () => {
    await expectValue(() => lab.call('addDataset', { path: swapped, target: 'label' }, 60_000), 'addDataset');
    writeFileSync(swapped, wide);
    const run = (await startRuns(lab, mlpRuns('fault bench: replaced CSV', 200, [0], swapped, 'label'))).runs[0]!.id;
    const [ended] = await waitForRuns(lab, [run], finished, 120_000);
    const [other] = await waitForRuns(lab, [bystander], finished, 120_000);
    return {
      outcome: `run ${run} on the CSV replaced after registration: ${ended!.status} (${shortMessage(ended!.error ?? '')}); run ${other!.id} beside it: ${other!.status}`,
      asPromised: ended!.status === 'failed' && /memory/i.test(ended!.error ?? '') && other!.status === 'completed',
    };
  });
  return [registration, training];
}

/** Writes zeros to `file` until `leaveBytes` remain free on its file system (or it is full). */
function fillDisk(file: string, leaveBytes: number): void {
  const { bavail, bsize } = statfsSync(file.slice(0, file.lastIndexOf('/')));
  let left = Math.max(0, bavail * bsize - leaveBytes);
  const block = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'a');
  try {
    while (left > 0) left -= writeSync(fd, block, 0, Math.min(block.length, left));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function fullDisk(repo: string, dir: string, backend: string, track: (lab: LabProcess) => void): Promise<FaultOutcome> {
  const skipped = (why: string): FaultOutcome => ({ fault: 'full disk (4 MiB tmpfs)', labStayedUp: 'skipped', answeredInMs: null, unanswered: 0, peakRssBytes: null, outcome: `skipped: ${why}`, asPromised: null });
  if (process.getuid?.() !== 0) return skipped('not root');
  const disk = join(dir, 'tmpfs');
  mkdirSync(disk);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk], { encoding: 'utf8' });
  if (mount.status !== 0) return skipped(`mount -t tmpfs failed: ${(mount.stderr || mount.error?.message || '').trim()}`);
  let lab: LabProcess | undefined;
  try {
    lab = await LabProcess.start(repo, join(disk, 'lab.db'), backend);
    track(lab);
    const running = lab;
    return await underFault('full disk (4 MiB tmpfs)', running, async () => {
      fillDisk(join(disk, 'filler'), MiB);
      const ids = (await startRuns(running, mlpRuns('fault bench: full disk', 100_000, [0, 1]))).runs.map((run) => run.id);
      const whileFull = await pollRuns(running, ids, finished, 30_000);
      fillDisk(join(disk, 'filler-rest'), 0);
      // The database file may still hold free pages: write until the disk-full answer, and check afterwards that
      // every write answered ok was stored.
      const stored: number[] = [];
      let write: Answer<ExperimentInfo> | undefined;
      for (let i = 0; i < 100 && (write === undefined || write.ok); i++) {
        write = await running.call<ExperimentInfo>('createExperiment', { name: `while the disk is full ${i}`, notes: randomBytes(10_000).toString('hex') });
        if (write.ok) stored.push(write.value.id);
      }
      rmSync(join(disk, 'filler'));
      rmSync(join(disk, 'filler-rest'));
      const freed = await pollRuns(running, ids, finished, 10_000);
      const experiments = await expectValue(() => running.call<ExperimentInfo[]>('listExperiments'), 'listExperiments');
      const missing = stored.filter((id) => !experiments.some((e) => e.id === id));
      const writeAgain = await running.call<ExperimentInfo>('createExperiment', { name: 'after space was freed' });
      const again = (await startRuns(running, mlpRuns('fault bench: after the full disk', 100, [0]))).runs[0]!.id;
      const [afterwards] = await waitForRuns(running, [again], finished, 120_000);
      const saysDiskFull = (run: RunInfo): boolean => run.status === 'failed' && /disk is full|disk full|no space left/i.test(run.error ?? '');
      return {
        outcome:
          `runs on the full disk: ${whileFull.done ? '' : 'after 30 s still '}${describeRuns(whileFull.runs)}; createExperiment with 20 kB notes: ${stored.length} ok${missing.length > 0 ? ` (${missing.length} of them NOT STORED)` : ''}, then ${write!.ok ? 'ok' : write!.code}; ` +
          `space freed: ${whileFull.done ? '' : `runs then ${describeRuns(freed.runs.filter((run, i) => run.status !== whileFull.runs[i]?.status))}, `}createExperiment ${writeAgain.ok ? 'ok' : writeAgain.code}, a 100-step run ${afterwards!.status}`,
        // A run's end is itself a write: on a disk that stays full it may be stored only once space is freed.
        asPromised: freed.done && freed.runs.every(saysDiskFull) && !write!.ok && write!.code === 'disk-full' && missing.length === 0 && writeAgain.ok && afterwards!.status === 'completed',
      };
    });
  } finally {
    await lab?.stop();
    if (spawnSync('umount', [disk]).status !== 0) spawnSync('umount', ['-l', disk]);
  }
}

// ── the bench ──

/** A fault whose setting up failed (a file, a run it needs) is a row of the table, not the end of the bench. */
async function settingUp(fault: string, lab: LabProcess, setUp: () => Promise<FaultOutcome[]>): Promise<FaultOutcome[]> {
  try {
    return await setUp();
  } catch (error) {
    const outcome = `the bench could not set it up: ${shortMessage((error as Error).message)}`;
    return [{ fault, labStayedUp: (await lab.answers()) ? 'yes' : 'no', answeredInMs: null, unanswered: 0, peakRssBytes: null, outcome, asPromised: false }];
  }
}

export async function runFaultBenchmark(options: BenchOptions): Promise<FaultBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'curvelab-fault-bench-'));
  benchDir = dir;
  const db = join(dir, 'lab.db');
  const labs: LabProcess[] = [];
  const track = (lab: LabProcess): LabProcess => (labs.push(lab), lab);
  const say = (line: string): void => {
    if (!options.json) console.error(line);
  };
  try {
    const first = track(await LabProcess.start(options.repo, db, options.backend));
    say(`serve ${first.url.split('?')[0]} (pid ${first.pid}): session…`);
    const { session, experimentId, runIds } = await runSession(first);
    say('hostile requests, hostile archive…');
    const faults = [...(await hostileRequests(first, runIds[0]!)), ...(await settingUp('hostile archive', first, async () => [await importHostileArchive(first, experimentId, options.archiveMib)]))];
    say('kill -9…');
    const { row, restarted } = await killAndRestart(first, db, async () => track(await LabProcess.start(options.repo, db, options.backend, options.oomHeapMb)));
    faults.push(row);
    say('worker out of memory…');
    faults.push(...(await settingUp('worker OOM', restarted, () => workerOutOfMemory(restarted, dir, options.oomHeapMb))));
    await restarted.stop();
    say('full disk…');
    faults.push(await fullDisk(options.repo, dir, options.backend, track));
    return { repo: options.repo, backend: options.backend, session, peakRssBytes: Math.max(...labs.map((lab) => lab.memory.peakBytes)), faults };
  } finally {
    await Promise.all(labs.map((lab) => lab.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const options = parseOptions(process.argv.slice(2));
const result = await runFaultBenchmark(options);
console.log(options.json ? JSON.stringify(result, null, 2) : formatFaultReport(result));
if (result.faults.some((fault) => fault.asPromised === false)) process.exitCode = 1;
