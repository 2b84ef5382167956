import type { RunShape } from './optimizer';

/** The learning-rate schedules of the first-order optimizers; `constant` keeps lr for the whole run. */
export const learningRateScheduleKinds = ['constant', 'step', 'cosine'] as const;
export type LearningRateScheduleKind = (typeof learningRateScheduleKinds)[number];

/** A learning rate and its schedule, named as the first-order optimizers' options. */
export interface LearningRateSchedule {
  lr: number;
  lrSchedule: LearningRateScheduleKind;
  /** step: the epochs between two decays. */
  lrStepEpochs: number;
  /** step: what each decay multiplies the learning rate by. */
  lrStepFactor: number;
  /** cosine: the floor it decays towards, as a fraction of lr. */
  lrMinFactor: number;
}

/**
 * The learning rate of step t (0-based) of a run of T steps under a decaying schedule:
 * - step, as PyTorch's StepLR stepped once an epoch: lr·lrStepFactor^⌊epoch / lrStepEpochs⌋ with
 *   epoch = ⌊t / stepsPerEpoch⌋, so the rate changes only at epoch boundaries (papers state it so: ×0.1
 *   every 30 epochs);
 * - cosine, as optax's cosine_decay_schedule over the run: lr·(f + (1 − f)·½(1 + cos(π·t/T))) with
 *   f = lrMinFactor: lr on the first step, f·lr at t = T (one past the last step).
 */
export function decayedLearningRate(schedule: LearningRateSchedule & { lrSchedule: 'step' | 'cosine' }, step: number, run: RunShape): number {
  const { lr } = schedule;
  if (schedule.lrSchedule === 'step') {
    const epoch = Math.floor(step / run.stepsPerEpoch);
    return lr * schedule.lrStepFactor ** Math.floor(epoch / schedule.lrStepEpochs);
  }
  const f = schedule.lrMinFactor;
  return lr * (f + (1 - f) * 0.5 * (1 + Math.cos((Math.PI * step) / run.totalSteps)));
}
