import type { OptimizerDefinition } from './optimizer';
import { adamDefinition, adamMomentOptions, createAdamFamily } from './adam';
import { resolveOptions } from './optionValues';

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as in PyTorch — the decay shrinks the
 * weights directly (w ← w − lr·λ·w) instead of entering the moment estimates as an L2 gradient.
 */
export const adamwDefinition: OptimizerDefinition = {
  name: 'adamw',
  description: 'AdamW: Adam with decoupled weight decay w ← w − lr·weightDecay·w',
  traces: adamDefinition.traces,
  options: [
    ...adamMomentOptions,
    { name: 'weightDecay', type: 'number', default: 0.01, description: 'decoupled weight decay coefficient', min: 0 },
  ],
  create(options) {
    const o = resolveOptions(adamwDefinition, options);
    return createAdamFamily('adamw', {
      lr: o.number('lr'),
      beta1: o.number('beta1'),
      beta2: o.number('beta2'),
      epsilon: o.number('epsilon'),
      l2WeightDecay: 0,
      decoupledWeightDecay: o.number('weightDecay'),
    });
  },
};
