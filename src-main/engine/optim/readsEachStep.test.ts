import { afterAll, expect, it } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { gpuWorkOfSteps } from '../webgpu/stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import type { RunSpec } from '../../shared/runSpec';
import { optimizerDescriptors, readsEachStep } from './registry';

/**
 * An optimizer that does not declare readsEachStep trains in a page (the desktop app's GPU path), which
 * cannot wait for its GPU: on webgpu none of its steps may read back and wait. Counted at the device
 * (gpuCounters), for steps 5 and 6 (CurveBall adapts λ on step 5), on every optimizer CurveLab offers.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

describeWithWebGpu('optimizers that may train in a page', setup, () => {
  it('are all but hessian-free, whose CG reads its step sizes every iteration', () => {
    expect(optimizerDescriptors().filter((d) => readsEachStep(d.name)).map((d) => d.name)).toEqual(['hessian-free']);
  });

  for (const { name } of optimizerDescriptors().filter((d) => !readsEachStep(d.name))) {
    it(`${name}: no blocking read in a step on webgpu`, async () => {
      const data = syntheticDataset([12], 3, 8 * 8);
      const spec: RunSpec = { dataset: data.name, arch: 'mlp', archOptions: { widths: '8' }, optimizer: name, optimizerOptions: {}, batchSize: 8, shuffle: false, init: 'default', seed: 2 };
      const perStep = await gpuWorkOfSteps(spec, data, 5, 6);
      expect([perStep.get(5)!.blockingReadbacks, perStep.get(6)!.blockingReadbacks]).toEqual([0, 0]);
    });
  }

  it('hessian-free does read and wait (so it is rightly kept out of pages)', async () => {
    const data = syntheticDataset([12], 3, 8 * 8);
    const spec: RunSpec = { dataset: data.name, arch: 'mlp', archOptions: { widths: '8' }, optimizer: 'hessian-free', optimizerOptions: {}, batchSize: 8, shuffle: false, init: 'default', seed: 2 };
    expect((await gpuWorkOfSteps(spec, data, 5, 5)).get(5)!.blockingReadbacks).toBeGreaterThan(0);
  });
});
