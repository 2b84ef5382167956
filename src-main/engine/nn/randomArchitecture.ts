import { Rng } from '../rng';
import type { ActivationSpec, LayerSpec } from '../../shared/modelSpec';
import type { ModelIO } from './presets';

/**
 * Random networks, for the CurveBall paper's fair test: the standard networks were selected because
 * first-order methods train them well, so the paper also trained random ones and counted how often each
 * optimizer trained them best. One seed gives one network, the same everywhere (every draw comes from
 * Rng.derive(seed, 'random-architecture')); each choice below is uniform among its values.
 *
 * Per network: one activation (relu, tanh or sigmoid); batch norm on or off (after every conv and dense
 * layer but the output, before the activation); dropout after every hidden dense layer at rate 0, 0.1 or
 * 0.25. A "residual block" after a layer of width w is y = x + body(x) with body = two layers like it
 * (3×3 convs or dense, width w, stride 1) with batch norm and the activation between them and batch norm
 * after, then the activation; it follows a stage or a hidden dense layer half of the time.
 *
 * - Image input [height, width, channels]: 1 to 3 conv stages, each a conv (8, 16, 24 or 32 filters,
 *   kernel 3×3 or 5×5), batch norm if on, the activation, a halving of the height and width (the conv's stride 2,
 *   or a max-pool or avg-pool with a 2×2 or 3×3 window and stride 2) and maybe a residual block; then
 *   flatten or global average pooling; then 0 to 2 hidden dense layers.
 * - Any other input (flat features; other shapes are flattened first): 1 to 3 hidden dense layers.
 * - Hidden dense layers have 16, 32 or 64 units (dense, batch norm if on, the activation, maybe a residual
 *   block, dropout if on); a dense layer of the output size ends every network.
 *
 * Valid for the input by construction: every conv and pool pads 'same', so a window of stride s maps a
 * side of n pixels to ceil(n / s) ≥ 1 (no layer shrinks an image below 1×1 and every window fits), and a
 * residual body keeps its input's shape. Small by construction, so one step is cheap on a CPU: at most 9
 * conv layers (3 stages, each one conv and a two-conv residual body) and 10 dense layers (3 hidden, each
 * with a two-layer residual body, and the output; 7 after conv stages); only a stage's first conv runs
 * at its input's resolution, everything after it at half the height and width. On 32×32×3 a forward pass
 * costs at most about 35 MFLOP per example (6.8 on average over seeds 0–199) and a network has at most
 * about 0.6 M parameters (flatten after one 32-filter stage: 16·16·32 features into 64 units).
 */
export function randomArchitecture(seed: number, io: ModelIO): LayerSpec[] {
  const rng = Rng.derive(seed, 'random-architecture');
  const pick = <T>(choices: readonly T[]): T => choices[rng.int(choices.length)];
  const activation: ActivationSpec['type'] = pick(['relu', 'tanh', 'sigmoid']);
  const batchNorm = pick([false, true]);
  const dropoutRate = pick([0, 0.1, 0.25]);

  const batchNormLayer = (): LayerSpec[] => (batchNorm ? [{ type: 'batchNorm' }] : []);
  const activated = (layer: LayerSpec): LayerSpec[] => [layer, ...batchNormLayer(), { type: activation }];
  const maybeResidual = (like: () => LayerSpec): LayerSpec[] =>
    pick([false, true]) ? [{ type: 'residual', layers: [...activated(like()), like(), ...batchNormLayer()] }, { type: activation }] : [];

  const layers: LayerSpec[] = [];
  const image = io.inputShape.length === 3;
  if (image) {
    const stages = 1 + rng.int(3);
    for (let i = 0; i < stages; i++) {
      const filters = pick([8, 16, 24, 32]);
      const kernelSize = pick([3, 5]);
      const halving = pick(['stride', 'maxPool', 'avgPool'] as const);
      layers.push(...activated({ type: 'conv2d', filters, kernelSize, ...(halving === 'stride' ? { strides: 2 } : {}), padding: 'same' }));
      if (halving !== 'stride') layers.push({ type: halving, poolSize: pick([2, 3]), strides: 2, padding: 'same' });
      layers.push(...maybeResidual(() => ({ type: 'conv2d', filters, kernelSize: 3, padding: 'same' })));
    }
    layers.push({ type: pick(['flatten', 'globalAvgPool'] as const) });
  } else if (io.inputShape.length > 1) {
    layers.push({ type: 'flatten' });
  }

  const hidden = image ? rng.int(3) : 1 + rng.int(3);
  for (let i = 0; i < hidden; i++) {
    const units = pick([16, 32, 64]);
    layers.push(...activated({ type: 'dense', units }), ...maybeResidual(() => ({ type: 'dense', units })));
    if (dropoutRate > 0) layers.push({ type: 'dropout', rate: dropoutRate });
  }
  layers.push({ type: 'dense', units: io.outputSize });
  return layers;
}
