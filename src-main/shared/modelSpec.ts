/**
 * The serialisable description of a network: what `--arch spec.json` holds and what the store keeps.
 * Shapes are per example (no batch axis); images are height × width × channels (NHWC).
 */
export type Padding = 'same' | 'valid';
export type Pair = number | [number, number];

export interface DenseSpec {
  type: 'dense';
  units: number;
  useBias?: boolean; // default true
  name?: string;
}

export interface Conv2dSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: Pair;
  strides?: Pair; // default 1
  padding?: Padding; // default 'same'
  useBias?: boolean; // default true
  name?: string;
}

export interface ActivationSpec {
  type: 'relu' | 'tanh' | 'sigmoid';
  name?: string;
}

export interface PoolSpec {
  type: 'maxPool' | 'avgPool';
  poolSize: Pair;
  strides?: Pair; // default poolSize
  padding?: Padding; // default 'valid'
  name?: string;
}

export interface BatchNormSpec {
  type: 'batchNorm';
  /** running = momentum · running + (1 − momentum) · batch statistic. Default 0.9. */
  momentum?: number;
  epsilon?: number; // default 1e-5
  name?: string;
}

export interface DropoutSpec {
  type: 'dropout';
  rate: number; // probability of dropping, in [0, 1)
  name?: string;
}

export interface FlattenSpec {
  type: 'flatten';
  name?: string;
}

export interface GlobalAvgPoolSpec {
  type: 'globalAvgPool';
  name?: string;
}

/** y = x + body(x): the body must keep the shape of its input. */
export interface ResidualSpec {
  type: 'residual';
  layers: LayerSpec[];
  name?: string;
}

export type LayerSpec =
  | DenseSpec
  | Conv2dSpec
  | ActivationSpec
  | PoolSpec
  | BatchNormSpec
  | DropoutSpec
  | FlattenSpec
  | GlobalAvgPoolSpec
  | ResidualSpec;

export type LayerType = LayerSpec['type'];

export interface ModelSpec {
  /** Per-example input shape: [features] or [height, width, channels]. */
  inputShape: number[];
  layers: LayerSpec[];
}
