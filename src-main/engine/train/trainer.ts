import { augmentBatch } from '../data/augment';
import { Checkpointing, type CheckpointOptions, type CheckpointSnapshot } from '../checkpoint/checkpointing';
import type { TrainingProgress, TrainingTensors } from '../checkpoint/checkpointFile';
import { batchOrder, gatherRows, type Rows } from '../data/batches';
import type { Dataset, Split } from '../data/dataset';
import { lossFor } from '../losses/lossFor';
import type { Loss } from '../losses/loss';
import type { LayerContext, ModelState } from '../nn/layer';
import type { Model } from '../nn/model';
import type { Optimizer, RunShape } from '../optim/optimizer';
import { createOptimizer } from '../optim/registry';
import { tensorsIn } from '../optim/tensorsIn';
import { addScaledParams, keepParams, type Params } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { modelWeights, weightsIntoModel, type ModelWeights } from '../weights/modelWeights';
import type { WeightsFile } from '../weights/weightsFile';
import { DivergenceWatch } from './divergence';
import { evaluateSplit, RunningMeans, targetTensor, yieldToEventLoop, type Evaluation } from './evaluation';
import { NetworkStepContext } from './networkStepContext';
import { PassCounter } from './passCounter';
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
}

/**
 * Trains one run to the end and returns its done event. Pure engine: no I/O, no globals besides
 * TF.js; runJob calls it in the CLI process and in a worker thread alike. Yields to the event loop between
 * steps and between evaluation batches so cancellation messages get through (a lab that shuts down waits
 * for its runs to stop, not for a pass over a training set). The run trains and validates on the examples planRun
 * picks (the spec's subsets, or the whole splits); it ends `diverged` at the first batch loss its
 * DivergenceWatch refuses, and a completed run's final model is evaluated on all its training examples.
 */
export async function train(spec: RunSpec, dataset: Dataset, options: TrainOptions): Promise<DoneEvent> {
  const plan = planRun(spec, dataset);
  const { model } = plan;
  const loss = lossFor(dataset.task);
  const optimizer = createOptimizer(spec.optimizer, spec.optimizerOptions);
  const stepsPerEpoch = batchOrder(plan.train.n, spec.batchSize, false, new Rng(0)).length;
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

  const run = new RunState(model, optimizer, spec, { totalSteps, stepsPerEpoch }, resumed ? { ...resumed, state: resumed.modelState } : initial);
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
      position = () => ({ epoch, batchInEpoch, epochOrderRng, epochMeans: epochMeans.state() });
      for (; batchInEpoch < batches.length; batchInEpoch++) {
        if (step >= totalSteps) break;
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
        const result = run.step(step, x, batch.y, indices.length, dataset, loss, passes);
        const diverged = divergence.check(step, result.loss);
        // A finite loss is recorded even when it ends the run: the curve shows the blow-up.
        if (Number.isFinite(result.loss)) {
          epochMeans.add(result.loss, result.accuracy);
          lastTrainLoss = result.loss;
          emit({ type: 'step', step, epoch, loss: result.loss, accuracy: result.accuracy, seconds: seconds(), ...passes.snapshot(), trace: result.trace });
          step++;
        }
        if (diverged !== null) {
          status = 'diverged';
          reason = diverged;
          break;
        }
        await yieldToEventLoop();
      }
      if (status !== 'completed' || epochMeans.count === 0) break;
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
    options.onFinalWeights?.(() => ({ ...run.weights(), ...(dataset.normalization ? { inputNormalization: dataset.normalization } : {}) }));
  } finally {
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
  ) {
    this.params = initial?.params ?? model.initParams(spec.seed, spec.init);
    this.modelState = initial?.state ?? model.initState();
    this.optimizerState = initial && 'optimizerState' in initial ? initial.optimizerState : tf.tidy(() => {
      const state = optimizer.init(this.params, shape);
      for (const t of tensorsIn(state)) tf.keep(t);
      return state as never;
    });
  }

  step(step: number, xValues: Float32Array, yValues: Int32Array | Float32Array, n: number, dataset: Dataset, loss: Loss, passes: PassCounter) {
    const previous = this.tensors();
    const outcome = tidyValue(() => {
      const x = tf.tensor(xValues, [n, ...dataset.inputShape]);
      const targets = targetTensor(yValues, n, dataset);
      const masks = new DropoutMasks(this.spec.seed, step);
      const stateUpdates: ModelState = {};
      const firstPass: LayerContext = { training: true, state: this.modelState, stateUpdates, dropoutMask: masks.get };
      const reevaluation: LayerContext = { training: true, state: this.modelState, stateUpdates: null, dropoutMask: masks.get };
      const ctx = new NetworkStepContext(step, this.model, this.params, x, targets, loss, firstPass, reevaluation, passes);
      if (!Number.isFinite(ctx.loss)) return { loss: ctx.loss, accuracy: ctx.accuracy, trace: {} };

      let result;
      let params: Params;
      try {
        result = this.optimizer.update(ctx, this.optimizerState, this.params);
        // Before the context goes: the updates may be its tensors (SGD hands over the gradient).
        params = keepParams(addScaledParams(this.params, result.scale ?? 1, result.updates));
      } finally {
        ctx.dispose();
      }
      const { state, trace } = result;
      for (const t of tensorsIn(state)) tf.keep(t);
      keepParams(stateUpdates);
      this.params = params;
      this.optimizerState = state;
      this.modelState = { ...this.modelState, ...stateUpdates };
      return { loss: ctx.loss, accuracy: ctx.accuracy, trace };
    });
    // Dispose what the step replaced (an optimizer may hand a tensor on unchanged: keep those).
    const current = new Set(this.tensors());
    for (const t of previous) if (!current.has(t)) t.dispose();
    return outcome;
  }

  /** The model in eval mode on every example of the split (evaluateSplit); null when `signal` aborts first. */
  evaluate(split: Split, dataset: Dataset, loss: Loss, signal: AbortSignal | undefined): Promise<Evaluation | null> {
    return evaluateSplit(this.model, this.params, this.modelState, split, dataset, loss, signal);
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
