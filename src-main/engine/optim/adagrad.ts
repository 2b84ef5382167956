import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption, learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { numberOption } from './optionSchema';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { scaleByRss } from './transforms/scaleByRootOfSquares';

/** Adagrad as in PyTorch (no lr decay): s ← s + g², Δw = −lr·g/(√s + ε). */
export const adagradDefinition = defineOptimizer({
  name: 'adagrad',
  description: 'Adagrad: steps scaled by the root of the summed squared gradients',
  traces: ['lr'],
  options: {
    lr: learningRateOption(0.01),
    epsilon: numberOption({ default: 1e-10, description: 'added to √s in the denominator', min: 0 }),
    initialAccumulator: numberOption({ default: 0, description: 'starting value of the sum of squares', min: 0 }),
    weightDecay: l2WeightDecayOption,
    ...learningRateScheduleOptions,
  },
  create: (settings) => {
    const { epsilon, initialAccumulator, weightDecay } = settings;
    return gradientTransformOptimizer(chain(addL2(weightDecay), scaleByRss(initialAccumulator, epsilon), scaleByLearningRateSchedule(settings)), {});
  },
});
