import { defineOptimizer } from './defineOptimizer';
import { l2WeightDecayOption, learningRateOption, learningRateScheduleOptions, scaleByLearningRateSchedule } from './firstOrderOptions';
import { numberOption } from './optionSchema';
import { addL2 } from './transforms/addDecayedWeights';
import { chain } from './transforms/gradientTransform';
import { gradientTransformOptimizer } from './transforms/gradientTransformOptimizer';
import { scaleByAdam } from './transforms/scaleByAdam';

/** The options Adam and AdamW share (everything but weight decay). */
export const adamMomentOptions = {
  lr: learningRateOption(0.001),
  beta1: numberOption({ default: 0.9, description: 'decay rate of the first-moment average', min: 0, max: 1, exclusiveMax: true }),
  beta2: numberOption({ default: 0.999, description: 'decay rate of the second-moment average', min: 0, max: 1, exclusiveMax: true }),
  epsilon: numberOption({ default: 1e-8, description: 'added to √v̂ in the denominator', min: 0 }),
};

/** Adam (Kingma & Ba), as in PyTorch; `weightDecay` is an L2 penalty on the gradient, inside the moments. */
export const adamDefinition = defineOptimizer({
  name: 'adam',
  description: 'Adam: per-weight steps from bias-corrected running averages of g and g²',
  traces: ['lr', 'beta1', 'beta2'],
  options: { ...adamMomentOptions, weightDecay: l2WeightDecayOption, ...learningRateScheduleOptions },
  create: (settings) => {
    const { beta1, beta2, epsilon, weightDecay } = settings;
    return gradientTransformOptimizer(chain(addL2(weightDecay), scaleByAdam(beta1, beta2, epsilon), scaleByLearningRateSchedule(settings)), { beta1, beta2 });
  },
});
