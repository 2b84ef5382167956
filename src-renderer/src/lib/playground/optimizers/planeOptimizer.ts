import type { Oracle } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';

/** The optimizer's own numbers for one step (CurveBall's ρ, β, λ…), shown beside its trajectory. */
export type StepTrace = Readonly<Record<string, number>>;

export interface StepResult {
  readonly w: Vec2;
  readonly trace?: StepTrace;
}

/**
 * One optimizer run on a 2D function. Created fresh for each trajectory, it keeps its memory (velocity,
 * moments, CurveBall's z and λ) inside, so `step` is called once per step, in order, from the start point.
 */
export interface PlaneOptimizer {
  step(w: Vec2, oracle: Oracle): StepResult;
}
