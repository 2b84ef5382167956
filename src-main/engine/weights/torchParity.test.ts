import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { evalContext } from '../nn/model';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildModel, datasetIO } from '../train/buildModel';
import { train } from '../train/trainer';
import type { RunSpec } from '../../shared/runSpec';
import { weightsIntoModel, type ModelWeights } from './modelWeights';
import { encodeSafetensors } from './safetensors';
import { decodeWeightsFile, encodeWeightsFile } from './weightsFile';

/**
 * The acceptance test of the weights format: the exported weights of a trained basic-cnn-bn and an MLP,
 * loaded into the same architectures written in PyTorch (torchParity.py: load_state_dict, strict), give
 * CurveLab's outputs on 100 validation images to float32 precision. The images have three channels, so
 * the layouts that differ between NHWC and NCHW (conv kernels, the dense layer after a flatten) must all
 * be right; small ones, so that training on TF.js's plain CPU backend takes seconds. Needs a python3 with torch and numpy
 * (Debian's python3-torch); without one it is skipped with the reason, unless CURVELAB_REQUIRE_TORCH=1
 * (CI, where .ci/run installs it) makes that a failure.
 */
const script = fileURLToPath(new URL('./torchParity.py', import.meta.url));
const python = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', 'import torch, numpy']).status === 0);
const required = process.env['CURVELAB_REQUIRE_TORCH'] === '1';
if (!python && !required) console.warn('torchParity.test.ts: skipped: no python3 here imports torch and numpy (apt-get install python3-torch)');

const dir = mkdtempSync(join(tmpdir(), 'curvelab-torch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLES = 100;
const SHAPE = [12, 12, 3];

/** Ten classes of 12×12 RGB images: noise, each class brighter in its own row band of one channel. */
function images(): Dataset {
  const rng = new Rng(11);
  const [height, width, channels] = SHAPE as [number, number, number];
  const split = (n: number) => {
    const x = new Float32Array(n * height * width * channels);
    const y = Int32Array.from({ length: n }, (_, i) => i % 10);
    for (let i = 0; i < x.length; i++) {
      const example = Math.floor(i / (height * width * channels));
      const row = Math.floor((i / (width * channels)) % height);
      x[i] = rng.normal() + (row === y[example]! && i % channels === y[example]! % channels ? 2 : 0);
    }
    return { x, y, n };
  };
  return { name: 'bands', source: 'test', task: 'classification', inputShape: SHAPE, numClasses: 10, targetSize: 1, train: split(96), validation: split(EXAMPLES), augment: false };
}

function runSpec(arch: string, archOptions: Record<string, string>, optimizer: string): RunSpec {
  return { dataset: 'bands', arch, archOptions, optimizer, optimizerOptions: {}, steps: 6, batchSize: 16, shuffle: true, init: 'default', seed: 4 };
}

/** Trains the run, exports its final weights as the lab does, and writes CurveLab's outputs of them on 100 validation images. */
async function exportTrained(spec: RunSpec, name: string): Promise<{ weights: string; inputs: string }> {
  const dataset = images();
  let final: ModelWeights | null = null;
  const done = await train(spec, dataset, { onEvent: () => {}, backend: { name: 'cpu', reason: 'test' }, onFinalWeights: (read) => (final = read()) });
  expect(done.status).toBe('completed');
  const bytes = encodeWeightsFile(final!);
  const weights = join(dir, `${name}.safetensors`);
  writeFileSync(weights, bytes);

  const model = buildModel(spec.arch, spec.archOptions, datasetIO(dataset));
  const { params, state } = weightsIntoModel(model, decodeWeightsFile(bytes, weights), weights);
  const x = dataset.validation.x.subarray(0, EXAMPLES * dataset.inputShape.reduce((a, b) => a * b, 1));
  const y = model.forward(tf.tensor(x, [EXAMPLES, ...dataset.inputShape]), params, evalContext(state)).y;
  const inputs = join(dir, `${name}.inputs.safetensors`);
  writeFileSync(
    inputs,
    encodeSafetensors(
      [
        { name: 'x', shape: [EXAMPLES, ...dataset.inputShape], values: Float32Array.from(x) },
        { name: 'y', shape: y.shape, values: y.dataSync() as Float32Array },
      ],
      {},
    ),
  );
  return { weights, inputs };
}

function torchOutputs(files: { weights: string; inputs: string }, arch: string): { maxAbsDiff: number; scale: number; outputs: number[] } {
  const result = spawnSync(python!, [script, files.weights, files.inputs, arch], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`torchParity.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe.skipIf(!python && !required)('exported weights in PyTorch', () => {
  it('python3 with torch and numpy is installed', () => {
    expect(python, 'no python3 here imports torch and numpy (apt-get install python3-torch)').toBeDefined();
  });

  it.each([
    ['an MLP', 'mlp', { widths: '32,16' }, 'adam', 'mlp:32,16'],
    ['basic-cnn-bn', 'basic-cnn-bn', {}, 'curveball', 'basic-cnn-bn'],
  ])('%s: the same outputs on 100 validation images, to float32 precision', async (_what, arch, archOptions, optimizer, torchArch) => {
    const files = await exportTrained(runSpec(arch, archOptions, optimizer), arch);
    const { maxAbsDiff, scale, outputs } = torchOutputs(files, torchArch);
    expect(outputs).toEqual([EXAMPLES, 10]);
    expect(scale).toBeGreaterThan(0.1); // trained outputs, not a model that answers zeros
    expect(maxAbsDiff / Math.max(1, scale)).toBeLessThan(1e-4);
  });
});
