/**
 * The serialisable description of a network: what `--arch spec.json` holds and what the store keeps.
 * Shapes are per example (no batch axis); images are height × width × channels (NHWC).
 */
export type Padding = 'same' | 'valid';
export type Pair = number | [number, number];

/**
 * How a dense or conv2d kernel is drawn: Glorot-uniform, U(±sqrt(6 / (fanIn + fanOut))), or He (Kaiming)
 * normal, N(0, 2 / fanIn), for layers followed by a ReLU. fanIn counts the receptive field (kh·kw·cin).
 */
export type KernelInit = 'glorotUniform' | 'heNormal';

export interface DenseSpec {
  type: 'dense';
  units: number;
  useBias?: boolean; // default true
  kernelInit?: KernelInit; // default 'glorotUniform'
  name?: string;
}

export interface Conv2dSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: Pair;
  strides?: Pair; // default 1
  padding?: Padding; // default 'same'
  useBias?: boolean; // default true
  kernelInit?: KernelInit; // default 'glorotUniform'
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

/**
 * Local response normalisation across the channels (the last axis), in TensorFlow's convention (tf.nn.lrn):
 * y_c = x_c / (bias + alpha · Σ_{|j − c| ≤ depthRadius} x_j²)^beta, the sum not divided by the window's size.
 * The defaults are VGG-F's (Chatfield et al. 2014), which are AlexNet's (Krizhevsky et al. 2012): n = 5
 * channels, k = 2, α = 1e-4, β = 0.75, as Krizhevsky's formula states them (α times the plain sum). Caffe
 * divides its alpha by n, so Caffe's VGG models list alpha 0.0005 for the same α = 1e-4 here.
 */
export interface LrnSpec {
  type: 'lrn';
  depthRadius?: number; // default 2 (a window of 5 channels)
  bias?: number; // default 2
  alpha?: number; // default 1e-4
  beta?: number; // default 0.75
  name?: string;
}

/**
 * y = body(x) + shortcut(x), the shortcut the identity when absent: with a shortcut (e.g. a strided 1×1
 * conv and batch norm, ResNet's projection) the body may change the shape, and both must give the same.
 */
export interface ResidualSpec {
  type: 'residual';
  layers: LayerSpec[];
  shortcut?: LayerSpec[];
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
  | LrnSpec
  | ResidualSpec;

export type LayerType = LayerSpec['type'];

export interface ModelSpec {
  /** Per-example input shape: [features] or [height, width, channels]. */
  inputShape: number[];
  layers: LayerSpec[];
}
