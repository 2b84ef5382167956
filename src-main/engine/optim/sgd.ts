import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption } from './firstOrderOptions';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { scaleByLearningRate } from './transforms/scaleByLearningRate';

/** Stochastic gradient descent: Δw = −lr·(g + weightDecay·w); without decay, the gradient itself with scale −lr. */
export const sgdDefinition = defineOptimizer({
  name: 'sgd',
  description: 'Stochastic gradient descent: w ← w − lr·g',
  traces: ['lr'],
  options: { lr: learningRateOption(0.01), weightDecay: l2WeightDecayOption },
  create: ({ lr, weightDecay }) => gradientTransformOptimizer(chain(addL2(weightDecay), scaleByLearningRate(lr)), { lr }),
});
