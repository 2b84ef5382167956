import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, expect, it } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import { tf } from '../tf';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import type { RunSpec } from '../../shared/runSpec';
import { trainOn } from './trainingRuns.testkit';

/**
 * On webgpu a run compiles its steps' programs before the first step (RunState.compileFirstSteps), all
 * with createComputePipelineAsync: the first step then compiles nothing in place. Watched at the device's own
 * calls, from an empty pipeline cache; the first step's work reaches the queue at the first submit, so a
 * program created in place after the compilation began and before that submit is one the first step
 * had to wait for.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

const data = syntheticDataset([8, 8, 1], 3, 8 * 4);

describeWithWebGpu('the step programs of a run on webgpu', setup, () => {
  for (const optimizer of ['sgd', 'curveball']) {
    it(`are compiled ahead of the first step, small-cnn with ${optimizer}`, async () => {
      await tf.setBackend('webgpu');
      const backend = tf.backend() as WebGPUBackend;
      // TF.js 4.22 keeps its compiled pipelines in this private map: emptied, every program compiles anew.
      (backend as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache = {};
      const device = backend.device;
      const calls: string[] = [];
      const restore = [
        spy(device, 'createComputePipeline', () => calls.push('in place')),
        spy(device, 'createComputePipelineAsync', () => calls.push('ahead')),
        spy(device.queue, 'submit', () => calls.push('submit')),
      ];
      try {
        const spec: RunSpec = { dataset: data.name, arch: 'small-cnn', archOptions: {}, optimizer, optimizerOptions: {}, steps: 2, batchSize: 8, shuffle: false, init: 'default', seed: 3 };
        await trainOn('webgpu', spec, data);
      } finally {
        for (const undo of restore) undo();
      }
      // Setting up (weights, optimizer state) runs its few programs first, in place; then the step's.
      const firstAhead = calls.indexOf('ahead');
      const firstSubmit = calls.indexOf('submit');
      expect(firstAhead).toBeGreaterThanOrEqual(0);
      expect(firstSubmit).toBeGreaterThan(firstAhead);
      const stepCalls = calls.slice(firstAhead, firstSubmit);
      expect(stepCalls.filter((c) => c === 'in place')).toEqual([]);
      // A forward pass, its gradient and an update: many programs, all made ahead.
      expect(stepCalls.filter((c) => c === 'ahead').length).toBeGreaterThan(10);
    });
  }
});

/** Calls `record` before each call of object[method]; returns the undo. */
function spy<T extends object, K extends keyof T>(object: T, method: K, record: () => void): () => void {
  const original = object[method] as unknown as (...args: unknown[]) => unknown;
  object[method] = function (this: unknown, ...args: unknown[]) {
    record();
    return original.apply(this, args);
  } as T[K];
  return () => {
    object[method] = original as T[K];
  };
}
