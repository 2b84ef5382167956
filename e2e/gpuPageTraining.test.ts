import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../src-main/engine/data/dataset';
import { loadRunDataset } from '../src-main/engine/data/loadDataset';
import type { StartEvent, TrainEvent } from '../src-main/engine/train/trainEvents';
import { close, trainOn } from '../src-main/engine/train/trainingRuns.testkit';
import { maxRelativeError, REQUIRE_WEBGPU_VAR } from '../src-main/engine/webgpu/webgpuTestSetup.testkit';
import type { ModelWeights } from '../src-main/engine/weights/modelWeights';
import { float32Values } from '../src-main/engine/weights/safetensors';
import { decodeWeightsFile } from '../src-main/engine/weights/weightsFile';
import { TRAINER_PORT_MESSAGE } from '../src-main/lab/gpuPage/pageProtocol';
import { PageTrainerPort, type PageChannel } from '../src-main/lab/gpuPage/pageTrainerPort';
import type { TrainerPort } from '../src-main/lab/runner/trainerPort';
import { answersTrainWith, FakeTrainer } from '../src-main/lab/runner/fakeTrainer.testkit';
import type { FromWorkerMessage } from '../src-main/lab/runner/workerProtocol';
import type { ModelSpec } from '../src-main/shared/modelSpec';
import type { RunSpec } from '../src-main/shared/runSpec';
import { launchBrowser, openWatchedPage, type WatchedPage } from './browser.testkit';

/**
 * The engine in a page: the page trainer (lab/gpuPage, bundled by scripts/buildGpuPage.mjs) served on
 * loopback to Debian's Chromium with WebGPU on SwiftShader, its software adapter, and driven by the
 * host's PageTrainerPort as the desktop app drives it in a hidden window. MNIST runs with CurveBall on an
 * MLP and on a CNN train inside the page, and each step's loss and CurveBall's ρ, β and λ are compared
 * with the same run trained in Node on TF.js's `cpu` backend: float32 both, summed in other orders, so
 * they agree to about 1e-3 (as the webgpu parity tests of the engine). The page must say it trained on
 * webgpu on a software adapter: a page that fell back to the CPU would not pass.
 *
 * Where Chromium has no WebGPU adapter the tests skip and say why, unless CURVELAB_REQUIRE_WEBGPU=1.
 */

const TOLERANCE = 1e-3;

let browser: Browser;
let server: Server;
let dir: string;
let pageUrl: string;
let noAdapter: string | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-gpu-page-'));
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'buildGpuPage.mjs'), dir]);
  server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.slice(1) || 'index.html';
    try {
      const body = readFileSync(join(dir, name.replace(/[/\\]/g, '')));
      response.writeHead(200, { 'content-type': extname(name) === '.html' ? 'text/html' : 'text/javascript' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  // Loopback http is a secure context, where a page has navigator.gpu (about:blank is not).
  pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  browser = await launchBrowser({ webgpu: true });
  noAdapter = await adapterMissing();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Why Chromium offers no WebGPU adapter here, or null when it does. */
async function adapterMissing(): Promise<string | null> {
  const { page } = await openWatchedPage(browser, pageUrl);
  const found = await page.evaluate(async () => {
    const gpu = (globalThis as unknown as { navigator: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator.gpu;
    return gpu ? (await gpu.requestAdapter()) !== null : false;
  });
  await page.close();
  return found ? null : 'Chromium offers no WebGPU adapter (SwiftShader) here';
}

/** Skips the test (saying why) where Chromium has no adapter, unless CI requires WebGPU. */
function needsAdapter(context: { skip(note?: string): void }): void {
  if (noAdapter === null) return;
  if (process.env[REQUIRE_WEBGPU_VAR] === '1') throw new Error(`${REQUIRE_WEBGPU_VAR}=1: ${noAdapter}`);
  console.warn(`gpu page tests skipped: ${noAdapter}`);
  context.skip(noAdapter);
}

/** What the bridge uses of the page's globals (the project's typings are Node's, not the DOM's). */
interface BrowserPort {
  postMessage(message: unknown, transfer?: BrowserPort[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
interface PageGlobals {
  MessageChannel: new () => { port1: BrowserPort; port2: BrowserPort };
  postMessage(message: unknown, targetOrigin: string, transfer: BrowserPort[]): void;
  curvelabToHost(message: unknown): void;
  curvelabHost: BrowserPort;
}

/** The host's end of a page trainer in Chromium: a MessageChannel made in the page, its other end bridged to Node by Playwright. */
async function openPlaywrightPage(pages: WatchedPage[], syncReads: string[]): Promise<PageChannel> {
  const watched = await openWatchedPage(browser, pageUrl);
  pages.push(watched);
  const { page } = watched;
  // tfjs-backend-webgpu warns once, at a page's first synchronous read (a slow copy through a canvas).
  page.on('console', (message) => {
    if (message.text().includes('synchronously reading data from GPU')) syncReads.push(message.text());
  });
  const listeners: ((message: unknown) => void)[] = [];
  await page.exposeFunction('curvelabToHost', (message: unknown) => listeners.forEach((listener) => listener(message)));
  await page.evaluate((portMessage) => {
    const page = globalThis as unknown as PageGlobals;
    const channel = new page.MessageChannel();
    channel.port1.onmessage = (event) => page.curvelabToHost(event.data);
    page.curvelabHost = channel.port1;
    page.postMessage(portMessage, '*', [channel.port2]);
  }, TRAINER_PORT_MESSAGE);
  // One after the other, in order, as a MessagePort delivers them.
  let sending = Promise.resolve();
  return {
    postMessage: (message) => {
      sending = sending.then(() => page.evaluate((m) => (globalThis as unknown as PageGlobals).curvelabHost.postMessage(m), message as unknown));
    },
    onMessage: (listener) => listeners.push(listener),
    onGone: (listener) => page.on('crash', () => listener('crashed')),
    close: () => void page.close(),
  };
}

/** Trains `spec` through a PageTrainerPort; its worker for a run the page cannot train is `startWorker`. */
async function trainInPage(
  spec: RunSpec,
  options: { allowSoftwareAdapter: boolean; startWorker?: () => TrainerPort; weightsFile?: string } = { allowSoftwareAdapter: true },
): Promise<{ events: TrainEvent[]; errors: string[]; exitCode: number; pageErrors: string[]; syncReads: string[] }> {
  const pages: WatchedPage[] = [];
  const syncReads: string[] = [];
  const port = new PageTrainerPort({
    openPage: () => openPlaywrightPage(pages, syncReads),
    startWorker: options.startWorker ?? (() => { throw new Error('the run went to a worker thread, not the page'); }),
    allowSoftwareAdapter: options.allowSoftwareAdapter,
  });
  const events: TrainEvent[] = [];
  const errors: string[] = [];
  const exited = new Promise<number>((resolve) => port.on('exit', resolve));
  port.on('error', (error) => errors.push(error.message));
  port.on('message', (message) => {
    const m = message as FromWorkerMessage;
    if (m.type === 'event') events.push(m.event);
    if (m.type === 'error') errors.push(m.stack ?? m.message);
  });
  port.postMessage({ type: 'train', runId: 1, spec, backend: 'webgpu', ...(options.weightsFile ? { weightsFile: options.weightsFile } : {}) });
  const exitCode = await exited;
  return { events, errors, exitCode, pageErrors: pages.flatMap((p) => p.errors), syncReads };
}

function mnistRun(overrides: Partial<RunSpec>): RunSpec {
  return {
    dataset: 'mnist',
    arch: 'mlp',
    archOptions: { widths: '32' },
    optimizer: 'curveball',
    optimizerOptions: {},
    steps: 6,
    batchSize: 32,
    shuffle: true,
    init: 'default',
    seed: 4,
    trainSize: 256,
    valSize: 64,
    ...overrides,
  };
}

const smallCnn: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ],
};

/**
 * The run in the page against the same run in Node on `cpu`, step by step, and its final weights (which
 * the page sends back and the host writes to a weights file) against the cpu run's.
 */
async function expectSameAsCpu(spec: RunSpec): Promise<void> {
  const dataset: Dataset = await loadRunDataset(spec);
  let cpuWeights: ModelWeights | null = null;
  const cpu = await trainOn('cpu', spec, dataset, { onFinalWeights: (weights) => (cpuWeights = weights()) });
  const weightsFile = join(dir, `weights-${spec.seed}-${typeof spec.arch === 'string' ? spec.arch : 'cnn'}.safetensors`);
  const page = await trainInPage(spec, { allowSoftwareAdapter: true, weightsFile });
  expect(page.errors).toEqual([]);
  expect(page.pageErrors).toEqual([]);
  // Every read on the page's path waits without blocking (a synchronous one would go through a canvas).
  expect(page.syncReads).toEqual([]);
  expect(page.exitCode).toBe(0);
  const start = page.events.find((e): e is StartEvent => e.type === 'start')!;
  expect(start.backend).toBe('webgpu');
  expect(start.backendReason).toMatch(/through Chromium's WebGPU/);
  expect(start.backendReason).toMatch(/a CPU\)/); // SwiftShader, the software adapter the tests allow
  const steps = page.events.filter((e) => e.type === 'step');
  expect(steps.map((s) => s.step)).toEqual(cpu.steps.map((s) => s.step));
  cpu.steps.forEach((c, i) => {
    const g = steps[i];
    expect(close(g.loss, c.loss, TOLERANCE), `step ${c.step} loss: page ${g.loss}, cpu ${c.loss}`).toBe(true);
    for (const key of ['rho', 'beta', 'lambda']) {
      expect(close(g.trace[key], c.trace[key], TOLERANCE), `step ${c.step} ${key}: page ${g.trace[key]}, cpu ${c.trace[key]}`).toBe(true);
    }
  });
  const done = page.events.at(-1);
  expect(done?.type === 'done' && done.status).toBe('completed');
  expect(done?.type === 'done' && close(done.valLoss, cpu.done.valLoss, TOLERANCE), `validation loss: page ${JSON.stringify(done)}, cpu ${cpu.done.valLoss}`).toBe(true);
  const pageWeights = decodeWeightsFile(readFileSync(weightsFile), weightsFile);
  const expected = cpuWeights as ModelWeights | null;
  expect(pageWeights.tensors.map((e) => e.name).sort()).toEqual(expected!.tensors.map((t) => t.name).sort());
  // Measured against the scale of all the weights: a conv bias before batch-norm has a true gradient of
  // zero, and holds only rounding noise on both sides.
  const scale = expected!.tensors.reduce((most, t) => t.values.reduce((m, v) => Math.max(m, Math.abs(v)), most), 0);
  for (const tensor of expected!.tensors) {
    const entry = pageWeights.tensors.find((e) => e.name === tensor.name)!;
    const error = maxRelativeError(float32Values(entry, pageWeights.bytesOf(entry), weightsFile), tensor.values, scale);
    expect(error, `final weights ${tensor.name}: max error ${error} of the weights' scale`).toBeLessThan(TOLERANCE);
  }
}

describe('the engine in a Chromium page on WebGPU (SwiftShader)', () => {
  it('trains an MLP (784-32-10, batch 32) with CurveBall as Node does on cpu: losses, ρ, β, λ step by step', async (context) => {
    needsAdapter(context);
    await expectSameAsCpu(mnistRun({}));
  });

  it('trains a CNN (conv, batch-norm, ReLU, max-pool, dense) with CurveBall as Node does on cpu', async (context) => {
    needsAdapter(context);
    await expectSameAsCpu(mnistRun({ arch: smallCnn, archOptions: {}, trainSize: 128 }));
  });

  it('refuses the software adapter unless allowed: the run goes to a worker on cpu-blas, its backend reason saying why', async (context) => {
    needsAdapter(context);
    const worker = new FakeTrainer(answersTrainWith([{ type: 'start', backend: 'cpu-blas', backendReason: 'OpenBLAS; requested' } as StartEvent]));
    const page = await trainInPage(mnistRun({}), { allowSoftwareAdapter: false, startWorker: () => worker });
    expect(worker.posted).toEqual([expect.objectContaining({ type: 'train', runId: 1, backend: 'cpu-blas' })]);
    const start = page.events.find((e): e is StartEvent => e.type === 'start')!;
    expect(start.backendReason).toBe('no hardware GPU: the only WebGPU adapter is google (a CPU): training on cpu-blas (OpenBLAS; requested)');
    expect(page.exitCode).toBe(0);
  });
});
