/** Below this, f − f* is drawn at the floor: a log axis has no zero, and float64 noise lives down here. */
export const gapFloor = 1e-12;

export interface GapPoint {
  x: number;
  y: number;
}

/**
 * The points of an "f − f* per step" curve for a log-scaled chart: one point per step, the gap clamped
 * to `floor` so that a run that lands exactly on the minimum stays on the chart. Plain objects, as
 * Chart.js wants them with parsing off.
 */
export function gapSeries(values: readonly number[], minimumValue: number, floor = gapFloor): GapPoint[] {
  return values.map((v, step) => ({ x: step, y: Math.max(v - minimumValue, floor) }));
}
