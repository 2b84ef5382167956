import { UserInputError } from '../errors';
import type { Model } from '../nn/model';
import type { LayerSpec } from '../../shared/modelSpec';

/**
 * Where each of a model's tensors sits in a weights file, in PyTorch's names and layouts, so that
 * `load_state_dict` of the same architecture written in PyTorch takes the file as it is (docs/weights.md):
 *
 * - Names: the layer's place in the spec, as a PyTorch module tree of the same shape names it (a model
 *   whose `layers` is an `nn.Sequential`, a residual block a module with `layers` and `shortcut`
 *   Sequentials): spec path `layers[3].shortcut[0]` → `layers.3.shortcut.0`, then the tensor's PyTorch
 *   name: `weight` and `bias` (dense, conv2d; batch norm's γ and β), `running_mean` and `running_var`.
 * - Layouts: a conv2d kernel [kh, kw, in, out] is stored [out, in, kh, kw]; a dense kernel [in, out] is
 *   stored [out, in]. PyTorch's images are NCHW, so a flattened image's features come in (c, h, w) order
 *   there and (h, w, c) here: a dense kernel or a batch norm that reads them directly (through
 *   activations and dropout only) is stored with its feature axis reordered to (c, h, w).
 */
export interface WeightSlot {
  /** The engine's name: a parameter ("conv2d_0/kernel") or a batch-norm statistic ("batchNorm_1/movingMean"). */
  engineName: string;
  kind: 'param' | 'state';
  engineShape: number[];
  /** The name and shape in the file. */
  fileName: string;
  fileShape: number[];
  /** The engine's tensor viewed with shape `view` and its axes reordered by `perm` is the file's, both row-major. */
  view: number[];
  perm: number[];
}

/** How a flat layer input's features are ordered: a flattened [h, w, c] image, or as they are (null). */
type FeatureOrder = number[] | null;

const torchNames: Record<string, string> = {
  kernel: 'weight',
  bias: 'bias',
  gamma: 'weight',
  beta: 'bias',
  movingMean: 'running_mean',
  movingVariance: 'running_var',
};

/** Every parameter and batch-norm statistic of the model, in the model's order of layers. */
export function weightLayout(model: Model): WeightSlot[] {
  const rows = model.describe().layers;
  const shapes = new Map([...model.params, ...model.state].map((t) => [t.name, t.shape]));
  const stateNames = new Set(model.state.map((s) => s.name));
  const slots: WeightSlot[] = [];
  let next = 0;

  /** The tensors of one layer present in the model, each placed by `place` (view and perm from the engine's shape). */
  const add = (layer: string, path: string, place: (shape: number[]) => Pick<WeightSlot, 'view' | 'perm' | 'fileShape'>): void => {
    for (const suffix of Object.keys(torchNames)) {
      const engineName = `${layer}/${suffix}`;
      const engineShape = shapes.get(engineName);
      if (!engineShape) continue;
      const kind = stateNames.has(engineName) ? 'state' : 'param';
      slots.push({ engineName, kind, engineShape, fileName: `${path}.${torchNames[suffix]}`, ...place(engineShape) });
    }
  };

  // Walks the spec in the order describe() lists its layers (a residual block, its body, its shortcut).
  const walk = (specs: LayerSpec[], prefix: string, inputShape: number[], order: FeatureOrder): FeatureOrder => {
    let shape = inputShape;
    specs.forEach((spec, i) => {
      const row = rows[next++];
      if (!row || row.type !== spec.type) throw new Error(`weightLayout: the model's layers and its spec disagree at ${prefix}.${i}`);
      const path = `${prefix}.${i}`;
      switch (spec.type) {
        case 'dense':
          add(row.name, path, (s) => (s.length === 2 ? denseKernel(s, order) : unchanged(s)));
          order = null;
          break;
        case 'conv2d':
          add(row.name, path, (s) => (s.length === 4 ? { view: s, perm: [3, 2, 0, 1], fileShape: [s[3], s[2], s[0], s[1]] } : unchanged(s)));
          order = null;
          break;
        case 'batchNorm':
          add(row.name, path, (s) => (order ? { view: order, perm: [2, 0, 1], fileShape: s } : unchanged(s)));
          break;
        case 'flatten':
          order = shape.length === 3 ? [...shape] : null;
          break;
        case 'residual': {
          const body = walk(spec.layers, `${path}.layers`, shape, order);
          const shortcut = spec.shortcut ? walk(spec.shortcut, `${path}.shortcut`, shape, order) : order;
          if (String(body) !== String(shortcut)) {
            throw new UserInputError(
              `the residual block at ${path} adds the features of a flattened image to features in another order: ` +
                'PyTorch flattens images channel first, so this network has no PyTorch layout for its weights',
            );
          }
          order = body;
          break;
        }
        case 'relu':
        case 'tanh':
        case 'sigmoid':
        case 'dropout':
          break;
        default:
          order = null;
      }
      shape = row.outputShape;
    });
    return order;
  };
  walk(model.spec.layers, 'layers', model.inputShape, null);
  if (slots.length !== shapes.size) throw new Error('weightLayout: a tensor of the model has no place in the file');
  return slots;
}

/** [in, out] → [out, in]; a flattened image's input axis viewed as [h, w, c] and reordered to (c, h, w). */
function denseKernel([inputs, outputs]: number[], order: FeatureOrder): Pick<WeightSlot, 'view' | 'perm' | 'fileShape'> {
  if (order) return { view: [...order, outputs], perm: [3, 2, 0, 1], fileShape: [outputs, inputs] };
  return { view: [inputs, outputs], perm: [1, 0], fileShape: [outputs, inputs] };
}

function unchanged(shape: number[]): Pick<WeightSlot, 'view' | 'perm' | 'fileShape'> {
  return { view: shape, perm: shape.map((_, i) => i), fileShape: shape };
}

/** The row-major values of a tensor of `shape` with its axes reordered by `perm` (axis i of the result is axis perm[i]). */
export function permuteAxes(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((axis) => shape[axis]);
  const step = perm.map((axis) => strides[axis]);
  const out = new Float32Array(values.length);
  const index = outShape.map(() => 0);
  let source = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = values[source];
    // The next output index, odometer-wise, moving the source by each axis's input stride.
    for (let d = outShape.length - 1; d >= 0; d--) {
      index[d]++;
      source += step[d];
      if (index[d] < outShape[d]) break;
      source -= step[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/** The permutation that undoes `perm`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((axis, i) => (inverse[axis] = i));
  return inverse;
}
