import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalContext, Model } from '../nn/model';
import { buildPresetSpec } from '../nn/presets';
import { tf } from '../tf';
import type { ModelSpec } from '../../shared/modelSpec';
import { checkWeightsFit, modelWeights, weightsIntoModel } from './modelWeights';
import { encodeSafetensors } from './safetensors';
import { decodeWeightsFile, encodeWeightsFile, readWeightsFile, readWeightsHeader, weightsMetadataKeys } from './weightsFile';

const dir = mkdtempSync(join(tmpdir(), 'curvelab-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const residualSpec: ModelSpec = {
  inputShape: [6, 6, 2],
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'residual', layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'batchNorm' }], shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1 }] },
    { type: 'maxPool', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 4 },
    { type: 'batchNorm' },
    { type: 'tanh' },
    { type: 'dense', units: 2 },
  ],
};

/** A model with random weights and running statistics away from their starting values. */
function trainedLooking(spec: ModelSpec, seed: number) {
  const model = Model.fromSpec(spec);
  const params = model.initParams(seed, 'default');
  const state = Object.fromEntries(model.state.map((s, i) => [s.name, tf.randomUniform(s.shape, 0.5, 2, 'float32', seed + i)]));
  return { model, params, state };
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('weights files', () => {
  it('bring a model back exactly: every parameter, every running statistic, the same outputs', async () => {
    const { model, params, state } = trainedLooking(residualSpec, 1);
    const path = write('model.safetensors', encodeWeightsFile(modelWeights(model, params, state), { note: 'kept' }));
    const file = await readWeightsFile(path);
    expect(file.modelSpec).toEqual(model.spec);
    expect(file.metadata).toMatchObject({ note: 'kept', format: 'pt', [weightsMetadataKeys.version]: '1' });
    const loaded = weightsIntoModel(Model.fromSpec(file.modelSpec!), file, path);
    for (const p of model.params) expect([...loaded.params[p.name]!.dataSync()]).toEqual([...params[p.name]!.dataSync()]);
    for (const s of model.state) expect([...loaded.state[s.name]!.dataSync()]).toEqual([...state[s.name]!.dataSync()]);
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 5);
    expect([...model.forward(x, loaded.params, evalContext(loaded.state)).y.dataSync()]).toEqual([...model.forward(x, params, evalContext(state)).y.dataSync()]);
  });

  it("take PyTorch's num_batches_tracked of a batch norm, and a plain safetensors file without CurveLab's metadata", () => {
    const { model, params, state } = trainedLooking(residualSpec, 2);
    const tensors = modelWeights(model, params, state).tensors;
    const withCount = [...tensors, { name: 'layers.1.num_batches_tracked', shape: [], values: new Float32Array([0]) }];
    const plain = decodeWeightsFile(encodeSafetensors(withCount, { format: 'pt' }), 'from-torch.safetensors');
    expect(plain.modelSpec).toBeNull();
    expect(() => weightsIntoModel(model, plain, plain.file)).not.toThrow();
  });

  describe('are refused, naming the file, when', () => {
    const { model, params, state } = trainedLooking(residualSpec, 3);
    const weights = modelWeights(model, params, state);
    const good = encodeWeightsFile(weights);

    it('they are truncated (read whole, or their header alone)', async () => {
      const path = write('cut.safetensors', good.subarray(0, good.length - 10));
      await expect(readWeightsFile(path)).rejects.toThrow(`${path}: the file is truncated`);
      expect(() => readWeightsHeader(path)).toThrow(`${path}: the file is truncated`);
      const stub = write('stub.safetensors', good.subarray(0, 5));
      expect(() => readWeightsHeader(stub)).toThrow(`${stub}: the file is truncated: 5 bytes`);
      await expect(readWeightsFile(join(dir, 'none.safetensors'))).rejects.toThrow(/none\.safetensors: cannot read the file/);
    });

    it("they are another model's (missing and extra tensors)", () => {
      const mlp = Model.fromSpec(buildPresetSpec('mlp', { widths: '8' }, { inputShape: [6, 6, 2], outputSize: 2 }));
      const decoded = decodeWeightsFile(good, 'other.safetensors');
      expect(() => weightsIntoModel(mlp, decoded, decoded.file)).toThrow(/^other\.safetensors: these are another model's weights: the file lacks "layers\.3\.weight", "layers\.3\.bias" and has "layers\.0\.weight", .*, which this model does not/);
    });

    it('a tensor is missing or one is more', () => {
      const fewer = decodeWeightsFile(encodeSafetensors(weights.tensors.slice(0, -1), {}), 'fewer.safetensors');
      expect(() => checkWeightsFit(model, fewer.tensors, fewer.file)).toThrow(/fewer\.safetensors: .* lacks "layers\.9\.bias" \(this model has 22 tensors/);
      const extra = [...weights.tensors, { name: 'head.weight', shape: [1], values: new Float32Array(1) }];
      expect(() => checkWeightsFit(model, decodeWeightsFile(encodeSafetensors(extra, {}), 'x').tensors, 'more.safetensors')).toThrow(/more\.safetensors: .* has "head\.weight", which this model does not/);
    });

    it('a shape differs', () => {
      const wider = Model.fromSpec({ ...residualSpec, layers: residualSpec.layers.map((l, i) => (i === 6 ? { type: 'dense' as const, units: 5 } : l)) });
      const decoded = decodeWeightsFile(good, 'narrow.safetensors');
      expect(() => weightsIntoModel(wider, decoded, decoded.file)).toThrow(/narrow\.safetensors: tensor "layers\.6\.weight" has shape \[4, 27\], but this model's is \[5, 27\]/);
    });

    it('a newer CurveLab wrote them', () => {
      const newer = encodeSafetensors(weights.tensors, { [weightsMetadataKeys.version]: '2' });
      expect(() => decodeWeightsFile(newer, 'new.safetensors')).toThrow(/new\.safetensors: written in weights format 2 by a newer CurveLab; this one reads format 1/);
      expect(() => readWeightsHeader(write('new.safetensors', newer))).toThrow(/written in weights format 2/);
    });

    it('their tensors are not float32', () => {
      const asDouble = new Uint8Array(good);
      const text = new TextDecoder().decode(asDouble);
      const at = text.indexOf('"F32"');
      asDouble.set(new TextEncoder().encode('"I32"'), at);
      const decoded = decodeWeightsFile(asDouble, 'ints.safetensors');
      expect(() => weightsIntoModel(model, decoded, decoded.file)).toThrow(/ints\.safetensors: tensor ".*" is I32; CurveLab reads F32/);
    });
  });
});
