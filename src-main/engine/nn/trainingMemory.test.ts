import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { ModelSpecError } from '../errors';
import { jobMemoryBytes } from '../memoryLimits';
import { planRun } from '../train/runPlan';
import { defaultRunSpec, type RunSpec } from '../../shared/runSpec';
import { Model } from './model';
import { checkTrainingMemory, estimateTrainingMemory } from './trainingMemory';

const GiB = 2 ** 30;

/** [features] → dense(units) → … → dense(outputs), without activations between them. */
function denseStack(features: number, units: number[]): Model {
  return Model.fromSpec({ inputShape: [features], layers: units.map((u) => ({ type: 'dense' as const, units: u })) });
}

describe('estimateTrainingMemory', () => {
  it("counts 16 float32 copies of the parameters and 3 of every layer output per example in the batch", () => {
    const model = Model.fromSpec({ inputShape: [3], layers: [{ type: 'dense', units: 4 }, { type: 'relu' }, { type: 'dense', units: 2 }] });
    // Parameters: 3·4 + 4 + 4·2 + 2 = 26. Activations per example: the input 3, then 4, 4 and 2.
    expect(estimateTrainingMemory(model, 10)).toEqual({ parameters: 26, activationsPerExample: 13, bytes: 4 * (16 * 26 + 3 * 10 * 13) });
  });

  it('counts the layers inside residual blocks', () => {
    const model = Model.fromSpec({ inputShape: [5], layers: [{ type: 'residual', layers: [{ type: 'dense', units: 5 }, { type: 'relu' }] }] });
    // The input 5, the block's output 5, its dense and relu 5 each.
    expect(estimateTrainingMemory(model, 1).activationsPerExample).toBe(20);
  });
});

describe('checkTrainingMemory', () => {
  it('refuses a model of 157M parameters against an 8 GiB limit before any weight exists, naming arch', () => {
    const model = denseStack(12_500, [12_500, 10]); // 12,500² + 12,500 + 125,010 = 156,387,510 parameters
    expect(model.describe().paramCount).toBe(156_387_510);
    const error = (() => {
      try {
        checkTrainingMemory(model, { batchSize: 64, examples: 60_000 }, 'arch', 8 * GiB);
      } catch (e) {
        return e as ModelSpecError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(ModelSpecError);
    expect(error.field).toBe('arch');
    const bytes = 4 * (16 * 156_387_510 + 3 * 64 * 25_010);
    expect(error.message).toBe(
      `training this model would take about ${bytes.toLocaleString('en-US')} bytes (9.3 GiB) (156,387,510 parameters, 25,010 activations per example in batches of 64), ` +
        'more than the 8,589,934,592 bytes (8.0 GiB) a run may take on this machine: use a smaller model or smaller batches',
    );
    expect(() => checkTrainingMemory(model, { batchSize: 64, examples: 60_000 }, 'arch', 10 * GiB)).not.toThrow();
  });

  it('sizes a full batch, or one larger than the training set, by the training set', () => {
    const model = denseStack(1000, [10]); // 10,010 parameters, 1,010 activations per example
    const limit = 4 * (16 * 10_010 + 3 * 500 * 1010);
    expect(() => checkTrainingMemory(model, { batchSize: 'full', examples: 500 }, 'arch', limit)).not.toThrow();
    expect(() => checkTrainingMemory(model, { batchSize: 'full', examples: 501 }, 'arch', limit)).toThrow(/in batches of 501\)/);
    expect(() => checkTrainingMemory(model, { batchSize: 100_000, examples: 500 }, 'arch', limit)).not.toThrow();
    expect(() => checkTrainingMemory(model, { batchSize: 501, examples: undefined }, 'arch', limit)).toThrow(ModelSpecError);
    // A batch size with an issue of its own (a request still being written) counts one example.
    const one = 4 * (16 * 10_010 + 3 * 1010);
    expect(() => checkTrainingMemory(model, { batchSize: 'half' as never, examples: 500 }, 'arch', one)).not.toThrow();
    expect(() => checkTrainingMemory(model, { batchSize: 'half' as never, examples: 500 }, 'arch', one - 1)).toThrow(/in batches of 1\)/);
  });

  it('is part of planning a run: a model no machine here could train is refused before its weights are drawn', () => {
    // 100,000 × 100,000 weights: 40 GB of parameters alone, and 16 times that to train.
    expect(estimateTrainingMemory(denseStack(4, [100_000, 100_000, 2]), 1).bytes).toBeGreaterThan(jobMemoryBytes());
    const dataset: Dataset = {
      name: 'tiny', source: 'tiny', task: 'classification', inputShape: [4], numClasses: 2, targetSize: 1, augment: false,
      train: { x: new Float32Array(8), y: new Int32Array(2), n: 2 },
      validation: { x: new Float32Array(4), y: new Int32Array(1), n: 1 },
    };
    const spec: RunSpec = { ...defaultRunSpec, dataset: 'tiny', optimizer: 'sgd', arch: { layers: [100_000, 100_000, 2].map((units) => ({ type: 'dense' as const, units })) } as RunSpec['arch'] };
    expect(() => planRun(spec, dataset)).toThrow(expect.objectContaining({ field: 'arch', message: expect.stringMatching(/^training this model would take about .* \(10,000,800,002 parameters/) }));
  });
});
