import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption, learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';

/** Stochastic gradient descent: Δw = −lr·(g + weightDecay·w); without decay, the gradient itself with scale −lr (scheduled or not). */
export const sgdDefinition = defineOptimizer({
  name: 'sgd',
  description: 'Stochastic gradient descent: w ← w − lr·g',
  traces: ['lr'],
  options: { lr: learningRateOption(0.01), weightDecay: l2WeightDecayOption, ...learningRateScheduleOptions },
  create: (settings) => gradientTransformOptimizer(chain(addL2(settings.weightDecay), scaleByLearningRateSchedule(settings)), {}),
});
