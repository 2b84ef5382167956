import { ModelSpecError } from '../errors';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildNetwork, type NetworkOptions } from './buildNetwork';
import type { InitKind, Layer, LayerContext, ModelState, ParamSpec, StateSpec } from './layer';
import type { Sequential, SequentialCache } from './sequential';
import { bracketedShape, product, sameShape } from './shapes';
import type { LayerType, ModelSpec } from '../../shared/modelSpec';
import { validateModelSpec } from './specValidation';

export { validateModelSpec } from './specValidation';
export { evalContext, trainContext } from './layerContexts';

/** What Model.forward records for the derivative passes of the same batch. */
export interface ModelCache {
  readonly network: SequentialCache;
  readonly batchSize: number;
}

/**
 * One row of Model.describe(): nested layers follow their residual block with depth + 1, the body's
 * first, then the shortcut's.
 */
export interface LayerDescription {
  name: string;
  type: LayerType;
  outputShape: number[];
  paramCount: number;
  depth: number;
  /** Present (true) on the layers of a residual block's shortcut path, nested ones included. */
  shortcut?: true;
}

export interface ModelDescription {
  layers: LayerDescription[];
  paramCount: number;
}

/**
 * 'default': each parameter's own InitKind. 'zeros': every trainable tensor zero, see initParams. 'he':
 * every dense and conv2d kernel He-normal, whatever its spec says (the run spec's `init: 'he'`).
 */
export type ParamInit = 'default' | 'zeros' | 'he';

/**
 * A network built from a ModelSpec: forward pass with cached activations, forward-mode products (J·v)
 * and reverse-mode products (Jᵀ·u) with respect to the parameters. Shapes are per example unless noted.
 */
export class Model {
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];

  private constructor(
    readonly spec: ModelSpec,
    private readonly network: Sequential,
  ) {
    this.inputShape = network.inputShape;
    this.outputShape = network.outputShape;
    this.params = network.params;
    this.state = network.state;
  }

  /**
   * Validates every field (ModelSpecError naming the path) and every layer's fit to its input. The layout
   * options default to the fastest on the active backend (see buildNetwork).
   */
  static fromSpec(spec: ModelSpec, options: Partial<NetworkOptions> = {}): Model {
    const checked = validateModelSpec(spec);
    return new Model(checked, buildNetwork(checked, options));
  }

  /**
   * Fresh parameter tensors. Each is drawn from its own generator, Rng.derive(seed, 'init/<name>'), so
   * its value depends only on the seed and its name. 'default': kernels as their spec's kernelInit says,
   * Glorot-uniform (U(±sqrt(6 / (fanIn + fanOut)))) unless it says He-normal (N(0, 2 / fanIn)); zero
   * biases and β, γ = 1. 'he': every kernel He-normal, the rest as 'default'. 'zeros': every trainable
   * tensor is zero except batch-norm γ, which stays 1 — a zero γ would make the whole layer's output and
   * gradient zero.
   */
  initParams(seed: number, init: ParamInit): Params {
    const out: Params = {};
    for (const p of this.params) out[p.name] = initialTensor(p, initKindOf(p, init), seed);
    return out;
  }

  /** Running statistics at their starting values (moving mean 0, moving variance 1). */
  initState(): ModelState {
    const out: ModelState = {};
    for (const s of this.state) out[s.name] = tf.fill(s.shape, s.initialValue);
    return out;
  }

  /** y for a batch x of shape [batch, ...inputShape]; the cache serves jvp and vjp on the same batch. */
  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ModelCache } {
    if (!sameShape(x.shape.slice(1), this.inputShape)) {
      throw new ModelSpecError(
        `the model takes examples of shape ${bracketedShape(this.inputShape)}, but got a batch of shape ${bracketedShape(x.shape)}`,
      );
    }
    const { y, cache } = this.network.forward(x, params, ctx);
    return { y, cache: { network: cache, batchSize: x.shape[0] } };
  }

  /** J·direction: the output tangent for a parameter direction (missing entries are zero), input fixed. */
  jvp(cache: ModelCache, direction: Params): tf.Tensor {
    return this.network.jvp(cache.network, null, direction) ?? tf.zeros([cache.batchSize, ...this.outputShape]);
  }

  /** Jᵀ·dy: a cotangent for every parameter, in the model's parameter order (zeros where none flowed). */
  vjp(cache: ModelCache, dy: tf.Tensor): Params {
    const grads: Params = {};
    this.network.vjp(cache.network, dy, grads, false);
    const out: Params = {};
    for (const p of this.params) out[p.name] = grads[p.name] ?? tf.zeros(p.shape);
    return out;
  }

  describe(): ModelDescription {
    const layers: LayerDescription[] = [];
    const visit = (layer: Layer, depth: number, shortcut: boolean): void => {
      if (layer.type === null) {
        for (const part of layer.sublayers) visit(part, depth, shortcut);
        return;
      }
      layers.push({
        name: layer.name,
        type: layer.type,
        outputShape: [...layer.outputShape],
        paramCount: countParamSpecs(layer.params),
        depth,
        ...(shortcut ? { shortcut: true as const } : {}),
      });
      for (const child of layer.sublayers) visit(child, depth + 1, shortcut);
      for (const child of layer.shortcutSublayers ?? []) visit(child, depth + 1, true);
    };
    for (const layer of this.network.layers) visit(layer, 0, false);
    return { layers, paramCount: countParamSpecs(this.params) };
  }

  /** Rough forward cost of one example: 2 × multiply-adds of its dense and conv layers. */
  flopsPerExample(): number {
    return this.network.flopsPerExample;
  }
}

/** A kernel is the one kind of parameter drawn at random; 'he' redraws every kernel He-normal. */
function initKindOf(p: ParamSpec, init: ParamInit): InitKind {
  if (init === 'zeros') return p.init === 'ones' ? 'ones' : 'zeros';
  const kernel = p.init === 'glorotUniform' || p.init === 'heNormal';
  return init === 'he' && kernel ? 'heNormal' : p.init;
}

function initialTensor(p: ParamSpec, kind: InitKind, seed: number): tf.Tensor {
  switch (kind) {
    case 'zeros':
      return tf.zeros(p.shape);
    case 'ones':
      return tf.ones(p.shape);
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
      return drawnTensor(p, seed, (rng) => limit * (2 * rng.uniform() - 1));
    }
    case 'heNormal': {
      const std = Math.sqrt(2 / p.fanIn);
      return drawnTensor(p, seed, (rng) => std * rng.normal());
    }
  }
}

/** Values drawn one by one from the parameter's own generator, Rng.derive(seed, 'init/<name>'). */
function drawnTensor(p: ParamSpec, seed: number, draw: (rng: Rng) => number): tf.Tensor {
  const rng = Rng.derive(seed, `init/${p.name}`);
  const values = new Float32Array(product(p.shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(rng);
  return tf.tensor(values, p.shape);
}

function countParamSpecs(params: readonly ParamSpec[]): number {
  return params.reduce((n, p) => n + product(p.shape), 0);
}
