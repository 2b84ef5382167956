import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../train/buildModel';
import type { BenchmarkCase } from './benchmarkCase';
import { runTorchBench, torchCases, torchPythons, type TorchCase } from './torchBench';

/**
 * torchBench.py runs for real on the CPU (or CUDA where there is one) with 1 step per model. Needs a
 * python3 with torch (Debian's python3-torch); without one those tests are skipped with the reason,
 * unless CURVELAB_REQUIRE_TORCH=1 (CI) makes that a failure.
 */
const python = torchPythons.find((candidate) => spawnSync(candidate, ['-c', 'import torch']).status === 0);
const required = process.env['CURVELAB_REQUIRE_TORCH'] === '1';
if (!python && !required) console.warn('torchBench.test.ts: PyTorch runs skipped: no python3 here imports torch (apt-get install python3-torch)');

const dir = mkdtempSync(join(tmpdir(), 'curvelab-torch-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { archOptions: {}, optimizerOptions: {}, steps: 3, maxSeconds: 20, classes: 10 };

describe('torchCases', () => {
  it("takes the SGD cases' preset models, every option filled in with its default", () => {
    const cases: BenchmarkCase[] = [
      { ...base, arch: 'mlp', archOptions: { widths: '512,512' }, optimizer: 'sgd', batchSize: 128, inputShape: [28, 28, 1] },
      { ...base, arch: 'mlp', archOptions: { widths: '512,512' }, optimizer: 'curveball', batchSize: 128, inputShape: [28, 28, 1] },
      { ...base, arch: 'resnet18', optimizer: 'sgd', batchSize: 128, inputShape: [32, 32, 3] },
    ];
    expect(torchCases(cases)).toEqual({
      cases: [
        { arch: 'mlp', archOptions: { widths: '512,512', activation: 'relu' }, batchSize: 128, inputShape: [28, 28, 1], classes: 10, steps: 3 },
        { arch: 'resnet18', archOptions: { width: '64' }, batchSize: 128, inputShape: [32, 32, 3], classes: 10, steps: 3 },
      ],
      notes: [],
    });
  });

  it('says why there is nothing to time: no SGD case, or a JSON model spec', () => {
    const curveball: BenchmarkCase = { ...base, arch: 'small-cnn', optimizer: 'curveball', batchSize: 64, inputShape: [28, 28, 1] };
    expect(torchCases([curveball])).toEqual({ cases: [], notes: ['PyTorch: times SGD steps only: add sgd to the optimizers'] });
    const spec: BenchmarkCase = { ...base, arch: { inputShape: [4], layers: [{ type: 'dense', units: 2 }] }, optimizer: 'sgd', batchSize: 4, inputShape: [4], classes: 2 };
    expect(torchCases([spec])).toEqual({ cases: [], notes: ['PyTorch: no twin of a JSON model spec: only presets are timed'] });
  });
});

describe('runTorchBench without torch', () => {
  const mlp: TorchCase = { arch: 'mlp', archOptions: { widths: '8', activation: 'relu' }, batchSize: 2, inputShape: [4], classes: 2, steps: 1, maxSeconds: 1 };

  it('gives one note, not an error, when no Python is found', () => {
    const missing = join(dir, 'no-such-python3');
    expect(runTorchBench([mlp], { timeoutSeconds: 60, pythons: [missing] })).toEqual({
      times: [],
      notes: [`PyTorch not timed: no Python here imports torch (${missing}: not found)`],
    });
  });

  it('gives one note naming the import error when the Python has no torch', () => {
    // A torch package that cannot be imported, ahead of any installed one on PYTHONPATH.
    mkdirSync(join(dir, 'shadow', 'torch'), { recursive: true });
    writeFileSync(join(dir, 'shadow', 'torch', '__init__.py'), 'raise ImportError("no torch in this test")\n');
    const python3 = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', '']).status === 0);
    expect(python3, 'a python3').toBeDefined();
    const saved = process.env['PYTHONPATH'];
    process.env['PYTHONPATH'] = join(dir, 'shadow');
    try {
      const outcome = runTorchBench([mlp], { timeoutSeconds: 60, pythons: [python3!] });
      expect(outcome.times).toEqual([]);
      expect(outcome.notes).toHaveLength(1);
      expect(outcome.notes[0]).toMatch(new RegExp(`^PyTorch not timed: no Python here imports torch \\(${python3}: python3 [\\d.]+ cannot import torch \\(no torch in this test\\)\\)$`));
    } finally {
      if (saved === undefined) delete process.env['PYTHONPATH'];
      else process.env['PYTHONPATH'] = saved;
    }
  });
});

describe.skipIf(!python && !required)('torchBench.py with torch', () => {
  it('python3 with torch is installed', () => {
    expect(python, 'no python3 here imports torch (apt-get install python3-torch)').toBeDefined();
  });

  it("times one SGD step of each preset's PyTorch twin, which has as many parameters as CurveLab's preset", { timeout: 120_000 }, () => {
    const one = { classes: 10, steps: 1, maxSeconds: 0 };
    const cases: TorchCase[] = [
      { ...one, arch: 'mlp', archOptions: { widths: '512,512', activation: 'relu' }, batchSize: 4, inputShape: [28, 28, 1] },
      { ...one, arch: 'mlp', archOptions: { widths: '16', activation: 'tanh' }, batchSize: 4, inputShape: [12] },
      { ...one, arch: 'small-cnn', archOptions: {}, batchSize: 4, inputShape: [28, 28, 1] },
      { ...one, arch: 'basic-cnn-bn', archOptions: {}, batchSize: 4, inputShape: [32, 32, 3] },
      { ...one, arch: 'resnet18', archOptions: { width: '64' }, batchSize: 1, inputShape: [32, 32, 3] },
      { ...one, arch: 'vgg-f', archOptions: { width: '8', batchNorm: 'false', dropout: '0.5' }, batchSize: 2, inputShape: [32, 32, 3] },
    ];
    const outcome = runTorchBench(cases, { timeoutSeconds: 110, pythons: [python!] });
    expect(outcome.notes).toEqual(['PyTorch: no twin of vgg-f on input [32, 32, 3]']);
    expect(outcome.times).toHaveLength(5);
    outcome.times.forEach((t, i) => {
      const c = cases[i]!;
      expect({ arch: t.arch, batchSize: t.batchSize, inputShape: t.inputShape, timedSteps: t.timedSteps }).toEqual({ arch: c.arch, batchSize: c.batchSize, inputShape: c.inputShape, timedSteps: 1 });
      const curveLab = buildModel(c.arch, c.archOptions, { inputShape: c.inputShape, outputSize: c.classes }).describe().paramCount;
      expect(t.parameters, c.arch).toBe(curveLab);
      expect(t.msPerStep).toBeGreaterThan(0);
      expect(['cpu', 'cuda']).toContain(t.device);
      expect(t.deviceName).not.toBe('');
      expect(t.torch).toMatch(/^\d+\.\d+/);
    });
    // By hand: the MLP's weights and biases; the CIFAR ResNet-18's count as kuangliu/pytorch-cifar's prints it.
    expect(outcome.times[0]!.parameters).toBe(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
    expect(outcome.times[4]!.parameters).toBe(11_173_962);
  });
});
