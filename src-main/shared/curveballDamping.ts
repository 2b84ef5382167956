/**
 * CurveBall's damping rule (Henriques et al., ICCV 2019, and the authors' PyTorch `CurveBall.step`), for
 * the engine's optimizer and the playground's 2-D one alike. Every `interval`-th step, the loss change
 * the quadratic model predicted is compared with the real one: ratio = (L(w_new) − L(w)) / predicted.
 * Below `low` the model was too optimistic and λ grows; above `high` λ shrinks; by factor^interval.
 */
export const curveballDampingDefaults = {
  /** Initial damping λ. */
  lambda: 1,
  factor: 0.999,
  low: 0.5,
  high: 1.5,
  interval: 5,
} as const;

export interface DampingRule {
  factor: number;
  low: number;
  high: number;
  interval: number;
}

/** λ after a step whose fit ratio was `ratio`. */
export function adaptLambda(lambda: number, ratio: number, rule: DampingRule): number {
  const change = rule.factor ** rule.interval;
  if (ratio < rule.low) return lambda / change;
  if (ratio > rule.high) return lambda * change;
  return lambda;
}
