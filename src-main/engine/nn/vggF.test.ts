import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { Model } from './model';
import { curveballStep, modelDerivativeErrors } from './modelChecks.testkit';
import { buildPresetSpec } from './presets';

const imagenet = { inputShape: [224, 224, 3], outputSize: 1000 };
const cifar = { inputShape: [32, 32, 3], outputSize: 10 };

function rowsOf(options: Record<string, string>, io: { inputShape: number[]; outputSize: number }) {
  return Model.fromSpec(buildPresetSpec('vgg-f', options, io)).describe().layers;
}

/** The side of a 3×3 stride-2 max-pool's output as Caffe computes it (ceil mode), VGG-F's own pooling. */
function caffePool(side: number): number {
  return side >= 3 ? Math.ceil((side - 3) / 2) + 1 : 1;
}

describe('vgg-f preset', () => {
  it("lays out Chatfield et al.'s CNN-F on 224×224: maps of 54, 27, 13 and 6 pixels", () => {
    const rows = rowsOf({}, imagenet);
    expect(rows.map((r) => `${r.type} ${r.outputShape.join('×')}`)).toEqual([
      'conv2d 54×54×64', 'relu 54×54×64', 'lrn 54×54×64', 'maxPool 27×27×64',
      'conv2d 27×27×256', 'relu 27×27×256', 'lrn 27×27×256', 'maxPool 13×13×256',
      'conv2d 13×13×256', 'relu 13×13×256', 'conv2d 13×13×256', 'relu 13×13×256', 'conv2d 13×13×256', 'relu 13×13×256',
      'maxPool 6×6×256', 'flatten 9216',
      'dense 4096', 'relu 4096', 'dropout 4096', 'dense 4096', 'relu 4096', 'dropout 4096', 'dense 1000',
    ]);
    const layers = buildPresetSpec('vgg-f', {}, imagenet).layers;
    expect(layers[0]).toEqual({ type: 'conv2d', filters: 64, kernelSize: 11, strides: 4, padding: 'valid' });
    expect(layers[2]).toEqual({ type: 'lrn' });
    expect(layers[18]).toEqual({ type: 'dropout', rate: 0.5 });
  });

  it('has the standard VGG-F parameter count at full width on 224×224×3 with 1000 classes: 60,834,536', () => {
    // conv1 11·11·3·64 + 64 = 23,296; conv2 5·5·64·256 + 256 = 409,856; conv3–5 3·3·256·256 + 256 = 590,080 each;
    // full6 (6·6·256 = 9,216)·4,096 + 4,096 = 37,752,832; full7 4,096·4,096 + 4,096 = 16,781,312;
    // full8 4,096·1,000 + 1,000 = 4,097,000 — the CNN-F of Chatfield et al. 2014, Table 1.
    const parts = [23_296, 409_856, 3 * 590_080, 37_752_832, 16_781_312, 4_097_000];
    expect(parts.reduce((a, b) => a + b, 0)).toBe(60_834_536);
    const rows = rowsOf({}, imagenet);
    expect(rows.filter((r) => r.paramCount > 0).map((r) => r.paramCount)).toEqual([23_296, 409_856, 590_080, 590_080, 590_080, 37_752_832, 16_781_312, 4_097_000]);
    expect(Model.fromSpec(buildPresetSpec('vgg-f', {}, imagenet)).describe().paramCount).toBe(60_834_536);
  });

  it("shrinks only the first conv's stride on small images and pools as Caffe rounds, so no map falls below 1×1", () => {
    for (const side of [1, 2, 3, 5, 8, 28, 32, 63, 64, 96, 127, 128, 200, 224, 227]) {
      // The rule, written out: stride 4 with 'valid' padding from 128 px, 2 from 64 px, 1 below ('same').
      const afterConv1 = side >= 128 ? Math.floor((side - 11) / 4) + 1 : side >= 64 ? Math.ceil(side / 2) : side;
      const pool1 = caffePool(afterConv1);
      const pool2 = caffePool(pool1);
      const expected = [afterConv1, pool1, pool2, caffePool(pool2)];
      const rows = rowsOf({ width: '2' }, { inputShape: [side, side, 3], outputSize: 4 });
      const sides = [rows[0], ...rows.filter((r) => r.type === 'maxPool')].map((r) => r.outputShape[0]);
      expect(sides, `${side}×${side}`).toEqual(expected);
    }
    expect(rowsOf({}, cifar).find((r) => r.type === 'flatten')?.outputShape).toEqual([4 * 4 * 256]);
    expect(rowsOf({}, { inputShape: [28, 28, 1], outputSize: 10 }).find((r) => r.type === 'flatten')?.outputShape).toEqual([3 * 3 * 256]);
  });

  it('scales every width with the width option, puts batch norm before each hidden ReLU, and drops dropout at rate 0', () => {
    const layers = buildPresetSpec('vgg-f', { width: '4', batchNorm: 'true', dropout: '0' }, cifar).layers;
    expect(layers.map((l) => l.type)).toEqual([
      'conv2d', 'batchNorm', 'relu', 'lrn', 'maxPool',
      'conv2d', 'batchNorm', 'relu', 'lrn', 'maxPool',
      'conv2d', 'batchNorm', 'relu', 'conv2d', 'batchNorm', 'relu', 'conv2d', 'batchNorm', 'relu', 'maxPool',
      'flatten', 'dense', 'batchNorm', 'relu', 'dense', 'batchNorm', 'relu', 'dense',
    ]);
    const widths = layers.flatMap((l) => (l.type === 'conv2d' ? [l.filters] : l.type === 'dense' ? [l.units] : []));
    expect(widths).toEqual([4, 16, 16, 16, 16, 256, 256, 10]);
  });

  for (const batchNorm of ['false', 'true']) {
    it(`at width 4 on a CIFAR-shaped batch (batchNorm ${batchNorm}, dropout on): the JVP matches finite differences, the VJP is its adjoint`, () => {
      const spec = buildPresetSpec('vgg-f', { width: '4', batchNorm }, cifar);
      // Batch norm of a dense layer over 2 examples is ±d/sqrt(d² + ε) (d half their difference), far
      // too curved near d = 0 for finite differences: its case takes 4 examples.
      const errors = modelDerivativeErrors({ name: 'vgg-f', spec, batch: batchNorm === 'true' ? 4 : 2, eps: 1e-4 }, 7);
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-4);
    });

    it(`takes a CurveBall step on 32×32×3 at width 4 (batchNorm ${batchNorm}): finite loss, weights moved, no tensor left behind`, () => {
      const outcome = curveballStep(Model.fromSpec(buildPresetSpec('vgg-f', { width: '4', batchNorm }, cifar)), 4, 3);
      expect(Number.isFinite(outcome.loss)).toBe(true);
      expect(outcome.largestChange).toBeGreaterThan(0);
      expect(Number.isFinite(outcome.largestChange)).toBe(true);
      expect(outcome.leakedTensors).toBe(0);
    });
  }

  it('rejects bad option values, naming the option', () => {
    const fails = (options: Record<string, string>, message: string) => {
      expect(() => buildPresetSpec('vgg-f', options, cifar)).toThrow(ModelSpecError);
      expect(() => buildPresetSpec('vgg-f', options, cifar)).toThrow(message);
    };
    fails({ width: '-1' }, 'preset vgg-f: width must be a positive integer, got "-1"');
    fails({ batchNorm: 'yes' }, 'preset vgg-f: batchNorm must be true or false, got "yes"');
    fails({ dropout: '1' }, 'preset vgg-f: dropout must be a number in [0, 1), got "1"');
    expect(() => buildPresetSpec('vgg-f', {}, { inputShape: [784], outputSize: 10 })).toThrow('preset vgg-f needs image input');
  });
});
