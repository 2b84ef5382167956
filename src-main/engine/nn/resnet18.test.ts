import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { describeNative, useBackend } from '../native/nativeBackend.testkit';
import { Model } from './model';
import { curveballStep, modelDerivativeErrors } from './modelChecks.testkit';
import { buildPresetSpec } from './presets';
import type { LayerSpec } from '../../shared/modelSpec';

const cifar = { inputShape: [32, 32, 3], outputSize: 10 };

type ResidualSpec = Extract<LayerSpec, { type: 'residual' }>;

describe('resnet18 preset', () => {
  it('lays out the CIFAR ResNet-18: stem, four stages of two basic blocks, projections entering stages 2–4', () => {
    const layers = buildPresetSpec('resnet18', { width: '4' }, cifar).layers;
    expect(layers.map((l) => l.type)).toEqual([
      'conv2d', 'batchNorm', 'relu',
      ...Array.from({ length: 8 }, () => ['residual', 'relu']).flat(),
      'globalAvgPool', 'dense',
    ]);
    const blocks = layers.filter((l): l is ResidualSpec => l.type === 'residual');
    expect(blocks.map((b) => b.layers.map((l) => l.type))).toEqual(Array(8).fill(['conv2d', 'batchNorm', 'relu', 'conv2d', 'batchNorm']));
    expect(blocks.map((b) => b.shortcut?.map((l) => l.type) ?? null)).toEqual([
      null, null, ['conv2d', 'batchNorm'], null, ['conv2d', 'batchNorm'], null, ['conv2d', 'batchNorm'], null,
    ]);
    // The first conv of each block (and its shortcut) has stride 2 exactly where a stage starts after the first.
    expect(blocks.map((b) => b.layers[0])).toEqual(
      [4, 4, 8, 8, 16, 16, 32, 32].map((filters, i) => ({
        type: 'conv2d', filters, kernelSize: 3, ...(i > 0 && i % 2 === 0 ? { strides: 2 } : {}), padding: 'same', useBias: false, kernelInit: 'heNormal',
      })),
    );
    expect(blocks[2].shortcut?.[0]).toEqual({ type: 'conv2d', filters: 8, kernelSize: 1, strides: 2, padding: 'same', useBias: false, kernelInit: 'heNormal' });

    const rows = Model.fromSpec({ inputShape: cifar.inputShape, layers }).describe().layers;
    expect(rows.filter((r) => r.type === 'residual').map((r) => r.outputShape)).toEqual([
      [32, 32, 4], [32, 32, 4], [16, 16, 8], [16, 16, 8], [8, 8, 16], [8, 8, 16], [4, 4, 32], [4, 4, 32],
    ]);
    expect(rows.filter((r) => r.shortcut).map((r) => r.type)).toEqual(Array(3).fill(['conv2d', 'batchNorm']).flat());
    expect(rows.at(-1)?.outputShape).toEqual([10]);
  });

  it('has the standard CIFAR ResNet-18 parameter count at full width: 11,173,962', () => {
    // Trainable parameters (batch-norm γ and β counted, running statistics not), 10 classes, no conv biases:
    // stem    3·3·3·64 = 1,728 + BN 128                                                         =     1,856
    // stage 1 two blocks of 2·(3·3·64·64 = 36,864) + 2 BN·128                                   =   147,968
    // stage 2 3·3·64·128 = 73,728 + 3·3·128·128 = 147,456 + 2·256 + 1×1 64·128 = 8,192 + 256    =   230,144
    //         + 2·147,456 + 2·256                                                               =   295,424
    // stage 3 3·3·128·256 = 294,912 + 589,824 + 2·512 + 128·256 = 32,768 + 512                  =   919,040
    //         + 2·589,824 + 2·512                                                               = 1,180,672
    // stage 4 3·3·256·512 = 1,179,648 + 2,359,296 + 2·1,024 + 256·512 = 131,072 + 1,024         = 3,673,088
    //         + 2·2,359,296 + 2·1,024                                                           = 4,720,640
    // dense   512·10 + 10                                                                       =     5,130
    // The figure reported for the ResNet18() of kuangliu/pytorch-cifar (its trainable parameters).
    const parts = [1_856, 147_968, 230_144, 295_424, 919_040, 1_180_672, 3_673_088, 4_720_640, 5_130];
    expect(parts.reduce((a, b) => a + b, 0)).toBe(11_173_962);
    const model = Model.fromSpec(buildPresetSpec('resnet18', {}, cifar));
    expect(model.describe().paramCount).toBe(11_173_962);
    // Not counted: each of the 1 + 4, 5, 5 and 5 batch norms of 64, 128, 256 and 512 channels keeps a running mean and variance.
    expect(model.state.reduce((n, s) => n + s.shape[0], 0)).toBe(2 * (5 * 64 + 5 * 128 + 5 * 256 + 5 * 512));
  });


  it('takes a CurveBall step on 32×32×3 at width 4: finite loss, weights moved, no tensor left behind', () => {
    const outcome = curveballStep(Model.fromSpec(buildPresetSpec('resnet18', { width: '4' }, cifar)), 4, 3);
    expect(Number.isFinite(outcome.loss)).toBe(true);
    expect(outcome.largestChange).toBeGreaterThan(0);
    expect(Number.isFinite(outcome.largestChange)).toBe(true);
    expect(outcome.leakedTensors).toBe(0);
  });

  it('needs image input and a positive integer width', () => {
    expect(() => buildPresetSpec('resnet18', { width: '0' }, cifar)).toThrow(ModelSpecError);
    expect(() => buildPresetSpec('resnet18', { width: '2.5' }, cifar)).toThrow('preset resnet18: width must be a positive integer, got "2.5"');
    expect(() => buildPresetSpec('resnet18', {}, { inputShape: [12], outputSize: 3 })).toThrow('preset resnet18 needs image input');
  });
});

/**
 * 16×16×3 keeps the blocks' ReLU kinks few enough (about 17,000 units in the batch) that a step of 1e-4
 * crosses almost none: the finite-difference error falls in proportion to the step, as kinks make it. On
 * cpu-blas the ReLUs inside each body leave their reverse-mode multiply to the conv after them.
 */
function derivativeSuite(backend: string): void {
  useBackend(backend);

  it('at width 4 on a small CIFAR-shaped batch: the JVP matches finite differences and the VJP is its adjoint', () => {
    const spec = buildPresetSpec('resnet18', { width: '4' }, { inputShape: [16, 16, 3], outputSize: 10 });
    const errors = modelDerivativeErrors({ name: 'resnet18', spec, batch: 2, eps: 1e-4 }, 7);
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-4);
  });
}

describe('resnet18 derivatives on cpu', () => derivativeSuite('cpu'));
describeNative('resnet18 derivatives on cpu-blas', () => derivativeSuite('cpu-blas'));
