import { ModelSpecError } from '../errors';
import { ActivationLayer } from './activation';
import { BatchNormLayer } from './batchNorm';
import { Conv2dLayer } from './conv2d';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { FlattenLayer } from './flatten';
import { GlobalAvgPoolLayer } from './globalAvgPool';
import { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import { PoolLayer } from './pool';
import { ResidualLayer } from './residual';
import { Sequential } from './sequential';
import type { LayerSpec, ModelSpec } from '../../shared/modelSpec';

/**
 * Turns a (validated) spec into layers, threading the per-example shape through them so that a layer
 * that does not fit its input fails here, with its path and name.
 */
export function buildNetwork(spec: ModelSpec): Sequential {
  const namer = new LayerNamer(collectExplicitNames(spec.layers));
  return buildSequential(spec.layers, 'layers', spec.inputShape, namer);
}

function buildSequential(specs: LayerSpec[], path: string, inputShape: number[], namer: LayerNamer): Sequential {
  const layers: NetworkLayer[] = [];
  let shape = inputShape;
  specs.forEach((spec, i) => {
    const layer = buildLayer(spec, `${path}[${i}]`, shape, namer);
    layers.push(layer);
    shape = layer.outputShape;
  });
  return new Sequential(layers, inputShape);
}

function buildLayer(spec: LayerSpec, path: string, inputShape: number[], namer: LayerNamer): NetworkLayer {
  const site = new LayerSite(path, namer.nameFor(spec, path), spec.type);
  switch (spec.type) {
    case 'dense':
      return new DenseLayer(site, spec, inputShape);
    case 'conv2d':
      return new Conv2dLayer(site, spec, inputShape);
    case 'relu':
    case 'tanh':
    case 'sigmoid':
      return new ActivationLayer(site, spec, inputShape);
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
    case 'residual':
      return new ResidualLayer(site, buildSequential(spec.layers, `${path}.layers`, inputShape, namer));
  }
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
      throw new ModelSpecError(`${path}: its automatic name "${automatic}" is another layer's name; name this layer or rename the other`);
    }
    return automatic;
  }
}

function collectExplicitNames(specs: LayerSpec[]): Set<string> {
  const names = new Set<string>();
  for (const spec of specs) {
    if (spec.name !== undefined) names.add(spec.name);
    if (spec.type === 'residual') for (const n of collectExplicitNames(spec.layers)) names.add(n);
  }
  return names;
}
