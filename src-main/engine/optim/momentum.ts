import { tf } from '../tf';
import { mapParams, zerosLikeParams, type Params } from '../params';
import type { Optimizer, OptimizerDefinition } from './optimizer';
import { resolveOptions } from './optionValues';
import { gradientWithL2, l2WeightDecayOption } from './weightDecay';

export interface MomentumState {
  /** The heavy-ball buffer, one per parameter. */
  buffer: Params;
}

/**
 * Heavy-ball momentum in PyTorch's convention: buf ← μ·buf + g, Δw = −lr·buf. With `nesterov`, the step
 * looks ahead along the new buffer: Δw = −lr·(g + μ·buf).
 */
export const momentumDefinition: OptimizerDefinition = {
  name: 'momentum',
  description: 'SGD with heavy-ball (or Nesterov) momentum: buf ← μ·buf + g, w ← w − lr·buf',
  traces: ['lr', 'momentum'],
  options: [
    { name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 },
    { name: 'momentum', type: 'number', default: 0.9, description: 'momentum coefficient μ', min: 0, max: 1 },
    { name: 'nesterov', type: 'boolean', default: false, description: 'use Nesterov momentum' },
    l2WeightDecayOption,
  ],
  create(options) {
    const o = resolveOptions(momentumDefinition, options);
    return createMomentum(o.number('lr'), o.number('momentum'), o.boolean('nesterov'), o.number('weightDecay'));
  },
};

function createMomentum(lr: number, mu: number, nesterov: boolean, weightDecay: number): Optimizer<MomentumState> {
  return {
    name: 'momentum',
    init: (params) => ({ buffer: zerosLikeParams(params) }),
    update(ctx, state, params) {
      const gradient = ctx.gradient(); // outside the tidy: the context may cache it
      const { updates, buffer } = tf.tidy(() => {
        const g = gradientWithL2(gradient, params, weightDecay);
        const buffer = mapParams(state.buffer, (b, k) => tf.add(tf.mul(b, mu), g[k]));
        const direction = nesterov ? mapParams(g, (gk, k) => tf.add(gk, tf.mul(buffer[k], mu))) : buffer;
        return { buffer, updates: mapParams(direction, (d) => tf.mul(d, -lr)) };
      });
      return { updates, state: { buffer }, trace: { lr, momentum: mu } };
    },
    stateTensors: (state) => Object.values(state.buffer),
  };
}
