import { windowOutputLength } from '../ops';
import type { LayerSite } from './layerSite';
import { bracketedShape } from './shapes';
import type { Padding, Pair } from '../../shared/modelSpec';

/** The shapes of convolution and pooling layers (NHWC, per example), checked where the layer is built. */

export function toPair(p: Pair): [number, number] {
  return typeof p === 'number' ? [p, p] : [p[0], p[1]];
}

export function formatPair([a, b]: [number, number]): string {
  return a === b ? `${a}` : `${a}×${b}`;
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
    throw site.error(`input shape ${bracketedShape(inputShape)} is not an image; ${site.type} needs [height, width, channels]`);
  }
  const [h, w] = inputShape;
  if (padding === 'valid' && (window[0] > h || window[1] > w)) {
    throw site.error(`${windowField} ${formatPair(window)} is larger than the ${h}×${w} input with padding 'valid'`);
  }
  return [windowOutputLength(h, window[0], strides[0], padding), windowOutputLength(w, window[1], strides[1], padding)];
}
