import type { Dataset } from '../data/dataset';
import { buildModel, datasetIO } from '../train/buildModel';
import type { RunSpec } from '../../shared/runSpec';
import { metricsInFlight, train } from '../train/trainer';
import type { StepEvent } from '../train/trainEvents';
import { gpuWorkBetween, gpuWorkCounts, gpuWorkPerStep, type GpuWorkCounts } from '../webgpu/gpuCounters';
import { syntheticDataset } from './syntheticDataset';

export interface BenchmarkCase {
  arch: RunSpec['arch'];
  archOptions: Record<string, string>;
  optimizer: string;
  optimizerOptions: RunSpec['optimizerOptions'];
  batchSize: number;
  inputShape: number[];
  classes: number;
  /** Timed steps (after the warm-up), at most. */
  steps: number;
  /** Stop timing after this many seconds (but time at least two steps). */
  maxSeconds: number;
}

export interface BenchmarkResult {
  arch: string;
  optimizer: string;
  batchSize: number;
  inputShape: number[];
  backend: string;
  /** Median wall time of a timed step. */
  msPerStep: number;
  timedSteps: number;
  /** Multiply-adds ×2 of one step's dense and conv work, counting each pass (see flopsPerStep). */
  flopsPerStep: number;
  /** flopsPerStep / median step time. */
  gflops: number;
  /** On webgpu, what a timed step asked of the GPU (the mean over the timed steps); null on other backends. */
  gpuWorkPerStep: GpuWorkCounts | null;
}

interface BenchmarkBackend {
  name: string;
  reason: string;
}

const WARMUP_STEPS = 2;

/**
 * The untimed steps: two to warm up (kernels compiled, buffers allocated), and on webgpu also the steps
 * the trainer runs ahead of the device while it reads metrics without waiting. After those, each step
 * is taken only once the step `metricsInFlight` before it is done on the device, so a timed step's time
 * is the device's, not just the time to queue its work.
 */
function warmUpSteps(backend: BenchmarkBackend): number {
  return WARMUP_STEPS + (backend.name === 'webgpu' ? metricsInFlight : 0);
}

/**
 * Times training steps of one model/optimizer/batch on synthetic data through the real training loop
 * (the same code path as `curvelab train`), after a warm-up.
 */
export async function runBenchmarkCase(c: BenchmarkCase, backend: BenchmarkBackend): Promise<BenchmarkResult> {
  const warmUp = warmUpSteps(backend);
  const dataset = syntheticDataset(c.inputShape, c.classes, c.batchSize * (warmUp + c.steps));
  const spec: RunSpec = {
    dataset: dataset.name,
    arch: c.arch,
    archOptions: c.archOptions,
    optimizer: c.optimizer,
    optimizerOptions: c.optimizerOptions,
    steps: warmUp + c.steps,
    batchSize: c.batchSize,
    shuffle: false,
    init: 'default',
    seed: 0,
  };
  const model = buildModel(spec.arch, spec.archOptions, datasetIO(dataset));
  // A warm-up run first fills the backend's caches (webgpu/cachedDispatch.ts), so that the timed run and
  // the warm-up run taken from it below set up alike: only the timed steps' work is left.
  if (backend.name === 'webgpu') await warmUpGpuWork(c, spec, backend, warmUp);
  let timingStarted = 0;
  const { steps, gpuWork } = await trainSteps(spec, dataset, backend, (e, stop) => {
    if (e.step === warmUp - 1) timingStarted = e.seconds;
    const timed = e.step - warmUp + 1;
    if (timed >= 2 && e.seconds - timingStarted > c.maxSeconds) stop();
  });
  const timed = steps.slice(warmUp);
  const durations = timed.map((s, i) => s.seconds - steps[warmUp + i - 1].seconds);
  const msPerStep = median(durations) * 1000;
  const flopsPerStep = model.flopsPerExample() * c.batchSize * passWeight(timed);
  return {
    arch: typeof c.arch === 'string' ? c.arch : 'custom',
    optimizer: c.optimizer,
    batchSize: c.batchSize,
    inputShape: c.inputShape,
    backend: backend.name,
    msPerStep,
    timedSteps: timed.length,
    flopsPerStep,
    gflops: flopsPerStep / (msPerStep / 1000) / 1e9,
    gpuWorkPerStep: backend.name === 'webgpu' ? gpuWorkPerStep(gpuWorkBetween(await warmUpGpuWork(c, spec, backend, warmUp), gpuWork), timed.length) : null,
  };
}

/**
 * Trains, calling `onStep` with each step event and a function that stops the run. `gpuWork` is what
 * the GPU did from the call to the last step event: every step taken (a trainer that reads a step's
 * metrics a few steps behind reports the last of them once every read is in), nothing after.
 */
async function trainSteps(
  spec: RunSpec,
  dataset: Dataset,
  backend: BenchmarkBackend,
  onStep: (e: StepEvent, stop: () => void) => void,
): Promise<{ steps: StepEvent[]; gpuWork: GpuWorkCounts }> {
  const controller = new AbortController();
  const steps: StepEvent[] = [];
  const atCall = gpuWorkCounts();
  let atLastStep = atCall;
  await train(spec, dataset, {
    backend,
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type !== 'step') return;
      atLastStep = gpuWorkCounts();
      steps.push(e);
      onStep(e, () => controller.abort());
    },
  });
  return { steps, gpuWork: gpuWorkBetween(atCall, atLastStep) };
}

/**
 * The GPU work of the same run cut to its warm-up (its set-up and warm-up steps). Taken from the timed
 * run's, it leaves the timed steps' work, however far behind the trainer reports steps: the step events
 * cannot mark where a step's work begins. The warm-up runs to its end, on a dataset of its own steps (a
 * short final evaluation), so that no unsubmitted kernels are left to the next run's first submit.
 */
async function warmUpGpuWork(c: BenchmarkCase, spec: RunSpec, backend: BenchmarkBackend, warmUp: number): Promise<GpuWorkCounts> {
  const dataset = syntheticDataset(c.inputShape, c.classes, c.batchSize * warmUp);
  return (await trainSteps({ ...spec, steps: warmUp }, dataset, backend, () => {})).gpuWork;
}

/**
 * Forward-pass equivalents per step: a forward pass counts 1, a backward pass 2 (input and weight
 * products), a forward-mode pass 2 (the tangent through the weights and through the input). Averaged
 * over the timed steps, since CurveBall's extra re-evaluation comes every few steps.
 */
function passWeight(timed: StepEvent[]): number {
  if (timed.length < 2) return 3;
  const first = timed[0];
  const last = timed[timed.length - 1];
  const n = timed.length - 1;
  const forward = (last.forwardPasses - first.forwardPasses) / n;
  const backward = (last.backwardPasses - first.backwardPasses) / n;
  const forwardMode = (last.forwardModePasses - first.forwardModePasses) / n;
  return forward + 2 * backward + 2 * forwardMode;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
