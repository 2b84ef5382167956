import type { Trace } from '../optim/optimizer';
import type { GpuWorkCounts } from '../webgpu/gpuCounters';
import type { PassCounts } from './passCounter';

/** What a training run reports, in order: one start, steps and epochs interleaved, one done. */
export type TrainEvent = StartEvent | StepEvent | EpochEvent | DoneEvent;

export type RunOutcome = 'completed' | 'diverged' | 'cancelled';

export interface StartEvent {
  type: 'start';
  backend: string;
  backendReason: string;
  /** trainSize and validationSize: the examples the run trains and validates on (its subsets, when the spec asks for them). */
  dataset: { name: string; task: string; inputShape: number[]; classes: number; trainSize: number; validationSize: number; augment: boolean };
  model: { layers: { name: string; type: string; outputShape: number[]; paramCount: number }[]; paramCount: number };
  optimizer: string;
  /** Steps the run will take unless it diverges or is cancelled. */
  totalSteps: number;
  stepsPerEpoch: number;
}

export interface StepEvent extends PassCounts {
  type: 'step';
  /** 0-based. */
  step: number;
  /** 0-based epoch this step belongs to. */
  epoch: number;
  /** Batch loss before this step's update. */
  loss: number;
  /** Batch accuracy before the update (classification), else null. */
  accuracy: number | null;
  /** Wall-clock seconds since training started, at the end of this step. */
  seconds: number;
  trace: Trace;
}

export interface EpochEvent {
  type: 'epoch';
  /** 0-based index of the epoch that just ended (or the partial epoch a step-bounded run ended in). */
  epoch: number;
  /** Steps taken so far. */
  steps: number;
  /** Mean batch loss over the epoch's steps. */
  trainLoss: number;
  trainAccuracy: number | null;
  valLoss: number;
  valAccuracy: number | null;
  seconds: number;
  /** On webgpu: what the epoch's training steps asked of the GPU, per step (its validation left out). */
  gpuWorkPerStep?: GpuWorkCounts;
}

export interface DoneEvent {
  type: 'done';
  status: RunOutcome;
  steps: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  /**
   * A completed run's final model evaluated (eval mode, no augmentation) on all its training examples:
   * the train error a paper reports, beside trainLoss (the mean batch loss of the last epoch). Null
   * for a run that did not complete.
   */
  trainEvalLoss: number | null;
  trainEvalAccuracy: number | null;
  seconds: number;
  backend: string;
  /** Why a run diverged: which rule its batch loss broke, at which step. */
  reason?: string;
}
