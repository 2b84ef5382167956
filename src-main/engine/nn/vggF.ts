import { windowOutputLength } from '../ops';
import type { ModelIO } from './presets';
import type { LayerSpec, Padding } from '../../shared/modelSpec';

export interface VggFOptions {
  /** The first conv's filters (64 in the paper); the other convs have 4× as many, the hidden dense layers 64×. */
  width: number;
  /** Batch norm after every conv and hidden dense layer, before its ReLU. */
  batchNorm: boolean;
  /** Dropout after each hidden dense layer's ReLU (0.5 in the paper; 0 leaves it out). */
  dropout: number;
}

/**
 * VGG-F (CNN-F of Chatfield et al. 2014, "Return of the Devil in the Details"), each conv and hidden dense
 * layer followed by a ReLU: conv 64 11×11 stride 4, LRN, max-pool; conv 256 5×5, LRN, max-pool; three conv
 * 256 3×3; max-pool; dense 4096, dropout; dense 4096, dropout; dense output. Max-pools are 3×3 with stride
 * 2 and round as Caffe's pooling does (ceil): in TensorFlow's terms, 'same' padding on an even side and
 * 'valid' on an odd one (decided by the smaller side of a non-square image). On 224×224 input this is the
 * paper's network exactly: maps of 54, 27, 13 and 6 pixels, 6·6·256 features into the first dense layer.
 *
 * Small images: by the paper's layout a 32×32 image would be 6 pixels after the first conv and would not
 * fit the third pool. So the first conv's stride follows the image's smaller side: 4 with 'valid' padding
 * from 128 pixels (the paper's layout), 2 from 64 pixels and 1 below, both with 'same' padding (no border
 * lost). CIFAR's 32×32 then reaches the dense layers at 4×4, MNIST's 28×28 at 3×3, and no map falls below
 * 1×1 at any size (a pool of a 1- or 2-pixel side gives 1). Kernel sizes and widths, and so the conv
 * layers' parameters, are the paper's at every size.
 */
export function vggFLayers({ width, batchNorm, dropout }: VggFOptions, io: ModelIO): LayerSpec[] {
  let side = Math.min(io.inputShape[0], io.inputShape[1]);
  const activated = (layer: LayerSpec): LayerSpec[] => [layer, ...(batchNorm ? [{ type: 'batchNorm' } as const] : []), { type: 'relu' }];
  const conv = (filters: number, kernelSize: number, strides: number, padding: Padding): LayerSpec[] => {
    side = windowOutputLength(side, kernelSize, strides, padding);
    return activated({ type: 'conv2d', filters, kernelSize, ...(strides !== 1 ? { strides } : {}), padding });
  };
  const maxPool = (): LayerSpec => {
    const padding = side % 2 === 0 || side < 3 ? 'same' : 'valid';
    side = windowOutputLength(side, 3, 2, padding);
    return { type: 'maxPool', poolSize: 3, strides: 2, padding };
  };
  const hiddenDense = (): LayerSpec[] => [...activated({ type: 'dense', units: 64 * width }), ...(dropout > 0 ? [{ type: 'dropout', rate: dropout } as const] : [])];
  const firstStride = side >= 128 ? 4 : side >= 64 ? 2 : 1;
  return [
    ...conv(width, 11, firstStride, firstStride === 4 ? 'valid' : 'same'),
    { type: 'lrn' },
    maxPool(),
    ...conv(4 * width, 5, 1, 'same'),
    { type: 'lrn' },
    maxPool(),
    ...conv(4 * width, 3, 1, 'same'),
    ...conv(4 * width, 3, 1, 'same'),
    ...conv(4 * width, 3, 1, 'same'),
    maxPool(),
    { type: 'flatten' },
    ...hiddenDense(),
    ...hiddenDense(),
    { type: 'dense', units: io.outputSize },
  ];
}
