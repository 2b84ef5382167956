import { tf } from '../tf';
import type { Optimizer, OptimizerDefinition } from './optimizer';
import { resolveOptions } from './optionValues';
import { gradientWithL2, l2WeightDecayOption } from './weightDecay';

/** Plain SGD keeps nothing between steps. */
export type SgdState = Record<string, never>;

/** Stochastic gradient descent: Δw = −lr·(g + weightDecay·w). */
export const sgdDefinition: OptimizerDefinition = {
  name: 'sgd',
  description: 'Stochastic gradient descent: w ← w − lr·g',
  traces: ['lr'],
  options: [
    { name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 },
    l2WeightDecayOption,
  ],
  create(options) {
    const o = resolveOptions(sgdDefinition, options);
    return createSgd(o.number('lr'), o.number('weightDecay'));
  },
};

function createSgd(lr: number, weightDecay: number): Optimizer<SgdState> {
  return {
    name: 'sgd',
    init: () => ({}),
    update(ctx, _state, params) {
      const gradient = ctx.gradient(); // outside any tidy: the context caches it
      // The trainer scales by −lr as it applies the step, so plain SGD copies nothing.
      const updates = tf.tidy(() => gradientWithL2(gradient, params, weightDecay));
      return { updates, scale: -lr, state: {}, trace: { lr } };
    },
    stateTensors: () => [],
  };
}
