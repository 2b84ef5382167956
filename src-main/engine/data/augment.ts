/**
 * The standard CIFAR training augmentation: each image is mirrored left-right with probability 1/2 and
 * shifted by a whole number of pixels in [−2, 2] along x and y, the uncovered border filled with zeros
 * (after standardisation zero is the channel mean, so the padding is a "neutral" colour).
 */
import type { Rng } from '../rng';

export interface AugmentOptions {
  /** Probability of a horizontal flip (default 0.5). */
  flipProbability?: number;
  /** Largest shift in pixels along each axis (default 2). */
  maxShift?: number;
}

/**
 * Augments a batch of `n` HWC images (`x` holds n × height × width × channels values) and returns a
 * new array. Per image, three numbers are drawn from `rng` in this order: flip, shift y, shift x — so
 * the same seed gives the same batch.
 */
export function augmentBatch(
  x: Float32Array,
  n: number,
  imageShape: readonly number[],
  rng: Rng,
  options: AugmentOptions = {},
): Float32Array {
  if (imageShape.length !== 3) throw new Error(`augmentBatch: images must be [height, width, channels], got [${imageShape.join(', ')}]`);
  const [height, width, channels] = imageShape;
  const imageSize = height * width * channels;
  if (x.length !== n * imageSize) throw new Error(`augmentBatch: ${x.length} values is not ${n} images of ${imageSize}`);
  const flipProbability = options.flipProbability ?? 0.5;
  const maxShift = options.maxShift ?? 2;
  const out = new Float32Array(x.length);
  for (let start = 0; start < x.length; start += imageSize) {
    const flip = rng.uniform() < flipProbability;
    const shiftY = rng.int(2 * maxShift + 1) - maxShift;
    const shiftX = rng.int(2 * maxShift + 1) - maxShift;
    // out[r][c] = flipped[r − shiftY][c − shiftX], zero where that falls outside the image.
    for (let r = 0; r < height; r++) {
      const sourceRow = r - shiftY;
      if (sourceRow < 0 || sourceRow >= height) continue;
      for (let c = 0; c < width; c++) {
        const shiftedCol = c - shiftX;
        if (shiftedCol < 0 || shiftedCol >= width) continue;
        const sourceCol = flip ? width - 1 - shiftedCol : shiftedCol;
        const from = start + (sourceRow * width + sourceCol) * channels;
        const to = start + (r * width + c) * channels;
        for (let ch = 0; ch < channels; ch++) out[to + ch] = x[from + ch];
      }
    }
  }
  return out;
}
