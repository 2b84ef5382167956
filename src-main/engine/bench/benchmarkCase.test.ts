import { afterAll, describe, expect, it } from 'vitest';
import { Model } from '../nn/model';
import { buildPresetSpec } from '../nn/presets';
import type { RunSpec } from '../../shared/runSpec';
import { tf } from '../tf';
import { gpuWorkBetween, type GpuWorkCounts } from '../webgpu/gpuCounters';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { runGpuWork } from '../webgpu/stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import { runBenchmarkCase } from './benchmarkCase';
import { syntheticDataset } from './syntheticDataset';

const webgpu = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

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
    // GPU work is counted on webgpu only.
    expect(sgd.gpuWorkPerStep).toBeNull();

    // CurveBall: per step 1 forward, 1 backward, 2 forward-mode passes, plus a re-evaluation every 5th
    // step. Timed steps 2..7 span 5 step-to-step differences with one re-evaluation (step 5).
    const cb = await runBenchmarkCase({ ...base, optimizer: 'curveball' }, backend);
    expect(cb.flopsPerStep).toBeCloseTo(perExample * 4 * (1 + 1 / 5 + 2 + 4), 6);
  });
});

describeWithWebGpu('runBenchmarkCase on webgpu', webgpu, () => {
  it("reports the timed steps' GPU work, as whole runs that differ by those steps count it", async () => {
    const c = { arch: 'mlp', archOptions: { widths: '32' }, batchSize: 16, inputShape: [64], classes: 4, steps: 4, maxSeconds: 30, optimizer: 'sgd', optimizerOptions: {} };
    await tf.setBackend('webgpu');
    try {
      const result = await runBenchmarkCase(c, { name: 'webgpu', reason: 'test' });
      expect(result.timedSteps).toBe(4);
      // The same run whole, 9 steps against the 5 warm-up steps (2, and the 3 the trainer reads metrics
      // behind on webgpu): its final evaluations cancel out.
      const data = syntheticDataset([64], 4, 16 * 9);
      const spec: RunSpec = { dataset: data.name, arch: 'mlp', archOptions: c.archOptions, optimizer: 'sgd', optimizerOptions: {}, batchSize: 16, shuffle: false, init: 'default', seed: 0 };
      const timedWork = gpuWorkBetween(await runGpuWork(spec, data, 5), await runGpuWork(spec, data, 9));
      expect(timedWork.dispatches).toBeGreaterThan(0);
      const perStep = result.gpuWorkPerStep!;
      for (const key of Object.keys(timedWork) as (keyof GpuWorkCounts)[]) expect(perStep[key] * 4, key).toBe(timedWork[key]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
