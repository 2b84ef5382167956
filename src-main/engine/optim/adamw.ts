import { defineOptimizer } from './defineOptimizer';
import { adamDefinition, adamMomentOptions } from './adam';
import { learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { numberOption } from './optionSchema';
import { addDecayedWeights } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { scaleByAdam } from './transforms/scaleByAdam';

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as in PyTorch — the decay shrinks the
 * weights directly (Δw = −lr·(adam + λ·w)) instead of entering the moment estimates as an L2 gradient.
 */
export const adamwDefinition = defineOptimizer({
  name: 'adamw',
  description: 'AdamW: Adam with decoupled weight decay w ← w − lr·weightDecay·w',
  traces: adamDefinition.descriptor.traces,
  options: {
    ...adamMomentOptions,
    weightDecay: numberOption({ default: 0.01, description: 'decoupled weight decay coefficient', min: 0 }),
    ...learningRateScheduleOptions,
  },
  create: (settings) => {
    const { beta1, beta2, epsilon, weightDecay } = settings;
    return gradientTransformOptimizer(
      chain(scaleByAdam(beta1, beta2, epsilon), addDecayedWeights(weightDecay), scaleByLearningRateSchedule(settings)),
      { beta1, beta2 },
    );
  },
});
