import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueTimings, workerKeyPattern, type WorkerHeartbeat } from '../lab/queue/queueProtocol';
import type { QueueWorker } from '../lab/queue/queueWorker';
import { startTestRedis, type TestRedis } from '../lab/queue/redisServer.testkit';
import { parseWorkerArgs, runWorkerCommand } from './workerCommand';

const dir = mkdtempSync(join(tmpdir(), 'curvelab-worker-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = {};

describe('parseWorkerArgs', () => {
  it('reads every flag, --dataset repeated', () => {
    expect(
      parseWorkerArgs(
        ['--redis', 'redis://u:pw@10.0.0.2:6380/1', '--concurrency', '2', '--backend', 'cpu', '--name', 'gpu-box', '--dataset', dir, '--dataset', '.', '--lab', 'http://lab:7860/', '--token', 'T', '--cache', '/data/cache'],
        env,
      ),
    ).toEqual({
      redis: { url: 'redis://u:pw@10.0.0.2:6380/1', display: 'redis://u:***@10.0.0.2:6380/1', tls: false },
      concurrency: 2,
      backend: 'cpu',
      name: 'gpu-box',
      datasets: [dir, '.'],
      lab: { url: 'http://lab:7860/', token: 'T' },
      cacheDir: '/data/cache',
      timings: queueTimings,
    });
  });

  it('defaults: the backend from CURVELAB_BACKEND or auto, the cache under XDG_CACHE_HOME or ~/.cache, no lab', () => {
    expect(parseWorkerArgs(['--redis', 'redis://localhost'], env)).toMatchObject({ backend: 'auto', datasets: [], cacheDir: join(homedir(), '.cache', 'curvelab', 'datasets') });
    const options = parseWorkerArgs(['--redis', 'redis://localhost'], { ...env, XDG_CACHE_HOME: '/xdg', CURVELAB_BACKEND: 'cpu-blas' });
    expect(options).toMatchObject({ backend: 'cpu-blas', cacheDir: '/xdg/curvelab/datasets' });
    expect(options.lab).toBeUndefined();
    expect(options.concurrency).toBeUndefined();
  });

  it("takes the lab's token from --token, else CURVELAB_TOKEN, else the ?token= of the address serve printed", () => {
    const lab = (argv: string[], e: NodeJS.ProcessEnv = env) => parseWorkerArgs(['--redis', 'redis://localhost', ...argv], e).lab;
    expect(lab(['--lab', 'http://lab:7860/?token=fromurl'])).toEqual({ url: 'http://lab:7860/', token: 'fromurl' });
    expect(lab(['--lab', 'http://lab:7860/?token=fromurl'], { ...env, CURVELAB_TOKEN: 'fromenv' })).toEqual({ url: 'http://lab:7860/', token: 'fromenv' });
    expect(lab(['--lab', 'http://lab:7860/?token=fromurl', '--token', 'flag'], { ...env, CURVELAB_TOKEN: 'fromenv' })).toEqual({ url: 'http://lab:7860/', token: 'flag' });
    expect(lab(['--lab', 'http://127.0.0.1:7860'])).toEqual({ url: 'http://127.0.0.1:7860/' });
  });

  it.each([
    [[], /--redis is required/],
    [['--redis', 'http://localhost'], /^--redis: unknown scheme http:/],
    [['--redis', 'redis://localhost', '--concurrency', '0'], /--concurrency 0: expected a positive integer/],
    [['--redis', 'redis://localhost', '--dataset', '/no/such/data'], /--dataset \/no\/such\/data: no such file or folder/],
    [['--redis', 'redis://localhost', '--token', 'T'], /--token is the access token of --lab/],
    [['--redis', 'redis://localhost', '--lab', 'lab:7860'], /--lab lab:7860: expected/],
    [['--redis', 'redis://localhost', '--name', ' '], /--name: expected a label/],
    [['--redis', 'redis://localhost', 'extra'], /extra/],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseWorkerArgs(argv, env)).toThrow(message);
  });

  it('refuses bad queue timings from the environment', () => {
    expect(() => parseWorkerArgs(['--redis', 'redis://localhost'], { ...env, CURVELAB_QUEUE_LOCK_MS: 'soon' })).toThrow(/CURVELAB_QUEUE_LOCK_MS/);
  });
});

describe('runWorkerCommand', () => {
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  function fakeWorker(): QueueWorker & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      id: 'box-1-abcd',
      name: 'box:1',
      backend: { name: 'cpu', reason: 'plain TF.js', attempts: [] },
      concurrency: 1,
      runningCount: 1,
      close: async () => void calls.push('close'),
      stopNow: async () => void calls.push('stopNow'),
    };
  }

  it('says who it is and where it takes runs from (no password), then closes gracefully on the first signal', async () => {
    const worker = fakeWorker();
    const printed: string[] = [];
    const notices: string[] = [];
    let signal!: () => void;
    const exit = runWorkerCommand(['--redis', 'redis://:hunter2@10.1.1.1:6379', '--backend', 'cpu'], {
      startWorker: async () => worker,
      onStopSignal: (handler) => ((signal = handler), () => undefined),
      print: (line) => printed.push(line),
      notice: (line) => notices.push(line),
    });
    await until(() => printed.length > 0);
    expect(printed).toEqual(['curvelab worker box:1 (box-1-abcd): backend cpu, 1 run at once, taking runs from redis://:***@10.1.1.1:6379']);
    signal();
    expect(await exit).toBe(0);
    expect(worker.calls).toEqual(['close']);
    expect(notices).toEqual(['curvelab worker: finishing 1 run; Ctrl-C again to stop now: their runs move to another worker']);
  });

  it('stops now on the second signal', async () => {
    const worker = fakeWorker();
    worker.close = () => new Promise(() => worker.calls.push('close')); // the run never finishes
    const notices: string[] = [];
    let signal!: () => void;
    const exit = runWorkerCommand(['--redis', 'redis://localhost'], {
      startWorker: async () => worker,
      onStopSignal: (handler) => ((signal = handler), () => undefined),
      print: () => undefined,
      notice: (line) => notices.push(line),
    });
    await until(() => signal !== undefined);
    signal();
    signal();
    expect(await exit).toBe(0);
    expect(worker.calls).toEqual(['close', 'stopNow']);
    expect(notices[1]).toBe('curvelab worker: stopping now; its runs move to another worker');
  });
});

describe('curvelab worker (the real command, against a real redis-server)', () => {
  const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis({ password: 's3cret' });
  });
  afterAll(() => redis?.stop());

  function curvelab(args: string[]) {
    const child = spawn(process.execPath, [bin, 'worker', ...args], { env: { ...process.env, XDG_CACHE_HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it('announces itself in Redis while it runs, and leaves on SIGINT with exit 0, its heartbeat gone', async () => {
    const worker = curvelab(['--redis', redis.url, '--backend', 'cpu', '--name', 'cli-worker', '--concurrency', '3']);
    const client = new Redis(redis.url);
    try {
      const until = Date.now() + 60_000;
      while (!worker.out().includes('\n') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(worker.out()).toMatch(new RegExp(`^curvelab worker cli-worker \\(\\S+-${worker.child.pid}-[0-9a-f]{4}\\): backend cpu, 3 runs at once, taking runs from redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}\\n$`));
      const keys = await client.keys(workerKeyPattern);
      expect(keys).toHaveLength(1);
      expect(JSON.parse((await client.get(keys[0]!))!) as WorkerHeartbeat).toMatchObject({ name: 'cli-worker', concurrency: 3, backend: { name: 'cpu' }, runs: [] });
      worker.child.kill('SIGINT');
      expect(await worker.exited).toBe(0);
      expect(worker.err()).toContain('curvelab worker: finishing 0 runs; Ctrl-C again to stop now');
      expect(await client.keys(workerKeyPattern)).toEqual([]);
    } finally {
      worker.child.kill('SIGKILL');
      client.disconnect();
    }
  });

  it('exits 2 with a clear message, and without the password, when Redis refuses it', async () => {
    const worker = curvelab(['--redis', `redis://:wrong-pass@127.0.0.1:${redis.port}`, '--backend', 'cpu']);
    expect(await worker.exited).toBe(2);
    expect(worker.err()).toMatch(new RegExp(`^curvelab: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} refused the worker: WRONGPASS`));
    expect(worker.err()).not.toContain('wrong-pass');
  });
});
