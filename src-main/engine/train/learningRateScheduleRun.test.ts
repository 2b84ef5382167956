import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import type { RunSpec } from '../../shared/runSpec';
import { train } from './trainer';
import type { StepEvent } from './trainEvents';

/** Ten training rows: batches of 4 make three steps an epoch (4, 4, 2). */
function tenRows(): Dataset {
  const split = (n: number) => ({
    x: Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i)),
    y: Int32Array.from({ length: n }, (_, i) => i % 2),
    n,
  });
  return { name: 'ten', source: 'test', task: 'classification', inputShape: [2], numClasses: 2, targetSize: 1, train: split(10), validation: split(4), augment: false };
}

async function learningRates(optimizerOptions: RunSpec['optimizerOptions'], budget: { epochs: number } | { steps: number }): Promise<number[]> {
  const spec: RunSpec = { dataset: 'ten', arch: 'linear', archOptions: {}, optimizer: 'sgd', optimizerOptions, batchSize: 4, shuffle: false, init: 'zeros', seed: 0, ...budget };
  const steps: StepEvent[] = [];
  await train(spec, tenRows(), { onEvent: (e) => (e.type === 'step' ? steps.push(e) : undefined), backend: { name: 'cpu', reason: 'test' } });
  return steps.map((s) => s.trace.lr);
}

describe('a learning-rate schedule in a run', () => {
  it('steps at the epochs of the run (three steps each here)', async () => {
    const rates = await learningRates({ lr: 0.1, lrSchedule: 'step', lrStepEpochs: 1, lrStepFactor: 0.5 }, { epochs: 4 });
    const expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125];
    expect(rates).toHaveLength(12);
    rates.forEach((lr, t) => expect(lr, `step ${t}`).toBeCloseTo(expected[t], 15));
  });

  it('anneals over the steps the run takes, whether given in epochs or steps', async () => {
    for (const budget of [{ epochs: 3 }, { steps: 9 }]) {
      const rates = await learningRates({ lr: 0.2, lrSchedule: 'cosine' }, budget);
      expect(rates).toHaveLength(9);
      rates.forEach((lr, t) => expect(lr, `step ${t}`).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * t) / 9)), 12));
    }
  });
});
