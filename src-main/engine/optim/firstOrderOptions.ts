import { decayedLearningRate, learningRateScheduleKinds, type LearningRateSchedule } from './learningRateSchedule';
import { choiceOption, integerOption, numberOption } from './optionSchema';
import type { GradientTransform } from './transforms/gradientTransform';
import { scaleByLearningRate } from './transforms/scaleByLearningRate';
import { scaleByScheduledLearningRate } from './transforms/scaleByScheduledLearningRate';

/** The `lr` option of the first-order optimizers, which differ only in its default. */
export function learningRateOption(defaultValue: number) {
  return numberOption({ default: defaultValue, description: 'learning rate', min: 0 });
}

/** The `weightDecay` option of the first-order optimizers but AdamW: an L2 penalty added to the gradient (PyTorch's convention). */
export const l2WeightDecayOption = numberOption({ default: 0, description: 'L2 penalty: adds weightDecay·w to the gradient', min: 0 });

/**
 * The learning-rate schedule options every first-order optimizer has, listed after its own. The floor of
 * the cosine schedule is a fraction of lr, so a learning-rate grid needs no floor per value.
 */
export const learningRateScheduleOptions = {
  lrSchedule: choiceOption({
    default: 'constant',
    choices: learningRateScheduleKinds,
    description: 'learning-rate schedule: constant, step (×lrStepFactor every lrStepEpochs epochs) or cosine (to lrMinFactor·lr over the run)',
  }),
  lrStepEpochs: integerOption({ default: 30, description: 'step schedule: epochs between two decays of the learning rate', min: 1 }),
  lrStepFactor: numberOption({ default: 0.1, description: 'step schedule: each decay multiplies the learning rate by this', min: 0, max: 1 }),
  lrMinFactor: numberOption({ default: 0, description: 'cosine schedule: the learning rate it ends at, as a fraction of lr', min: 0, max: 1 }),
};

/** The last transform of a first-order chain: −lr·u, with lr following the schedule (a constant one keeps no state). */
export function scaleByLearningRateSchedule(schedule: LearningRateSchedule): GradientTransform {
  const kind = schedule.lrSchedule;
  if (kind === 'constant') return scaleByLearningRate(schedule.lr);
  return scaleByScheduledLearningRate((step, run) => decayedLearningRate({ ...schedule, lrSchedule: kind }, step, run));
}
