/**
 * `npm run bench:ui`: the Compare view at study scale, measured as a user meets it.
 *
 * Generates a lab database of 50 runs × 20,000 steps through the store's own API (of the checkout
 * measured, so its schema matches), starts that checkout's real `curvelab serve` on it, opens Debian's
 * Chromium at 1440×900, selects every run on the Runs screen, clicks "Compare selected" and measures:
 *
 * - drawn: from the click to the charts drawn, that is the view is not loading (`data-loading`), every
 *   compare panel holds a canvas with no redraw waiting (`data-drawn="false"` marks one that waits its
 *   turn), no API request is pending, and two animation frames have passed since (a definition any
 *   version of the UI meets, whatever it draws first);
 * - the bytes the API calls transferred (CDP Network, encodedDataLength) from the click to drawn;
 * - the longest main-thread task in that time (PerformanceObserver 'longtask': tasks ≥ 50 ms);
 * - hover frames: the mouse moved across the first chart, from each move's event time to the next
 *   frame painted after it (a task queued from the following animation frame runs after its paint);
 * - zoom frames: the same for wheel events over the chart, "n/a" when the UI does not take the wheel
 *   (nobody called preventDefault, so the page scrolled instead);
 * - the floor under them: wheel frames over a bare element whose handler only calls preventDefault
 *   (in headless Chromium a non-passive wheel listener alone costs about a frame more than a mouse move);
 * - for each, also the time from when the page began handling the event to the frame: the page's own
 *   part, apart from how long the browser took to hand the event over.
 *
 * The click is measured in `--rounds` rounds (5), each with a fresh `curvelab serve` and browser; the
 * median and every round are printed (a shared machine's noise moves one round by 100 ms or more). Hover
 * and zoom are measured in the last round.
 *
 * Usage: tsx e2e/uiBenchmark.ts [--repo DIR] [--runs 50] [--steps 20000] [--db FILE] [--rounds 5] [--screenshot FILE] [--json] [--profile] [--timeline]
 *   --db FILE keeps the generated database there and reuses it when it exists (do not reuse one
 *   across checkouts whose migrations differ).
 *   --profile records the page's CPU profile while drawing and while zooming, and prints the functions
 *   with the most self and total time in each, and writes each profile to a file for DevTools (sampling
 *   slows the page a little: take timings without it).
 *   --screenshot FILE saves the drawn view of the last round (a PNG of the whole page).
 *   --timeline prints, from the click to drawn, when each API request started, got its first byte and
 *   ended, and each long task: where the time goes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright';
import { launchBrowser } from './browser.testkit';
import { topSelfTimes, topTotalTimes, type CpuProfile } from './cpuProfileSummary';
import { stopChild } from './servedLab.testkit';

interface BenchOptions {
  repo: string;
  runs: number;
  steps: number;
  db: string | null;
  json: boolean;
  profile: boolean;
  timeline: boolean;
  rounds: number;
  screenshot: string | null;
}

export interface UiBenchResult {
  repo: string;
  runs: number;
  steps: number;
  panels: number;
  /** The median over the rounds, each from a fresh `curvelab serve` and browser. */
  drawnMs: number;
  /** Each round's, in order. */
  drawnRoundsMs: number[];
  apiRequests: number;
  apiBytes: number;
  /** The median over the rounds of each round's longest task (0 when none reached 50 ms, the longtask threshold)... */
  longestTaskMs: number;
  /** ...and the longest of all rounds. */
  longestTaskMaxMs: number;
  hover: FrameStats;
  /** Null when the UI does not zoom on the wheel. */
  zoom: FrameStats | null;
  /** Wheel frames over a bare element whose handler does nothing but preventDefault: what this browser takes for any wheel frame. */
  wheelFloor: FrameStats;
}

interface FrameStats {
  samples: number;
  medianMs: number;
  p95Ms: number;
  /** The same from when the page began handling each event: its own part of the frame. */
  fromDispatch: { medianMs: number; p95Ms: number };
}

const stepsPerEpoch = 500;
const hoverMoves = 40;
const wheelTicks = 12;

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string', default: join(import.meta.dirname, '..') },
      runs: { type: 'string', default: '50' },
      steps: { type: 'string', default: '20000' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '5' },
      screenshot: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const steps = Number(values.steps);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);
  if (!Number.isInteger(steps) || steps < 2) throw new Error(`--steps: expected an integer ≥ 2, got ${values.steps}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer, got ${values.rounds}`);
  return { repo: resolve(values.repo), runs, steps, db: values.db ? resolve(values.db) : null, json: values.json, profile: values.profile, timeline: values.timeline, rounds, screenshot: values.screenshot ? resolve(values.screenshot) : null };
}

// ── the database ──

interface MinimalStore {
  createExperiment(input: { name: string }): { id: number };
  createRun(experimentId: number, spec: unknown): { id: number };
  recordRun(runId: number, options?: { flushIntervalMs?: number }): { record(event: unknown): void; close(): void };
  close(): void;
}

/** The runs: two experiments (an MLP and a CNN), optimizers alternating, seeds counting up. */
function runPlan(runs: number): { experiment: 0 | 1; arch: string; optimizer: string; seed: number }[] {
  const optimizers = [
    ['curveball', 'sgd'],
    ['curveball', 'adam', 'sgd'],
  ];
  return Array.from({ length: runs }, (_, i) => {
    const experiment = i < Math.ceil(runs / 2) ? 0 : 1;
    const choices = optimizers[experiment];
    return { experiment, arch: experiment === 0 ? 'mlp' : 'basic-cnn', optimizer: choices[i % choices.length], seed: Math.floor(i / choices.length) };
  });
}

async function generateDatabase(repo: string, file: string, runs: number, steps: number): Promise<void> {
  const { openStore } = (await import(pathToFileURL(join(repo, 'src-main/lab/store/openStore.ts')).href)) as { openStore(path: string): MinimalStore };
  const store = openStore(file);
  try {
    const experiments = [store.createExperiment({ name: 'mnist · mlp · curveball, sgd' }).id, store.createExperiment({ name: 'mnist · basic-cnn · curveball, adam, sgd' }).id];
    runPlan(runs).forEach((plan, index) => {
      const spec = {
        dataset: 'mnist',
        arch: plan.arch,
        archOptions: {},
        optimizer: plan.optimizer,
        optimizerOptions: plan.optimizer === 'sgd' ? { lr: [0.05, 0.1, 0.15][index % 3] } : {},
        steps,
        batchSize: 64,
        shuffle: true,
        init: 'default',
        seed: plan.seed,
      };
      const runId = store.createRun(experiments[plan.experiment], spec).id;
      const journal = store.recordRun(runId, { flushIntervalMs: 60_000 });
      for (const event of runEvents(index, plan.optimizer, steps)) journal.record(event);
      journal.close();
    });
  } finally {
    store.close();
  }
}

/** A plausible run: a decaying noisy loss with rare spikes, its optimizer's traces, an epoch every 500 steps. */
function* runEvents(index: number, optimizer: string, steps: number): Generator<object> {
  let seed = 1 + index * 7919;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const secondsPerStep = 0.004 * (optimizer === 'curveball' ? 2 : 1) * (1 + index / 100);
  const modePasses = optimizer === 'curveball' ? 2 : 0;
  yield {
    type: 'start',
    backend: 'cpu',
    backendReason: 'benchmark',
    dataset: { name: 'mnist', task: 'classification', inputShape: [28, 28, 1], classes: 10, trainSize: 60000, validationSize: 10000, augment: false },
    model: { layers: [], paramCount: 0 },
    optimizer,
    totalSteps: steps,
    stepsPerEpoch,
  };
  let epochLoss = 0;
  let loss = 0;
  for (let step = 0; step < steps; step++) {
    const base = 0.05 + 2.3 * Math.exp(-step / (1500 + 40 * index));
    loss = base * (1 + 0.3 * (random() - 0.5)) * (random() < 0.001 ? 8 : 1);
    const trace: Record<string, number> =
      optimizer === 'curveball'
        ? { rho: 0.9 + 0.09 * random(), beta: 0.01 * random(), lambda: Math.max(1e-4, 10 * Math.exp(-step / 3000)) }
        : { lr: optimizer === 'adam' ? 1e-3 : 0.1 };
    yield {
      type: 'step',
      step,
      epoch: Math.floor(step / stepsPerEpoch),
      loss,
      accuracy: Math.min(1, Math.max(0, 1 - loss / 2.4 + 0.05 * (random() - 0.5))),
      seconds: (step + 1) * secondsPerStep,
      forwardPasses: step + 1,
      backwardPasses: step + 1,
      forwardModePasses: modePasses * (step + 1),
      trace,
    };
    epochLoss += loss;
    if ((step + 1) % stepsPerEpoch === 0 || step === steps - 1) {
      const inEpoch = step % stepsPerEpoch + 1;
      yield {
        type: 'epoch',
        epoch: Math.floor(step / stepsPerEpoch),
        steps: step + 1,
        trainLoss: epochLoss / inEpoch,
        trainAccuracy: 1 - epochLoss / inEpoch / 2.4,
        valLoss: (1.1 * epochLoss) / inEpoch,
        valAccuracy: 1 - (1.1 * epochLoss) / inEpoch / 2.4,
        seconds: (step + 1) * secondsPerStep,
      };
      epochLoss = 0;
    }
  }
  yield {
    type: 'done',
    status: 'completed',
    steps,
    trainLoss: loss,
    valLoss: loss,
    valAccuracy: 0.9,
    trainEvalLoss: loss,
    trainEvalAccuracy: 0.9,
    seconds: steps * secondsPerStep,
    backend: 'cpu',
  };
}

// ── the server ──

async function startServe(repo: string, db: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(repo, 'bin/curvelab.js'), 'serve', '--db', db, '--port', '0', '--backend', 'cpu'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`curvelab serve did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /https?:\/\/\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`curvelab serve exited with code ${code}:\n${output}`));
    });
  });
  return { url, stop: () => stopChild(child) };
}

// ── the page ──

/** What uiBenchmarkPage.js (installed before the app loads) collects in the page, as window.__bench. */
interface PageBench {
  pending: number;
  longTasks: { start: number; duration: number }[];
  frames: Frame[];
  clickAt: number;
  drawnAt: number;
}

interface Frame {
  kind: string;
  /** From the event's time stamp to the next frame painted after it. */
  ms: number;
  /** From when the page began handling it. */
  fromDispatchMs: number;
  prevented: boolean;
}

/** window.__bench in the page (this file is compiled without the DOM's types, hence globalThis). */
const benchOf = (): PageBench => (globalThis as unknown as { __bench: PageBench }).__bench;

async function pageBench(page: Page): Promise<PageBench> {
  return page.evaluate(benchOf);
}

interface OpenedCompare {
  panels: number;
  drawnMs: number;
  apiRequests: number;
  apiBytes: number;
  /** 0 when no task reached 50 ms. */
  longestTaskMs: number;
}

/** Selects every run on the Runs screen, clicks "Compare selected" and waits for the charts to be drawn. */
async function openCompare(page: Page, cdp: Cdp, options: BenchOptions): Promise<OpenedCompare> {
  await cdp.send('Network.enable');
  const apiRequests = new Set<string>();
  let counting = false;
  let apiBytes = 0;
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (counting && new URL(e.request.url).pathname.startsWith('/api/')) apiRequests.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (apiRequests.has(e.requestId)) apiBytes += e.encodedDataLength;
  });

  const experimentBoxes = page.locator('[data-testid="experiment-select"]');
  await experimentBoxes.first().waitFor({ timeout: 60_000 });
  for (const box of await experimentBoxes.all()) await box.check();
  const compareButton = page.locator('[data-testid="compare-selected"]');
  const label = (await compareButton.textContent()) ?? '';
  if (!label.includes(`(${options.runs})`)) throw new Error(`expected ${options.runs} runs selected, the button says "${label.trim()}"`);

  // The app's own start-up requests (the Runs screen's, dataset previews) end first: the click is timed
  // against an idle lab, as a user who looks over the table before comparing meets it.
  await page.waitForFunction(() => (globalThis as unknown as { __bench: PageBench }).__bench.pending === 0, null, { timeout: 60_000, polling: 100 });
  await page.waitForTimeout(500);
  const profiler = options.profile ? await startProfiler(cdp) : null;
  counting = true;
  await compareButton.click();
  await page.waitForFunction(() => (globalThis as unknown as { __bench: PageBench }).__bench.drawnAt >= 0, null, { timeout: Number(process.env['UI_BENCH_TIMEOUT_MS'] ?? 300_000), polling: 100 }).catch(async (error: Error) => {
    const { pending, clickAt } = await pageBench(page);
    throw new Error(`the charts were not drawn (${pending} API requests pending, clicked at ${clickAt} ms): ${error.message}`);
  });
  counting = false;
  if (profiler) await profiler.print('drawing');
  const bench = await pageBench(page);
  const during = bench.longTasks.filter((t) => t.start + t.duration >= bench.clickAt && t.start <= bench.drawnAt);
  if (options.timeline) await printTimeline(page, bench, during);
  const panels = await page.locator('[data-testid="compare-panel"]').count();
  return { panels, drawnMs: bench.drawnAt - bench.clickAt, apiRequests: apiRequests.size, apiBytes, longestTaskMs: Math.max(0, ...during.map((t) => t.duration)) };
}

type Interactions = Pick<UiBenchResult, 'hover' | 'zoom' | 'wheelFloor'>;

/** Hover across the first chart, wheel over it, then wheel over a bare element: each input's frame time. */
async function interact(page: Page, cdp: Cdp, options: BenchOptions): Promise<Interactions> {

  const canvas = page.locator('[data-testid="compare-panel"] canvas').first();
  await canvas.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the first chart has no box');
  const y = box.y + box.height / 2;
  const frames = async (kind: string, act: (i: number) => Promise<void>, count: number): Promise<Frame[]> => {
    await page.evaluate(() => void ((globalThis as unknown as { __bench: PageBench }).__bench.frames = []));
    for (let i = 0; i < count; i++) {
      await act(i);
      // One input at a time: wait for its frame (or give up after 2 s, which still counts as measured).
      await page.waitForFunction((n) => (globalThis as unknown as { __bench: PageBench }).__bench.frames.length > n, i, { timeout: 5_000, polling: 'raf' }).catch(() => {});
    }
    await page.waitForTimeout(200);
    return (await pageBench(page)).frames.filter((f) => f.kind === kind);
  };
  const hover = await frames('hover', (i) => page.mouse.move(box.x + box.width * (0.1 + (0.8 * i) / (hoverMoves - 1)), y), hoverMoves);
  await page.mouse.move(box.x + box.width / 2, y);
  await page.waitForTimeout(300);
  const zoomProfiler = options.profile ? await startProfiler(cdp) : null;
  const zoom = await frames('zoom', (i) => page.mouse.wheel(0, i < wheelTicks / 2 ? -120 : 120), wheelTicks);
  if (zoomProfiler) await zoomProfiler.print('zooming');
  // The floor under the zoom figure: the same wheel over an element whose handler only calls preventDefault.
  // Evaluated as text: this file compiles without the DOM's types.
  await page.evaluate(`{
    const pad = document.createElement('div');
    pad.style.cssText = 'position:fixed;left:0;top:0;width:200px;height:200px;z-index:99999';
    pad.addEventListener('wheel', (e) => e.preventDefault(), { passive: false });
    document.body.append(pad);
  }`);
  await page.mouse.move(100, 100);
  await page.waitForTimeout(300);
  const wheelFloor = await frames('zoom', (i) => page.mouse.wheel(0, i < wheelTicks / 2 ? -120 : 120), wheelTicks);
  return {
    hover: frameStats(hover),
    zoom: zoom.some((f) => f.prevented) ? frameStats(zoom) : null,
    wheelFloor: frameStats(wheelFloor),
  };
}

/** The API requests (Resource Timing) and long tasks between the click and drawn, in ms after the click. */
async function printTimeline(page: Page, bench: PageBench, longTasks: PageBench['longTasks']): Promise<void> {
  const requests = await page.evaluate(
    (clickAt) =>
      (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; startTime: number; responseStart: number; responseEnd: number; encodedBodySize: number }[] } }).performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/') && e.startTime >= clickAt)
        .map((e) => ({ name: new URL(e.name).pathname, start: e.startTime, firstByte: e.responseStart, end: e.responseEnd, bytes: e.encodedBodySize })),
    bench.clickAt,
  );
  // The app's own marks and measures ("compare: …").
  const marks = await page.evaluate(
    (clickAt) =>
      (globalThis as unknown as { performance: { getEntries(): { name: string; entryType: string; startTime: number; duration: number }[] } }).performance
        .getEntries()
        .filter((e) => (e.entryType === 'mark' || e.entryType === 'measure') && e.name.startsWith('compare') && e.startTime >= clickAt)
        .map((e) => ({ name: e.name, start: e.startTime, duration: e.duration })),
    bench.clickAt,
  );
  const at = (t: number): string => `${(t - bench.clickAt).toFixed(0).padStart(5)} ms`;
  console.log('timeline after the click:');
  for (const r of requests) console.log(`  ${at(r.start)}  ${r.name}: first byte at ${at(r.firstByte).trim()}, ended at ${at(r.end).trim()} (${(r.bytes / 1e6).toFixed(2)} MB)`);
  const lines = [
    ...longTasks.map((t) => ({ start: t.start, text: `long task of ${t.duration.toFixed(0)} ms` })),
    ...marks.map((m) => ({ start: m.start, text: m.duration > 0 ? `${m.name} (${m.duration.toFixed(0)} ms)` : m.name })),
  ].sort((a, b) => a.start - b.start);
  for (const line of lines) console.log(`  ${at(line.start)}  ${line.text}`);
  console.log(`  ${at(bench.drawnAt)}  drawn`);
}

type Cdp = Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>;

/** Starts sampling the page's main thread; `print` stops and prints the top functions by self time. */
async function startProfiler(cdp: Cdp): Promise<{ print(phase: string): Promise<void> }> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async print(phase) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const file = join(tmpdir(), `curvelab-ui-bench-${phase}-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile while ${phase}: ${file} (DevTools, Performance panel, loads it)`);
      for (const [by, times] of [['self', topSelfTimes(profile, 15)], ['total', topTotalTimes(profile, 25)]] as const) {
        console.log(`CPU profile while ${phase}, by ${by} time:`);
        for (const { name, ms } of times) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
      }
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function frameStats(frames: Frame[]): FrameStats {
  const quantiles = (ms: number[]): { medianMs: number; p95Ms: number } => {
    const sorted = [...ms].sort((a, b) => a - b);
    const at = (q: number): number => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
    return { medianMs: at(0.5), p95Ms: at(0.95) };
  };
  return { samples: frames.length, ...quantiles(frames.map((f) => f.ms)), fromDispatch: quantiles(frames.map((f) => f.fromDispatchMs)) };
}

export async function runUiBenchmark(options: BenchOptions): Promise<UiBenchResult> {
  const tempDir = options.db ? null : mkdtempSync(join(tmpdir(), 'curvelab-ui-bench-'));
  const db = options.db ?? join(tempDir!, 'lab.db');
  try {
    if (!existsSync(db)) {
      const started = performance.now();
      await generateDatabase(options.repo, db, options.runs, options.steps);
      if (!options.json) console.log(`generated ${options.runs} runs × ${options.steps} steps in ${((performance.now() - started) / 1000).toFixed(1)} s: ${db}`);
    }
    const opened: OpenedCompare[] = [];
    let interactions: Interactions | null = null;
    for (let round = 1; round <= options.rounds; round++) {
      if (!options.json) console.log(`round ${round} of ${options.rounds}…`);
      // A fresh server and browser each round: every round meets what a user opening the lab meets.
      const server = await startServe(options.repo, db);
      const browser = await launchBrowser();
      try {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        await context.addInitScript({ path: join(import.meta.dirname, 'uiBenchmarkPage.js') });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(server.url);
        const cdp = await page.context().newCDPSession(page);
        opened.push(await openCompare(page, cdp, options));
        if (options.screenshot && round === options.rounds) await page.screenshot({ path: options.screenshot, fullPage: true });
        if (round === options.rounds) interactions = await interact(page, cdp, options);
        if (errors.length > 0) throw new Error(`the page failed:\n${errors.join('\n')}`);
      } finally {
        await browser.close();
        await server.stop();
      }
    }
    const last = opened.at(-1)!;
    return {
      repo: options.repo,
      runs: options.runs,
      steps: options.steps,
      panels: last.panels,
      drawnMs: median(opened.map((o) => o.drawnMs)),
      drawnRoundsMs: opened.map((o) => o.drawnMs),
      apiRequests: last.apiRequests,
      apiBytes: last.apiBytes,
      longestTaskMs: median(opened.map((o) => o.longestTaskMs)),
      longestTaskMaxMs: Math.max(...opened.map((o) => o.longestTaskMs)),
      ...interactions!,
    };
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function table(r: UiBenchResult): string {
  const ms = (v: number): string => `${v.toFixed(v < 100 ? 1 : 0)} ms`;
  const task = (v: number): string => (v === 0 ? '< 50 ms (no long task)' : ms(v));
  const stats = (s: FrameStats | null): string =>
    s ? `${ms(s.medianMs)} / ${ms(s.p95Ms)} (${s.samples} frames); from the page's handling: ${ms(s.fromDispatch.medianMs)} / ${ms(s.fromDispatch.p95Ms)}` : 'n/a';
  const rows: [string, string][] = [
    ['charts drawn after the click', `${ms(r.drawnMs)} median of ${r.drawnRoundsMs.length} round${r.drawnRoundsMs.length === 1 ? '' : 's'} (${r.drawnRoundsMs.map((v) => v.toFixed(0)).join(', ')})`],
    ['API bytes transferred', `${(r.apiBytes / 1e6).toFixed(2)} MB in ${r.apiRequests} requests`],
    ['longest main-thread task', `${task(r.longestTaskMs)} median, ${task(r.longestTaskMaxMs)} at most`],
    ['hover frame median / p95', stats(r.hover)],
    ['zoom frame median / p95', stats(r.zoom)],
    ['wheel frame with a no-op handler', stats(r.wheelFloor)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`Compare view: ${r.runs} runs × ${r.steps} steps, ${r.panels} panels, 1440×900 (${r.repo})`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

const options = parseOptions(process.argv.slice(2));
const result = await runUiBenchmark(options);
console.log(options.json ? JSON.stringify(result, null, 2) : table(result));
