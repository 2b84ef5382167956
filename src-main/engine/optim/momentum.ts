import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption, learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { booleanOption, numberOption } from './optionSchema';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { trace } from './transforms/trace';

/**
 * Heavy-ball momentum in PyTorch's convention: buf ← μ·buf + g, Δw = −lr·buf. With `nesterov`, the step
 * looks ahead along the new buffer: Δw = −lr·(g + μ·buf).
 */
export const momentumDefinition = defineOptimizer({
  name: 'momentum',
  description: 'SGD with heavy-ball (or Nesterov) momentum: buf ← μ·buf + g, w ← w − lr·buf',
  traces: ['lr', 'momentum'],
  options: {
    lr: learningRateOption(0.01),
    momentum: numberOption({ default: 0.9, description: 'momentum coefficient μ', min: 0, max: 1 }),
    nesterov: booleanOption({ default: false, description: 'use Nesterov momentum' }),
    weightDecay: l2WeightDecayOption,
    ...learningRateScheduleOptions,
  },
  create: (settings) => {
    const { momentum, nesterov, weightDecay } = settings;
    return gradientTransformOptimizer(chain(addL2(weightDecay), trace(momentum, nesterov), scaleByLearningRateSchedule(settings)), { momentum });
  },
});
