/**
 * Input standardisation along the last axis: per channel for images (H × W × C rows), per feature
 * column for CSV tables. The statistics come from the training split only, so validation data never
 * leaks into preprocessing; both splits are then mapped to (x − mean) / std. Targets are left as given.
 */
import type { Dataset, NormalizationStats } from './dataset';

/**
 * A channel whose std is below this is (numerically) constant: dividing by its tiny std would blow
 * validation values that differ from the constant up to huge numbers, so it is only centred (std 1).
 */
export const MIN_STD = 1e-6;

/** Population mean and std of each of the `size` positions of the last axis (two passes, float64). */
export function lastAxisStats(x: Float32Array, size: number): { mean: number[]; std: number[] } {
  const count = x.length / size;
  const sum = new Float64Array(size);
  for (let i = 0; i < x.length; i += size) {
    for (let c = 0; c < size; c++) sum[c] += x[i + c];
  }
  const mean = Array.from(sum, (s) => (count > 0 ? s / count : 0));
  const squares = new Float64Array(size);
  for (let i = 0; i < x.length; i += size) {
    for (let c = 0; c < size; c++) {
      const d = x[i + c] - mean[c];
      squares[c] += d * d;
    }
  }
  const std = Array.from(squares, (s) => {
    const value = count > 0 ? Math.sqrt(s / count) : 0;
    return value < MIN_STD ? 1 : value;
  });
  return { mean, std };
}

/** Maps x to (x − mean) / std along the last axis, in place (image datasets are too large to copy). */
export function applyLastAxisStats(x: Float32Array, stats: { mean: number[]; std: number[] }): void {
  const size = stats.mean.length;
  const scale = stats.std.map((s) => 1 / s);
  for (let i = 0; i < x.length; i += size) {
    for (let c = 0; c < size; c++) x[i + c] = (x[i + c] - stats.mean[c]) * scale[c];
  }
}

/**
 * Standardises the inputs of both splits in place with statistics of the training split and returns
 * them. `names` label the channels or columns in reports.
 */
export function standardizeInputs(dataset: Dataset, names: string[]): NormalizationStats {
  const size = dataset.inputShape[dataset.inputShape.length - 1];
  if (names.length !== size) throw new Error(`standardizeInputs: ${names.length} names for ${size} channels`);
  const stats = lastAxisStats(dataset.train.x, size);
  applyLastAxisStats(dataset.train.x, stats);
  applyLastAxisStats(dataset.validation.x, stats);
  return { ...stats, names };
}
