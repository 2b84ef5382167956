import { describe, expect, it } from 'vitest';
import { Model } from '../nn/model';
import { buildPresetSpec } from '../nn/presets';
import { runBenchmarkCase } from './benchmarkCase';

describe('runBenchmarkCase', () => {
  it('counts FLOPs per step by hand for an MLP: forward once, backward twice, forward-mode twice', async () => {
    const spec = buildPresetSpec('mlp', { widths: '16,8' }, { inputShape: [6], outputSize: 3 });
    // Multiply-adds ×2 of the three dense layers.
    const perExample = 2 * (6 * 16 + 16 * 8 + 8 * 3);
    expect(Model.fromSpec(spec).flopsPerExample()).toBe(perExample);

    const base = { arch: 'mlp', archOptions: { widths: '16,8' }, batchSize: 4, inputShape: [6], classes: 3, steps: 6, maxSeconds: 30, optimizerOptions: {} };
    const backend = { name: 'cpu', reason: 'test' };
    const sgd = await runBenchmarkCase({ ...base, optimizer: 'sgd' }, backend);
    expect(sgd.timedSteps).toBe(6);
    expect(sgd.flopsPerStep).toBe(perExample * 4 * 3);
    expect(sgd.msPerStep).toBeGreaterThan(0);
    expect(sgd.gflops).toBeCloseTo(sgd.flopsPerStep / (sgd.msPerStep / 1000) / 1e9, 6);

    // CurveBall: per step 1 forward, 1 backward, 2 forward-mode passes, plus a re-evaluation every 5th
    // step. Timed steps 2..7 span 5 step-to-step differences with one re-evaluation (step 5).
    const cb = await runBenchmarkCase({ ...base, optimizer: 'curveball' }, backend);
    expect(cb.flopsPerStep).toBeCloseTo(perExample * 4 * (1 + 1 / 5 + 2 + 4), 6);
  });
});
