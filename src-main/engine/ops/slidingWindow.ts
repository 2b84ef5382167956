import type { Padding } from '../../shared/modelSpec';

/** TensorFlow's arithmetic of a sliding window (convolution, pooling) along one axis. */

/** Output length: 'same' pads so that only the stride shrinks it. */
export function windowOutputLength(input: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.ceil((input - window + 1) / stride);
}

/** The padding TensorFlow adds: none for 'valid'; for 'same', the odd extra pad goes after. */
export function windowPadding(input: number, window: number, stride: number, padding: Padding): { before: number; after: number } {
  if (padding === 'valid') return { before: 0, after: 0 };
  const out = windowOutputLength(input, window, stride, padding);
  const total = Math.max((out - 1) * stride + window - input, 0);
  return { before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** For each output position, how many of its window's inputs are real (not padding). */
export function windowInputCounts(input: number, window: number, stride: number, padding: Padding): number[] {
  const { before } = windowPadding(input, window, stride, padding);
  const out = windowOutputLength(input, window, stride, padding);
  return Array.from({ length: out }, (_, o) => {
    const start = o * stride - before;
    return Math.min(start + window, input) - Math.max(start, 0);
  });
}
