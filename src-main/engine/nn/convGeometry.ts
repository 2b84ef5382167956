import type { LayerSite } from './layerSite';
import { formatShape } from './shapes';
import type { Padding, Pair } from '../../shared/modelSpec';

/** Shared shape arithmetic of convolutions and pooling windows (NHWC, per example). */

export function toPair(p: Pair): [number, number] {
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}

export function formatPair([a, b]: [number, number]): string {
  return a === b ? `${a}` : `${a}×${b}`;
}

/** Output length along one axis, TensorFlow's rule: 'same' pads so that only the stride shrinks it. */
export function windowOutputLength(input: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.ceil((input - window + 1) / stride);
}

/** Checks that a layer with a sliding window gets an image and that the window fits; returns [H, W] out. */
export function windowOutputSize(
  site: LayerSite,
  inputShape: number[],
  windowField: string,
  window: [number, number],
  strides: [number, number],
  padding: Padding,
): [number, number] {
  if (inputShape.length !== 3) {
    throw site.error(`input shape ${formatShape(inputShape)} is not an image; ${site.type} needs [height, width, channels]`);
  }
  const [h, w] = inputShape;
  if (padding === 'valid' && (window[0] > h || window[1] > w)) {
    throw site.error(`${windowField} ${formatPair(window)} is larger than the ${h}×${w} input with padding 'valid'`);
  }
  return [windowOutputLength(h, window[0], strides[0], padding), windowOutputLength(w, window[1], strides[1], padding)];
}

/** The padding TensorFlow adds along one axis: none for 'valid'; for 'same', the odd extra pad goes after. */
export function windowPadding(input: number, window: number, stride: number, padding: Padding): { before: number; after: number } {
  if (padding === 'valid') return { before: 0, after: 0 };
  const out = windowOutputLength(input, window, stride, padding);
  const total = Math.max((out - 1) * stride + window - input, 0);
  return { before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** For each output position along one axis, how many of its window's inputs are real (not padding). */
export function windowInputCounts(input: number, window: number, stride: number, padding: Padding): number[] {
  const { before } = windowPadding(input, window, stride, padding);
  const out = windowOutputLength(input, window, stride, padding);
  return Array.from({ length: out }, (_, o) => {
    const start = o * stride - before;
    return Math.min(start + window, input) - Math.max(start, 0);
  });
}
