import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { describeNative, useBackend } from '../native/nativeBackend.testkit';
import { createOptimizer } from '../optim/registry';
import { addScaledParams } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { NetworkStepContext } from '../train/networkStepContext';
import { PassCounter } from '../train/passCounter';
import { Model, trainContext } from './model';
import { buildPresetSpec, type ModelIO } from './presets';
import { randomArchitecture } from './randomArchitecture';
import type { LayerSpec } from '../../shared/modelSpec';

const mnist: ModelIO = { inputShape: [28, 28, 1], outputSize: 10 };
const cifar: ModelIO = { inputShape: [32, 32, 3], outputSize: 10 };
const seeds = Array.from({ length: 200 }, (_, i) => i);
const shapes = [
  ['MNIST', mnist],
  ['CIFAR-10', cifar],
] as const;

function modelOf(layers: LayerSpec[], io: ModelIO): Model {
  return Model.fromSpec({ inputShape: io.inputShape, layers });
}

/**
 * One CurveBall step of a fresh network on a random batch of 2 (a forward pass, two JVPs, a VJP, and the
 * re-evaluation at the new weights that step 0 makes for λ): the batch loss before and after.
 */
function curveBallStep(model: Model, seed: number): { before: number; after: number } {
  const rng = new Rng(seed);
  const random = (shape: number[], draw: () => number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, draw), shape);
  return tidyValue(() => {
    const params = model.initParams(seed, 'default');
    const state = model.initState();
    const masks = new Map<string, tf.Tensor>();
    const dropoutMask = (name: string, shape: number[], rate: number): tf.Tensor => {
      if (!masks.has(name)) masks.set(name, random(shape, () => (rng.uniform() >= rate ? 1 : 0)));
      return masks.get(name)!;
    };
    const x = random([2, ...model.inputShape], () => rng.normal());
    const targets = tf.tensor1d([0, 1], 'int32');
    const first = trainContext(state, {}, dropoutMask);
    const again = trainContext(state, null, dropoutMask);
    const ctx = new NetworkStepContext(0, model, params, x, targets, softmaxCrossEntropy, first, again, new PassCounter());
    const optimizer = createOptimizer('curveball');
    const result = optimizer.update(ctx, optimizer.init(params, { totalSteps: 1, stepsPerEpoch: 1 }), params);
    const after = ctx.lossAt(addScaledParams(params, result.scale ?? 1, result.updates));
    ctx.dispose();
    return { before: ctx.loss, after };
  });
}

/** Every layer of a network, residual bodies included, in order. */
function allLayers(layers: LayerSpec[]): LayerSpec[] {
  return layers.flatMap((l) => (l.type === 'residual' ? [l, ...allLayers(l.layers)] : [l]));
}

for (const [name, io] of shapes) {
  describe(`random architectures for ${name} shapes`, () => {
    const specs = seeds.map((seed) => randomArchitecture(seed, io));

    it('200 seeds give 200 distinct networks; each builds for the shapes and has under 0.6 M parameters', () => {
      expect(new Set(specs.map((layers) => JSON.stringify(layers))).size).toBe(200);
      for (const [seed, layers] of specs.entries()) {
        const model = modelOf(layers, io);
        expect(model.outputShape, `seed ${seed}`).toEqual([io.outputSize]);
        // The bound the generator documents: at most about 0.6 M parameters on 32×32×3.
        expect(model.describe().paramCount, `seed ${seed}`).toBeLessThan(600_000);
      }
    });

    it('covers the space: every activation, both pools, strided convs, batch norm on and off, residual blocks, dropout, flatten and global pooling, 1 to 3 stages', () => {
      const types = specs.map((layers) => new Set<string>(allLayers(layers).map((l) => l.type)));
      const count = (has: (t: Set<string>) => boolean) => types.filter(has).length;
      for (const type of ['relu', 'tanh', 'sigmoid', 'maxPool', 'avgPool', 'batchNorm', 'residual', 'dropout', 'flatten', 'globalAvgPool']) {
        expect(count((t) => t.has(type)), type).toBeGreaterThan(20);
      }
      expect(count((t) => !t.has('batchNorm'))).toBeGreaterThan(20);
      // One activation per network.
      expect(count((t) => ['relu', 'tanh', 'sigmoid'].filter((a) => t.has(a)).length === 1)).toBe(200);
      const strided = specs.filter((layers) => allLayers(layers).some((l) => l.type === 'conv2d' && l.strides === 2));
      expect(strided.length).toBeGreaterThan(20);
      const kernels = new Set(specs.flatMap((layers) => layers.flatMap((l) => (l.type === 'conv2d' ? [l.kernelSize] : []))));
      expect(kernels).toEqual(new Set([3, 5]));
      const stages = specs.map((layers) => layers.filter((l) => l.type === 'conv2d').length);
      expect(new Set(stages)).toEqual(new Set([1, 2, 3]));
    });
  });

  describeNative(`random architectures for ${name} shapes, one step each`, () => {
    useBackend('cpu-blas');

    it('each of the 200 takes a CurveBall step with finite losses, which lowers the loss of nearly all, and leaves no tensor behind', () => {
      const tensorsBefore = tf.memory().numTensors;
      let decreased = 0;
      for (const seed of seeds) {
        const { before, after } = curveBallStep(modelOf(randomArchitecture(seed, io), io), seed);
        expect(Number.isFinite(before) && Number.isFinite(after), `seed ${seed}: losses ${before}, ${after}`).toBe(true);
        expect(tf.memory().numTensors, `seed ${seed}`).toBe(tensorsBefore);
        if (after < before) decreased++;
      }
      // The step trains: one step of an exact line search on a quadratic model lowers most batch losses.
      expect(decreased).toBeGreaterThanOrEqual(180);
    });
  });
}

describe('randomArchitecture', () => {
  it('gives the same network for the same seed and shapes, and another for another seed', () => {
    expect(randomArchitecture(7, cifar)).toEqual(randomArchitecture(7, cifar));
    expect(randomArchitecture(7, cifar)).not.toEqual(randomArchitecture(8, cifar));
  });

  it('gives flat input dense networks only, which take a finite CurveBall step; other shapes are flattened first', () => {
    const flat: ModelIO = { inputShape: [5], outputSize: 3 };
    const kinds = new Set<string>();
    for (const seed of seeds.slice(0, 50)) {
      const layers = randomArchitecture(seed, flat);
      for (const l of allLayers(layers)) kinds.add(l.type);
      expect(layers.at(-1)).toEqual({ type: 'dense', units: 3 });
      const { before, after } = curveBallStep(modelOf(layers, flat), seed);
      expect(Number.isFinite(before) && Number.isFinite(after), `seed ${seed}`).toBe(true);
    }
    expect([...kinds].sort()).toEqual(['batchNorm', 'dense', 'dropout', 'relu', 'residual', 'sigmoid', 'tanh']);
    const matrix: ModelIO = { inputShape: [4, 6], outputSize: 2 };
    expect(randomArchitecture(3, matrix)[0]).toEqual({ type: 'flatten' });
    expect(modelOf(randomArchitecture(3, matrix), matrix).outputShape).toEqual([2]);
  });
});

describe('the random preset', () => {
  it('is the generator for the seed archSeed (default 0), and names archOptions.archSeed when it is not a 32-bit seed', () => {
    expect(buildPresetSpec('random', { archSeed: '7' }, mnist)).toEqual({ inputShape: [28, 28, 1], layers: randomArchitecture(7, mnist) });
    expect(buildPresetSpec('random', {}, mnist).layers).toEqual(randomArchitecture(0, mnist));
    expect(buildPresetSpec('random', { archSeed: '4294967295' }, mnist).layers).toEqual(randomArchitecture(4294967295, mnist));
    for (const bad of ['-1', '1.5', 'seven', '', '4294967296']) {
      const build = () => buildPresetSpec('random', { archSeed: bad }, mnist);
      expect(build).toThrow(`preset random: archSeed must be an integer from 0 to 4294967295, got "${bad}"`);
      expect(build).toThrow(ModelSpecError);
      expect(build).toThrow(expect.objectContaining({ field: 'archOptions.archSeed' }));
    }
  });
});
