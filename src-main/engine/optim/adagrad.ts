import { tf } from '../tf';
import { mapParams, type Params } from '../params';
import type { Optimizer, OptimizerDefinition } from './optimizer';
import { resolveOptions } from './optionValues';
import { gradientWithL2, l2WeightDecayOption } from './weightDecay';

export interface AdagradState {
  /** Sum of g² over all steps (plus the initial accumulator value). */
  sumOfSquares: Params;
}

/** Adagrad as in PyTorch (no lr decay): s ← s + g², Δw = −lr·g/(√s + ε). */
export const adagradDefinition: OptimizerDefinition = {
  name: 'adagrad',
  description: 'Adagrad: steps scaled by the root of the summed squared gradients',
  traces: ['lr'],
  options: [
    { name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 },
    { name: 'epsilon', type: 'number', default: 1e-10, description: 'added to √s in the denominator', min: 0 },
    { name: 'initialAccumulator', type: 'number', default: 0, description: 'starting value of the sum of squares', min: 0 },
    l2WeightDecayOption,
  ],
  create(options) {
    const o = resolveOptions(adagradDefinition, options);
    return createAdagrad(o.number('lr'), o.number('epsilon'), o.number('initialAccumulator'), o.number('weightDecay'));
  },
};

function createAdagrad(lr: number, epsilon: number, initialAccumulator: number, weightDecay: number): Optimizer<AdagradState> {
  return {
    name: 'adagrad',
    init: (params) => ({ sumOfSquares: mapParams(params, (p) => tf.fill(p.shape, initialAccumulator)) }),
    update(ctx, state, params) {
      const gradient = ctx.gradient(); // outside the tidy: the context may cache it
      const result = tf.tidy(() => {
        const g = gradientWithL2(gradient, params, weightDecay);
        const sumOfSquares = mapParams(state.sumOfSquares, (s, k) => tf.add(s, tf.square(g[k])));
        const updates = mapParams(g, (gk, k) => tf.div(tf.mul(gk, -lr), tf.add(tf.sqrt(sumOfSquares[k]), epsilon)));
        return { sumOfSquares, updates };
      });
      return { updates: result.updates, state: { sumOfSquares: result.sumOfSquares }, trace: { lr } };
    },
    stateTensors: (state) => Object.values(state.sumOfSquares),
  };
}
