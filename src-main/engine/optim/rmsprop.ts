import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption, learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { numberOption } from './optionSchema';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { scaleByRms } from './transforms/scaleByRootOfSquares';
import { trace } from './transforms/trace';

/**
 * RMSprop as in PyTorch (not centered): v ← αv + (1−α)g²; with momentum μ > 0,
 * buf ← μ·buf + g/(√v + ε), Δw = −lr·buf; otherwise Δw = −lr·g/(√v + ε).
 */
export const rmspropDefinition = defineOptimizer({
  name: 'rmsprop',
  description: 'RMSprop: steps scaled by a running root-mean-square of the gradient',
  traces: ['lr', 'alpha', 'momentum'],
  options: {
    lr: learningRateOption(0.001),
    alpha: numberOption({ default: 0.99, description: 'decay rate of the running average of g²', min: 0, max: 1 }),
    epsilon: numberOption({ default: 1e-8, description: 'added to √v in the denominator', min: 0 }),
    momentum: numberOption({ default: 0, description: 'momentum coefficient μ (0: none)', min: 0, max: 1 }),
    weightDecay: l2WeightDecayOption,
    ...learningRateScheduleOptions,
  },
  create: (settings) => {
    const { alpha, epsilon, momentum, weightDecay } = settings;
    const direction = momentum > 0 ? [scaleByRms(alpha, epsilon), trace(momentum)] : [scaleByRms(alpha, epsilon)];
    return gradientTransformOptimizer(chain(addL2(weightDecay), ...direction, scaleByLearningRateSchedule(settings)), { alpha, momentum });
  },
});
