/**
 * Debiased exponential moving average, as TensorBoard smooths its scalars:
 *
 *   ema_t = w · ema_{t−1} + (1 − w) · x_t,   ema_0 = 0,   smoothed_t = ema_t / (1 − w^t)
 *
 * Starting from 0 biases the first values towards 0; dividing by 1 − w^t (the total weight the
 * average has given to real values so far) removes that bias, so the first smoothed value equals the
 * first raw value and short curves are not dragged down at their start.
 *
 * Computed in the equivalent incremental form s_t = s_{t−1} + (x_t − s_{t−1}) · (1 − w) / (1 − w^t)
 * (from ema_t = s_t·(1 − w^t) and 1 − w^t = w·(1 − w^{t−1}) + (1 − w)): it gives the same values, and a
 * constant series (a fixed learning rate) stays exactly constant instead of wobbling in the last bits,
 * which would make a chart's y-axis zoom into rounding noise.
 *
 * Non-finite values (a diverged step's NaN or Infinity) are passed through unchanged and do not enter
 * the average, so one bad value does not poison the rest of the curve; t counts finite values only.
 * The EMA runs over points in order, not over x distance, like TensorBoard's.
 */
export function smoothDebiasedEma(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  }
  if (weight === 0) return values.slice();
  const out = new Array<number>(values.length);
  let smoothed = 0;
  let t = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) {
      out[i] = x;
      continue;
    }
    t++;
    // At t = 1 the gain is exactly 1: the first smoothed value is the first raw value.
    const gain = t === 1 ? 1 : (1 - weight) / (1 - weight ** t);
    smoothed += (x - smoothed) * gain;
    out[i] = smoothed;
  }
  return out;
}
