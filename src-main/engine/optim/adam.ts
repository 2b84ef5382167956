import { tf } from '../tf';
import { mapParams, zerosLikeParams, type Params } from '../params';
import type { Optimizer, OptimizerDefinition, OptionDescriptor } from './optimizer';
import { resolveOptions } from './optionValues';
import { gradientWithL2, l2WeightDecayOption } from './weightDecay';

export interface AdamState {
  /** Number of steps taken so far (the bias correction uses step + 1 on the next step). */
  step: number;
  /** First and second moment estimates. */
  m: Params;
  v: Params;
}

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Added to the gradient (Adam's L2 penalty). */
  l2WeightDecay: number;
  /** Subtracted from the weights directly, outside the moments (AdamW). */
  decoupledWeightDecay: number;
}

/** The options Adam and AdamW share (everything but weight decay). */
export const adamMomentOptions: OptionDescriptor[] = [
  { name: 'lr', type: 'number', default: 0.001, description: 'learning rate', min: 0 },
  { name: 'beta1', type: 'number', default: 0.9, description: 'decay rate of the first-moment average', min: 0, max: 1, exclusiveMax: true },
  { name: 'beta2', type: 'number', default: 0.999, description: 'decay rate of the second-moment average', min: 0, max: 1, exclusiveMax: true },
  { name: 'epsilon', type: 'number', default: 1e-8, description: 'added to √v̂ in the denominator', min: 0 },
];

/** Adam (Kingma & Ba), as in PyTorch; `weightDecay` is an L2 penalty on the gradient. */
export const adamDefinition: OptimizerDefinition = {
  name: 'adam',
  description: 'Adam: per-weight steps from bias-corrected running averages of g and g²',
  traces: ['lr', 'beta1', 'beta2'],
  options: [...adamMomentOptions, l2WeightDecayOption],
  create(options) {
    const o = resolveOptions(adamDefinition, options);
    return createAdamFamily('adam', {
      lr: o.number('lr'),
      beta1: o.number('beta1'),
      beta2: o.number('beta2'),
      epsilon: o.number('epsilon'),
      l2WeightDecay: o.number('weightDecay'),
      decoupledWeightDecay: 0,
    });
  },
};

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ)
 * Δw = −lr·m̂/(√v̂ + ε) − lr·decoupledWeightDecay·w
 */
export function createAdamFamily(name: string, s: AdamSettings): Optimizer<AdamState> {
  return {
    name,
    init: (params) => ({ step: 0, m: zerosLikeParams(params), v: zerosLikeParams(params) }),
    update(ctx, state, params) {
      const t = state.step + 1;
      const mScale = 1 / (1 - s.beta1 ** t);
      const vScale = 1 / (1 - s.beta2 ** t);
      const gradient = ctx.gradient(); // outside the tidy: the context may cache it
      const result = tf.tidy(() => {
        const g = gradientWithL2(gradient, params, s.l2WeightDecay);
        const m = mapParams(state.m, (mk, k) => tf.add(tf.mul(mk, s.beta1), tf.mul(g[k], 1 - s.beta1)));
        const v = mapParams(state.v, (vk, k) => tf.add(tf.mul(vk, s.beta2), tf.mul(tf.square(g[k]), 1 - s.beta2)));
        const updates = mapParams(m, (mk, k) => {
          const step = tf.div(tf.mul(mk, -s.lr * mScale), tf.add(tf.sqrt(tf.mul(v[k], vScale)), s.epsilon));
          return s.decoupledWeightDecay === 0 ? step : tf.sub(step, tf.mul(params[k], s.lr * s.decoupledWeightDecay));
        });
        return { m, v, updates };
      });
      return {
        updates: result.updates,
        state: { step: t, m: result.m, v: result.v },
        trace: { lr: s.lr, beta1: s.beta1, beta2: s.beta2 },
      };
    },
    stateTensors: (state) => [...Object.values(state.m), ...Object.values(state.v)],
  };
}
