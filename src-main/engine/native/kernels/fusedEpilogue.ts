import type { tf } from '../../tf';
import type { NativeAddon } from '../nativeAddon';

/** The activation of a TF.js fused op when the native kernels apply it themselves ('linear' or 'relu'), else null. */
export function nativeActivation(activation: tf.fused.Activation | undefined, preluWeights: tf.TensorInfo | undefined): 'linear' | 'relu' | null {
  const kind = activation ?? 'linear';
  return !preluWeights && (kind === 'linear' || kind === 'relu') ? kind : null;
}

/** The tail of a fused product or convolution, in its own output array: + bias (broadcast), then the activation. */
export function addBiasAndActivate(
  addon: NativeAddon,
  out: Float32Array,
  outShape: number[],
  bias: { values: Float32Array; shape: number[] } | null,
  activation: 'linear' | 'relu',
): void {
  if (bias) addon.binary('add', out, outShape, bias.values, bias.shape, out, outShape);
  if (activation === 'relu') addon.relu(out, out);
}
