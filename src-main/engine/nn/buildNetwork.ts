import { ModelSpecError } from '../errors';
import { fusedKernelNames, hasFusedKernel } from '../ops';
import { ActivationLayer } from './activation';
import { AffineLayer } from './affineLayer';
import { AffineReluLayer } from './affineRelu';
import { BatchNormLayer } from './batchNorm';
import { Conv2dLayer } from './conv2d';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { FlattenLayer } from './flatten';
import { GlobalAvgPoolLayer } from './globalAvgPool';
import type { Layer } from './layer';
import { layerPlace } from './layerPlace';
import { LayerSite } from './layerSite';
import { LrnLayer } from './lrn';
import { PoolLayer } from './pool';
import { ResidualLayer } from './residual';
import { Sequential } from './sequential';
import type { LayerSpec, ModelSpec } from '../../shared/modelSpec';

/**
 * How buildNetwork lays the layers out. Either way the network computes the same outputs and derivatives
 * (up to float32 rounding) on every backend; the defaults (networkOptionsForBackend) are the fastest there.
 */
export interface NetworkOptions {
  /**
   * Each [dense|conv2d, relu] pair becomes one layer (AffineReluLayer) whose forward pass is one fused
   * product with its bias and the ReLU: every TF.js backend has that fused kernel, cpu-blas a native one.
   * Off: the two layers as the spec lists them.
   */
  fuseRelu: boolean;
  /**
   * ReLUs multiply by their derivative step(y) in the backend's fused kernels, straight from their output,
   * instead of by a step(y) made in the forward pass: in forward mode inside a dense product's JVP, in
   * reverse mode inside the input-cotangent product of a dense or conv2d layer right after the ReLU (see
   * AffineLayer's reluInput). Only cpu-blas has those kernels; elsewhere the multiply is two ops, and
   * CurveBall needs it three times a step.
   */
  reluDerivativeKernels: boolean;
}

/** Fused pairs on every backend; the ReLU-derivative kernels where the active backend has them. */
export function networkOptionsForBackend(): NetworkOptions {
  return { fuseRelu: true, reluDerivativeKernels: hasFusedKernel(fusedKernelNames.reluDerivativeTimes) };
}

/**
 * Turns a (validated) spec into layers, threading the per-example shape through them so that a layer
 * that does not fit its input fails here, with its path and name.
 */
export function buildNetwork(spec: ModelSpec, options: Partial<NetworkOptions> = {}): Sequential {
  const builder = new NetworkBuilder(new LayerNamer(collectExplicitNames(spec.layers)), { ...networkOptionsForBackend(), ...options });
  return builder.sequential(spec.layers, 'layers', spec.inputShape);
}

/** Where the multiply by a ReLU's derivative moves in reverse mode: into a layer, or out of it. */
interface ReluHandoff {
  /** A dense or conv2d layer does it for the ReLU in front of it. */
  fromPrevious: boolean;
  /** A ReLU leaves it to the dense or conv2d layer after it. */
  toNext: boolean;
}

class NetworkBuilder {
  constructor(
    private readonly namer: LayerNamer,
    private readonly options: NetworkOptions,
  ) {}

  sequential(specs: LayerSpec[], path: string, inputShape: number[]): Sequential {
    const layers: Layer[] = [];
    let shape = inputShape;
    specs.forEach((spec, i) => {
      const layer = this.layer(spec, `${path}[${i}]`, shape, { fromPrevious: this.handsOn(specs, i - 1), toNext: this.handsOn(specs, i) });
      layers.push(layer);
      shape = layer.outputShape;
    });
    return new Sequential(this.options.fuseRelu ? fuseReluPairs(layers) : layers, inputShape);
  }

  /** Whether the ReLU at i leaves its reverse-mode multiply to the dense or conv2d layer after it. */
  private handsOn(specs: LayerSpec[], i: number): boolean {
    const next = specs[i + 1]?.type;
    return this.options.reluDerivativeKernels && specs[i]?.type === 'relu' && (next === 'dense' || next === 'conv2d');
  }

  private layer(spec: LayerSpec, path: string, inputShape: number[], handoff: ReluHandoff): Layer {
    const site = new LayerSite(path, this.namer.nameFor(spec, path), spec.type);
    switch (spec.type) {
      case 'dense':
        return new DenseLayer(site, spec, inputShape, handoff.fromPrevious);
      case 'conv2d':
        return new Conv2dLayer(site, spec, inputShape, handoff.fromPrevious);
      case 'relu':
      case 'tanh':
      case 'sigmoid':
        return new ActivationLayer(site, spec, inputShape, { inKernels: this.options.reluDerivativeKernels, leftToNextLayer: handoff.toNext });
      case 'maxPool':
      case 'avgPool':
        return new PoolLayer(site, spec, inputShape);
      case 'batchNorm':
        return new BatchNormLayer(site, spec, inputShape);
      case 'dropout':
        return new DropoutLayer(site, spec, inputShape);
      case 'flatten':
        return new FlattenLayer(site, inputShape);
      case 'globalAvgPool':
        return new GlobalAvgPoolLayer(site, inputShape);
      case 'lrn':
        return new LrnLayer(site, spec, inputShape);
      case 'residual': {
        // The body before the shortcut: the layer counter numbers them in that order.
        const body = this.sequential(spec.layers, `${path}.layers`, inputShape);
        const shortcut = spec.shortcut ? this.sequential(spec.shortcut, `${path}.shortcut`, inputShape) : null;
        return new ResidualLayer(site, body, shortcut);
      }
    }
  }
}

/** Each dense or conv2d layer followed by a ReLU becomes one AffineReluLayer. */
function fuseReluPairs(layers: Layer[]): Layer[] {
  const fused: Layer[] = [];
  for (const layer of layers) {
    const previous = fused[fused.length - 1];
    if (previous instanceof AffineLayer && layer instanceof ActivationLayer && layer.type === 'relu') {
      fused[fused.length - 1] = new AffineReluLayer(previous, layer);
    } else {
      fused.push(layer);
    }
  }
  return fused;
}

/**
 * Unique layer names: the spec's name, or `${type}_${index}` where the index counts every layer of the
 * model in order, nested ones included (so "conv2d_3" is the model's 4th layer wherever it sits).
 */
class LayerNamer {
  private index = 0;

  constructor(private readonly explicitNames: ReadonlySet<string>) {}

  nameFor(spec: LayerSpec, path: string): string {
    const index = this.index++;
    if (spec.name !== undefined) return spec.name;
    const automatic = `${spec.type}_${index}`;
    if (this.explicitNames.has(automatic)) {
      throw new ModelSpecError(`${layerPlace(path)}: its automatic name "${automatic}" is another layer's name; name this layer or rename the other`, path);
    }
    return automatic;
  }
}

function collectExplicitNames(specs: LayerSpec[]): Set<string> {
  const names = new Set<string>();
  for (const spec of specs) {
    if (spec.name !== undefined) names.add(spec.name);
    if (spec.type === 'residual') for (const n of collectExplicitNames([...spec.layers, ...(spec.shortcut ?? [])])) names.add(n);
  }
  return names;
}
