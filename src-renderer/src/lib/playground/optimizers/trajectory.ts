import type { Oracle } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';
import { isFiniteVec, norm } from '../math/vec2';
import type { PlaneOptimizer, StepTrace } from './planeOptimizer';

/** Beyond this distance from the origin a run counts as diverged; far outside every view window. */
export const escapeRadius = 1e6;

export interface Trajectory {
  /** points[k] is w after k steps; always steps + 1 long, so the step slider can index any run. */
  readonly points: readonly Vec2[];
  /** The clean f at each point. */
  readonly values: readonly number[];
  /** traces[k] is the optimizer's trace for the step from points[k] to points[k + 1]. */
  readonly traces: readonly (StepTrace | undefined)[];
  /** The first step whose result was non-finite or escaped; from there on the run stays at its last good point. */
  readonly divergedAt: number | null;
}

/**
 * Runs `steps` steps of a fresh optimizer from `start`. A run that blows up (the usual fate of SGD with
 * too large a learning rate) is frozen at its last finite point rather than filling the plot with NaN.
 */
export function runTrajectory(optimizer: PlaneOptimizer, oracle: Oracle, value: (w: Vec2) => number, start: Vec2, steps: number): Trajectory {
  const points: Vec2[] = [start];
  const values: number[] = [value(start)];
  const traces: (StepTrace | undefined)[] = [];
  let divergedAt: number | null = null;
  let w = start;
  for (let k = 0; k < steps; k++) {
    if (divergedAt === null) {
      const result = optimizer.step(w, oracle);
      const next = result.w;
      const nextValue = isFiniteVec(next) && norm(next) <= escapeRadius ? value(next) : Number.NaN;
      if (Number.isFinite(nextValue)) {
        w = next;
        traces.push(result.trace);
        points.push(w);
        values.push(nextValue);
        continue;
      }
      divergedAt = k;
    }
    traces.push(undefined);
    points.push(w);
    values.push(values[values.length - 1]);
  }
  return { points, values, traces, divergedAt };
}
