import { tf } from '../tf';
import { mapParams, zerosLikeParams, type Params } from '../params';
import type { Optimizer, OptimizerDefinition } from './optimizer';
import { resolveOptions } from './optionValues';
import { gradientWithL2, l2WeightDecayOption } from './weightDecay';

export interface RmspropState {
  /** Running average of g². */
  squareAverage: Params;
  /** Momentum buffer; null when momentum is 0. */
  buffer: Params | null;
}

/**
 * RMSprop as in PyTorch (not centered): v ← αv + (1−α)g²; with momentum μ > 0,
 * buf ← μ·buf + g/(√v + ε), Δw = −lr·buf; otherwise Δw = −lr·g/(√v + ε).
 */
export const rmspropDefinition: OptimizerDefinition = {
  name: 'rmsprop',
  description: 'RMSprop: steps scaled by a running root-mean-square of the gradient',
  traces: ['lr', 'alpha', 'momentum'],
  options: [
    { name: 'lr', type: 'number', default: 0.001, description: 'learning rate', min: 0 },
    { name: 'alpha', type: 'number', default: 0.99, description: 'decay rate of the running average of g²', min: 0, max: 1 },
    { name: 'epsilon', type: 'number', default: 1e-8, description: 'added to √v in the denominator', min: 0 },
    { name: 'momentum', type: 'number', default: 0, description: 'momentum coefficient μ (0: none)', min: 0, max: 1 },
    l2WeightDecayOption,
  ],
  create(options) {
    const o = resolveOptions(rmspropDefinition, options);
    return createRmsprop(o.number('lr'), o.number('alpha'), o.number('epsilon'), o.number('momentum'), o.number('weightDecay'));
  },
};

function createRmsprop(lr: number, alpha: number, epsilon: number, mu: number, weightDecay: number): Optimizer<RmspropState> {
  return {
    name: 'rmsprop',
    init: (params) => ({ squareAverage: zerosLikeParams(params), buffer: mu > 0 ? zerosLikeParams(params) : null }),
    update(ctx, state, params) {
      const gradient = ctx.gradient(); // outside the tidy: the context may cache it
      const result = tf.tidy(() => {
        const g = gradientWithL2(gradient, params, weightDecay);
        const squareAverage = mapParams(state.squareAverage, (v, k) => tf.add(tf.mul(v, alpha), tf.mul(tf.square(g[k]), 1 - alpha)));
        const scaled = mapParams(g, (gk, k) => tf.div(gk, tf.add(tf.sqrt(squareAverage[k]), epsilon)));
        const buffer = state.buffer ? mapParams(state.buffer, (b, k) => tf.add(tf.mul(b, mu), scaled[k])) : null;
        const updates = mapParams(buffer ?? scaled, (d) => tf.mul(d, -lr));
        return { squareAverage, buffer: buffer ?? {}, updates };
      });
      return {
        updates: result.updates,
        state: { squareAverage: result.squareAverage, buffer: state.buffer ? result.buffer : null },
        trace: { lr, alpha, momentum: mu },
      };
    },
    stateTensors: (state) => [...Object.values(state.squareAverage), ...Object.values(state.buffer ?? {})],
  };
}
