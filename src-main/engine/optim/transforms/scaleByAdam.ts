import { combineParams, zerosLikeParams, type Params } from '../../params';
import { combineSquaresParams, divideByRootParams } from './scaleByRootOfSquares';
import type { GradientTransform } from './gradientTransform';

export interface AdamState {
  /** Steps taken so far (the bias correction uses count + 1 on the next step). */
  count: number;
  /** Running averages of u and u². */
  m: Params;
  v: Params;
}

/**
 * Adam's direction (Kingma & Ba): m ← β₁m + (1−β₁)u, v ← β₂v + (1−β₂)u², out = m̂/(√v̂ + ε) with
 * m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Written as m/(√v + ε')·c with ε' = ε·√(1−β₂ᵗ) and
 * c = √(1−β₂ᵗ)/(1−β₁ᵗ) (the same number), so the bias corrections ride on the lazy factor.
 */
export function scaleByAdam(beta1: number, beta2: number, epsilon: number): GradientTransform<AdamState> {
  return {
    init: (params) => ({ count: 0, m: zerosLikeParams(params), v: zerosLikeParams(params) }),
    update({ tensors, scale }, state) {
      const t = state.count + 1;
      const rootVCorrection = Math.sqrt(1 - beta2 ** t);
      const m = combineParams(beta1, state.m, (1 - beta1) * scale, tensors);
      const v = combineSquaresParams(beta2, state.v, (1 - beta2) * scale * scale, tensors);
      const out = divideByRootParams(m, v, epsilon * rootVCorrection);
      return { updates: { tensors: out, scale: rootVCorrection / (1 - beta1 ** t) }, state: { count: t, m, v } };
    },
  };
}
