import type { RunShape } from '../optimizer';
import type { GradientTransform } from './gradientTransform';

export interface ScheduleState {
  /** Steps taken so far: the next step's index in the run. */
  count: number;
  run: RunShape;
}

/**
 * −lr_t·u with lr_t = learningRateAt(t, run), the step's index t counted in the state. Like
 * scaleByLearningRate it changes only the lazy factor, so a schedule costs no pass over the tensors;
 * the rate it used goes into the trace.
 */
export function scaleByScheduledLearningRate(learningRateAt: (step: number, run: RunShape) => number): GradientTransform<ScheduleState> {
  return {
    init: (_params, run) => ({ count: 0, run }),
    update({ tensors, scale }, { count, run }) {
      const lr = learningRateAt(count, run);
      return { updates: { tensors, scale: -lr * scale }, state: { count: count + 1, run }, trace: { lr } };
    },
  };
}
