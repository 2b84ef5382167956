import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { augmentBatch } from '../data/augment';
import { Checkpointing, type CheckpointOptions, type CheckpointSnapshot } from '../checkpoint/checkpointing';
import type { TrainingProgress, TrainingTensors } from '../checkpoint/checkpointFile';
import { batchOrder, gatherRows, type Rows } from '../data/batches';
import type { Dataset, Split } from '../data/dataset';
import { lossFor } from '../losses/lossFor';
import type { Loss } from '../losses/loss';
import type { LayerContext, ModelState } from '../nn/layer';
import type { Model } from '../nn/model';
import type { Optimizer, RunShape, Trace, UpdateResult } from '../optim/optimizer';
import { createOptimizer, readsEachStep } from '../optim/registry';
import { tensorsIn } from '../optim/tensorsIn';
import { addScaledParams, keepParams, type Params } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { gpuWorkBetween, gpuWorkCounts, gpuWorkPerStep } from '../webgpu/gpuCounters';
import { modelWeights, weightsIntoModel, type ModelWeights } from '../weights/modelWeights';
import type { WeightsFile } from '../weights/weightsFile';
import { DivergenceWatch } from './divergence';
import { evaluateSplit, readThenDispose, RunningMeans, targetTensor, yieldToEventLoop, type Evaluation } from './evaluation';
import { NetworkStepContext } from './networkStepContext';
import { PassCounter, type PassCounts } from './passCounter';
import { PendingMetrics } from './pendingMetrics';
import { planRun } from './runPlan';
import type { RunSpec } from '../../shared/runSpec';
import type { DoneEvent, EpochEvent, RunOutcome, TrainEvent } from './trainEvents';

export interface TrainOptions {
  /** Receives every event synchronously, in order. */
  onEvent(event: TrainEvent): void;
  /** Checked between steps and between evaluation batches; an aborted run ends as `cancelled`. */
  signal?: AbortSignal;
  /** The backend's name and why, for the events (see backend.ts). */
  backend: { name: string; reason: string };
  /**
   * Start from these weights (parameters and batch-norm statistics) instead of drawing them (the spec's
   * `init` is then unused): a file that is not this model's is refused before the `start` event.
   */
  initFrom?: WeightsFile;
  /**
   * Where the run keeps its checkpoints and how often it writes one (Checkpointing): it resumes from the
   * newest there that is this run's (refused naming the file, before the `start` event, when none is).
   */
  checkpoints?: CheckpointOptions;
  /**
   * Called as the run ends, before the `done` event, whatever its status, with a function that reads the
   * model's weights: valid during the call only (the tensors are disposed after it), and it may throw
   * (a network without a PyTorch layout, weightLayout), for the caller to handle.
   */
  onFinalWeights?(weights: () => ModelWeights): void;
  /**
   * Read each step's loss and accuracy without waiting for them, up to `metricsInFlight` steps behind:
   * the step events, the epoch's means and the divergence watch take them as they arrive, in step order,
   * and every read is in before a checkpoint, a cancellation, an epoch's validation and the run's end.
   * Default: on the webgpu backend, where a synchronous read ends the device's work and waits for it;
   * on the CPU backends a read costs nothing and each step's metrics are read as it is taken.
   */
  asyncMetrics?: boolean;
  /** The memory the run may take (checkTrainingMemory); default: a share of this machine's, which a page cannot ask for. */
  memoryLimitBytes?: number;
}

/**
 * The steps whose metrics may be unread at once (TrainOptions.asyncMetrics). Divergence is then noticed up
 * to this many steps late, and the run's `reason` says so. That is allowed because a run that diverges has
 * ended either way: the steps taken meanwhile are not recorded (its curves and counts end where the sync
 * path's would), and only its final weights differ: those after the last step taken, not before the one
 * that diverged.
 */
export const metricsInFlight = 3;

/** TF.js webgpu's flag for making pipelines without dispatching (RunState.compileFirstSteps). */
const COMPILE_ONLY_FLAG = 'WEBGPU_ENGINE_COMPILE_ONLY';

/** What the loop knows of a step when it takes it; its loss and accuracy come with its metrics. */
interface TakenStep {
  step: number;
  epoch: number;
  /** Seconds into training when the step was taken: its event's time, however late its metrics arrive. */
  seconds: number;
  passes: PassCounts;
  trace: Trace;
  /** The names of the trace values the optimizer left on the device, read after the metrics (UpdateResult.deviceTrace). */
  deviceTraceNames: string[];
}

/**
 * Trains one run to the end and returns its done event. Pure engine: no I/O, no globals besides
 * TF.js; runJob calls it in the CLI process and in a worker thread alike. Yields to the event loop between
 * steps and between evaluation batches so cancellation messages get through (a lab that shuts down waits
 * for its runs to stop, not for a pass over a training set). The run trains and validates on the examples planRun
 * picks (the spec's subsets, or the whole splits); it ends `diverged` at the first batch loss its
 * DivergenceWatch refuses, and a completed run's final model is evaluated on all its training examples.
 * Step metrics are read as each step is taken, or a few steps behind (TrainOptions.asyncMetrics).
 */
export async function train(spec: RunSpec, dataset: Dataset, options: TrainOptions): Promise<DoneEvent> {
  const plan = planRun(spec, dataset, options.memoryLimitBytes);
  const { model } = plan;
  const loss = lossFor(dataset.task);
  const optimizer = createOptimizer(spec.optimizer, spec.optimizerOptions);
  const inOrder = batchOrder(plan.train.n, spec.batchSize, false, new Rng(0));
  const stepsPerEpoch = inOrder.length;
  const totalSteps = spec.steps ?? (spec.epochs ?? 1) * stepsPerEpoch;
  const emit = options.onEvent;
  const initial = options.initFrom ? weightsIntoModel(model, options.initFrom, options.initFrom.file) : null;
  const checkpoints = options.checkpoints ? Checkpointing.open(options.checkpoints, { spec, model, optimizer, run: { totalSteps, stepsPerEpoch } }) : null;
  const resumed = checkpoints?.resumed ?? null;
  const progress = resumed?.progress;
  // A run going on from its checkpoint has its own weights: those it was to start from are not needed.
  if (resumed && initial) tf.dispose([...Object.values(initial.params), ...Object.values(initial.state)]);

  emit({
    type: 'start',
    backend: options.backend.name,
    backendReason: options.backend.reason,
    dataset: {
      name: dataset.name,
      task: dataset.task,
      inputShape: dataset.inputShape,
      classes: dataset.numClasses,
      trainSize: plan.train.n,
      validationSize: plan.validation.n,
      augment: plan.augment,
    },
    model: model.describe(),
    optimizer: optimizer.name,
    totalSteps,
    stepsPerEpoch,
  });

  const onWebGpu = tf.getBackend() === 'webgpu';
  const asyncMetrics = options.asyncMetrics ?? onWebGpu;
  const run = new RunState(model, optimizer, spec, { totalSteps, stepsPerEpoch }, resumed ? { ...resumed, state: resumed.modelState } : initial, asyncMetrics);
  const pending = new PendingMetrics<TakenStep>(asyncMetrics ? metricsInFlight : 0);
  if (onWebGpu && !readsEachStep(spec.optimizer) && inOrder.length > 0) {
    const first = gatherRows(plan.train, inOrder[0]);
    await run.compileFirstSteps(first.x, first.y, inOrder[0].length, dataset, loss);
  }
  // A resumed run takes up every generator, counter and running mean where its checkpoint left them.
  const batchRng = progress ? Rng.fromState(progress.epochOrderRng) : Rng.derive(spec.seed, 'batches');
  const augmentRng = progress ? Rng.fromState(progress.augmentRng) : Rng.derive(spec.seed, 'augment');
  const passes = Object.assign(new PassCounter(), progress?.passes);
  const divergence = new DivergenceWatch(spec.divergenceFactor);
  divergence.first = progress?.firstLoss ?? null;
  const started = performance.now() - (progress?.seconds ?? 0) * 1000;
  const seconds = (): number => (performance.now() - started) / 1000;

  let status: RunOutcome = 'completed';
  let reason: string | undefined;
  /** The steps taken; once every read is in, also the steps recorded. */
  let step = progress?.step ?? 0;
  let lastEpoch: EpochEvent | null = progress?.lastEpoch ?? null;
  let lastTrainLoss: number | null = progress?.lastTrainLoss ?? null;
  let position = (): LoopPosition => progress ?? { epoch: 0, batchInEpoch: 0, epochOrderRng: batchRng.state(), epochMeans: new RunningMeans().state() };
  let stoppedBetweenSteps = false;
  const snapshot: CheckpointSnapshot = () => ({
    progress: { ...position(), step, augmentRng: augmentRng.state(), seconds: seconds(), passes: { ...passes }, firstLoss: divergence.first, lastTrainLoss, lastEpoch },
    tensors: run.current(),
  });
  let trainEval: Evaluation | null = null;
  let batchMemory: Rows | undefined;

  try {
    for (let epoch = progress?.epoch ?? 0; step < totalSteps && status === 'completed'; epoch++) {
      const resumedEpoch = progress !== undefined && epoch === progress.epoch;
      const epochMeans = resumedEpoch ? RunningMeans.fromState(progress.epochMeans) : new RunningMeans();
      const epochOrderRng = batchRng.state();
      const batches = batchOrder(plan.train.n, spec.batchSize, spec.shuffle, batchRng);
      let batchInEpoch = resumedEpoch ? progress.batchInEpoch : 0;
      // On webgpu the epoch event says what its steps asked of the GPU (gpuCounters), for a run's log.
      const epochStart = onWebGpu ? { step, work: gpuWorkCounts() } : null;
      position = () => ({ epoch, batchInEpoch, epochOrderRng, epochMeans: epochMeans.state() });
      /**
       * Records the steps whose metrics are in, in step order, leaving at most `inFlight` unread: each is
       * checked for divergence, added to the epoch's means and reported. A loss that ends the run ends the
       * recording too: the steps taken after it (only on the asynchronous path) are dropped.
       */
      const recordMetrics = async (inFlight?: number): Promise<void> => {
        for (const { item, values } of await pending.arrived(inFlight)) {
          const metricCount = values.length - item.deviceTraceNames.length;
          const [lossValue, accuracy] = [values[0], metricCount > 1 ? values[1] : null];
          const trace = { ...item.trace };
          item.deviceTraceNames.forEach((name, i) => (trace[name] = values[metricCount + i]));
          const diverged = divergence.check(item.step, lossValue);
          // A finite loss is recorded even when it ends the run: the curve shows the blow-up.
          if (Number.isFinite(lossValue)) {
            epochMeans.add(lossValue, accuracy);
            lastTrainLoss = lossValue;
            emit({ type: 'step', step: item.step, epoch: item.epoch, loss: lossValue, accuracy, seconds: item.seconds, ...item.passes, trace });
          }
          if (diverged !== null) {
            const later = step - 1 - item.step;
            status = 'diverged';
            reason = later > 0 ? `${diverged} (noticed ${later} step${later > 1 ? 's' : ''} later: each step's loss is read without waiting, up to ${metricsInFlight} steps behind)` : diverged;
            step = Number.isFinite(lossValue) ? item.step + 1 : item.step;
            await pending.discard();
            return;
          }
        }
      };
      for (; batchInEpoch < batches.length; batchInEpoch++) {
        if (step >= totalSteps) break;
        // A checkpoint and a cancellation keep the run's progress: every step taken so far, recorded.
        if (options.signal?.aborted || checkpoints?.due(step, seconds())) {
          await recordMetrics(0);
          if (status !== 'completed') break;
        }
        checkpoints?.beforeStep(step, seconds(), snapshot);
        if (options.signal?.aborted) {
          status = 'cancelled';
          stoppedBetweenSteps = true;
          break;
        }
        const indices = batches[batchInEpoch];
        // The previous batch's tensors are gone by now (each step is one tidy scope): reuse its memory.
        const batch = gatherRows(plan.train, indices, batchMemory);
        batchMemory ??= batch;
        const x = plan.augment ? augmentBatch(batch.x, indices.length, dataset.inputShape, augmentRng) : batch.x;
        const { metrics, trace, deviceTraceNames } = run.step(step, x, batch.y, indices.length, dataset, loss, passes);
        pending.push({ step, epoch, seconds: seconds(), passes: passes.snapshot(), trace, deviceTraceNames }, metrics);
        step++;
        await recordMetrics();
        if (status !== 'completed') break;
        await yieldToEventLoop();
      }
      await recordMetrics(0);
      if (status !== 'completed' || epochMeans.count === 0) break;
      const stepsWork = epochStart && step > epochStart.step ? gpuWorkPerStep(gpuWorkBetween(epochStart.work, gpuWorkCounts()), step - epochStart.step) : null;
      const validation = await run.evaluate(plan.validation, dataset, loss, options.signal);
      if (validation === null) {
        status = 'cancelled';
        break;
      }
      lastEpoch = {
        type: 'epoch',
        epoch,
        steps: step,
        trainLoss: epochMeans.loss(),
        trainAccuracy: epochMeans.accuracy(),
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: seconds(),
        ...(stepsWork ? { gpuWorkPerStep: stepsWork } : {}),
      };
      lastTrainLoss = lastEpoch.trainLoss;
      emit(lastEpoch);
    }
    // The paper's train error: the final model in eval mode on every training example, not the running mean.
    if (status === 'completed') {
      trainEval = await run.evaluate(plan.train, dataset, loss, options.signal);
      if (trainEval === null) status = 'cancelled';
    }
    checkpoints?.end(status, step, seconds(), stoppedBetweenSteps ? snapshot : null);
    if (options.onFinalWeights) {
      // Read back without waiting in place first (a page cannot wait for its GPU): weights() then finds them on the CPU.
      await run.readWeightsBack();
      options.onFinalWeights(() => ({ ...run.weights(), ...(dataset.normalization ? { inputNormalization: dataset.normalization } : {}) }));
    }
  } finally {
    // A run that stops on an error may leave reads under way: their tensors go once read.
    await pending.discard();
    run.dispose();
  }

  const done: DoneEvent = {
    type: 'done',
    status,
    steps: step,
    trainLoss: lastTrainLoss,
    valLoss: lastEpoch?.valLoss ?? null,
    valAccuracy: lastEpoch?.valAccuracy ?? null,
    trainEvalLoss: trainEval?.loss ?? null,
    trainEvalAccuracy: trainEval?.accuracy ?? null,
    seconds: seconds(),
    backend: options.backend.name,
    ...(reason ? { reason } : {}),
  };
  emit(done);
  return done;
}

/** Where the step loop stands in its epochs (the rest of a checkpoint's progress is the run's). */
type LoopPosition = Pick<TrainingProgress, 'epoch' | 'batchInEpoch' | 'epochOrderRng' | 'epochMeans'>;

/** The tensors a run carries from step to step: weights, batch-norm statistics, optimizer state. */
class RunState {
  private params: Params;
  private modelState: ModelState;
  private optimizerState: unknown;

  constructor(
    private readonly model: Model,
    private readonly optimizer: Optimizer,
    private readonly spec: RunSpec,
    shape: RunShape,
    initial: { params: Params; state: ModelState; optimizerState?: unknown } | null,
    /** Hand each step's metrics on unread (TrainOptions.asyncMetrics). */
    private readonly asyncMetrics: boolean,
  ) {
    this.params = initial?.params ?? model.initParams(spec.seed, spec.init);
    this.modelState = initial?.state ?? model.initState();
    this.optimizerState = initial && 'optimizerState' in initial ? initial.optimizerState : tf.tidy(() => {
      const state = optimizer.init(this.params, shape);
      for (const t of tensorsIn(state)) tf.keep(t);
      return state as never;
    });
  }

  /**
   * Takes one step. Its metrics ([loss] or [loss, accuracy]) come read, or (asyncMetrics) as a read under
   * way: the update is then applied whatever the loss, since skipping it would mean waiting for it. The
   * optimizer's trace values on the device, if any, follow the metrics in the same read.
   */
  step(step: number, xValues: Float32Array, yValues: Int32Array | Float32Array, n: number, dataset: Dataset, loss: Loss, passes: PassCounter): StepOutcome {
    const previous = this.tensors();
    const outcome = tidyValue((): { metrics: tf.Tensor | ArrayLike<number>; trace: Trace; deviceTraceNames: string[] } => {
      const update = this.update(step, this.params, this.optimizerState, xValues, yValues, n, dataset, loss, passes);
      if ('skipped' in update) return { metrics: update.skipped, trace: {}, deviceTraceNames: [] };
      const { ctx, result, stateUpdates, metrics } = update;
      const { state, trace, deviceTrace } = result;
      for (const t of tensorsIn(state)) tf.keep(t);
      keepParams(stateUpdates);
      this.params = keepParams(update.params);
      this.optimizerState = state;
      this.modelState = { ...this.modelState, ...stateUpdates };
      const deviceTraceNames = deviceTrace?.names ?? [];
      if (this.asyncMetrics) return { metrics: tf.keep(metrics), trace, deviceTraceNames };
      return { metrics: deviceTrace ? metrics.dataSync() : ctx.metricValues(), trace, deviceTraceNames };
    });
    // Dispose what the step replaced (an optimizer may hand a tensor on unchanged: keep those).
    const current = new Set(this.tensors());
    for (const t of previous) if (!current.has(t)) t.dispose();
    const { metrics, trace, deviceTraceNames } = outcome;
    return { metrics: metrics instanceof tf.Tensor ? readThenDispose(metrics) : metrics, trace, deviceTraceNames };
  }

  /**
   * The new tensors of a step from `params` and `optimizerState`, made inside the caller's tidy and not
   * yet the run's: the caller keeps them (step) or lets the tidy take them (compileFirstSteps).
   * `metrics` is the step's metrics followed by the optimizer's device trace, if any, for one read.
   * Skipped, with the metrics, when a loss read in place is not finite.
   */
  private update(
    step: number,
    params: Params,
    optimizerState: unknown,
    xValues: Float32Array,
    yValues: Int32Array | Float32Array,
    n: number,
    dataset: Dataset,
    loss: Loss,
    passes: PassCounter,
  ): { skipped: ArrayLike<number> } | { ctx: NetworkStepContext; result: UpdateResult<unknown>; params: Params; stateUpdates: ModelState; metrics: tf.Tensor } {
    const x = tf.tensor(xValues, [n, ...dataset.inputShape]);
    const targets = targetTensor(yValues, n, dataset);
    const masks = new DropoutMasks(this.spec.seed, step);
    const stateUpdates: ModelState = {};
    const firstPass: LayerContext = { training: true, state: this.modelState, stateUpdates, dropoutMask: masks.get };
    const reevaluation: LayerContext = { training: true, state: this.modelState, stateUpdates: null, dropoutMask: masks.get };
    const ctx = new NetworkStepContext(step, this.model, params, x, targets, loss, firstPass, reevaluation, passes);
    if (!this.asyncMetrics && !Number.isFinite(ctx.loss)) return { skipped: ctx.metricValues() };
    try {
      const result = this.optimizer.update(ctx, optimizerState, params);
      const deviceTrace = result.deviceTrace?.values.map((v) => tf.reshape(v, [1])) ?? [];
      const metrics = deviceTrace.length > 0 ? tf.concat([ctx.metrics, ...deviceTrace]) : ctx.metrics;
      // Before the context goes: the updates may be its tensors (SGD hands over the gradient).
      return { ctx, result, params: result.weights ?? addScaledParams(params, result.scale ?? 1, result.updates), stateUpdates, metrics };
    } finally {
      ctx.dispose();
    }
  }

  /**
   * Compiles the GPU programs of the first two steps on this batch, all together and in parallel, before
   * the first step (webgpu): TF.js's compile-only mode makes each program's pipeline asynchronously and
   * dispatches nothing, where otherwise the steps would compile them one after another, each in place.
   * Two, since a first step may differ from the steady ones (CurveBall adapts λ on its first). Nothing of
   * the run changes: the steps' tensors are dropped. Not for an optimizer that reads numbers back in its
   * step (readsEachStep), which would read buffers no program wrote.
   */
  async compileFirstSteps(xValues: Float32Array, yValues: Int32Array | Float32Array, n: number, dataset: Dataset, loss: Loss): Promise<void> {
    tf.env().set(COMPILE_ONLY_FLAG, true);
    try {
      tf.tidy(() => {
        const first = this.update(0, this.params, this.optimizerState, xValues, yValues, n, dataset, loss, new PassCounter());
        if (!('skipped' in first)) this.update(1, first.params, first.result.state, xValues, yValues, n, dataset, loss, new PassCounter());
      });
    } finally {
      tf.env().set(COMPILE_ONLY_FLAG, false);
    }
    await (tf.backend() as WebGPUBackend).checkCompileCompletionAsync();
  }

  /** The model in eval mode on every example of the split (evaluateSplit); null when `signal` aborts first. */
  evaluate(split: Split, dataset: Dataset, loss: Loss, signal: AbortSignal | undefined): Promise<Evaluation | null> {
    return evaluateSplit(this.model, this.params, this.modelState, split, dataset, loss, signal);
  }

  /** Reads the weights' values back from the backend without blocking; TF.js keeps them beside the tensors. */
  async readWeightsBack(): Promise<void> {
    await Promise.all([...Object.values(this.params), ...Object.values(this.modelState)].map((t) => t.data()));
  }

  /** The weights as they stand, read back from the backend. */
  weights(): ModelWeights {
    return modelWeights(this.model, this.params, this.modelState);
  }

  dispose(): void {
    for (const t of this.tensors()) t.dispose();
  }

  /** The tensors as they stand (for a checkpoint), still the run's. */
  current(): TrainingTensors {
    return { params: this.params, modelState: this.modelState, optimizerState: this.optimizerState };
  }

  private tensors(): tf.Tensor[] {
    return [...Object.values(this.params), ...Object.values(this.modelState), ...tensorsIn(this.optimizerState)];
  }
}

interface StepOutcome {
  metrics: ArrayLike<number> | Promise<ArrayLike<number>>;
  trace: Trace;
  deviceTraceNames: string[];
}

/** Dropout keep-masks of one step, drawn from the run's seed: the same for every pass of the step. */
class DropoutMasks {
  private readonly masks = new Map<string, tf.Tensor>();

  constructor(
    private readonly seed: number,
    private readonly step: number,
  ) {}

  readonly get = (layerName: string, shape: number[], rate: number): tf.Tensor => {
    let mask = this.masks.get(layerName);
    if (!mask) {
      const rng = Rng.derive(this.seed, `dropout/${this.step}/${layerName}`);
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) values[i] = rng.uniform() >= rate ? 1 : 0;
      mask = tf.tensor(values, shape);
      this.masks.set(layerName, mask);
    }
    return mask;
  };
}
