import type { LayerSpec } from '../../shared/modelSpec';

/**
 * ResNet-18 in its CIFAR form (He et al. 2016, as kuangliu/pytorch-cifar writes it): a 3×3 conv stem with
 * batch norm and ReLU; four stages of two basic blocks, y = relu(body(x) + shortcut(x)) with body = conv
 * 3×3, batch norm, ReLU, conv 3×3, batch norm; global average pooling; a dense output. The stages have
 * width, 2·width, 4·width and 8·width filters (64-128-256-512 at the default width 64); the first block of
 * stages 2–4 halves the image with stride 2 and projects its shortcut with a strided 1×1 conv and batch
 * norm, every other shortcut is the identity. Convs have no bias (batch norm follows each) and He-normal
 * kernels; the output layer keeps Glorot's. TensorFlow's 'same' padding puts a strided 3×3 conv's odd
 * padding pixel after the image where PyTorch pads both sides: same shapes and parameters.
 */
export function resnet18Layers(width: number, outputSize: number): LayerSpec[] {
  const layers: LayerSpec[] = [conv(width, 3, 1), { type: 'batchNorm' }, { type: 'relu' }];
  let inputFilters = width;
  [1, 2, 4, 8].forEach((multiple, stage) => {
    const filters = width * multiple;
    layers.push(...basicBlock(inputFilters, filters, stage === 0 ? 1 : 2), ...basicBlock(filters, filters, 1));
    inputFilters = filters;
  });
  layers.push({ type: 'globalAvgPool' }, { type: 'dense', units: outputSize });
  return layers;
}

function basicBlock(inputFilters: number, filters: number, strides: number): LayerSpec[] {
  const projected = strides !== 1 || inputFilters !== filters;
  const body: LayerSpec[] = [conv(filters, 3, strides), { type: 'batchNorm' }, { type: 'relu' }, conv(filters, 3, 1), { type: 'batchNorm' }];
  const shortcut: LayerSpec[] = [conv(filters, 1, strides), { type: 'batchNorm' }];
  return [{ type: 'residual', layers: body, ...(projected ? { shortcut } : {}) }, { type: 'relu' }];
}

function conv(filters: number, kernelSize: number, strides: number): LayerSpec {
  return { type: 'conv2d', filters, kernelSize, ...(strides !== 1 ? { strides } : {}), padding: 'same', useBias: false, kernelInit: 'heNormal' };
}
