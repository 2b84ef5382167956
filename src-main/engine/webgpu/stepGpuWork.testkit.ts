import { expect } from 'vitest';
import type { Dataset } from '../data/dataset';
import type { RunSpec } from '../../shared/runSpec';
import { tf } from '../tf';
import { train } from '../train/trainer';
import { gpuWorkBetween, gpuWorkCounts, type GpuWorkCounts } from './gpuCounters';

/** The GPU work of a whole run of `spec` cut to `steps` steps, on webgpu, from its call to its end. */
export async function runGpuWork(spec: RunSpec, dataset: Dataset, steps: number): Promise<GpuWorkCounts> {
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
  const before = gpuWorkCounts();
  const done = await train({ ...spec, steps }, dataset, { backend: { name: 'webgpu', reason: 'test' }, onEvent: () => {} });
  expect(done.status).toBe('completed');
  return gpuWorkBetween(before, gpuWorkCounts());
}

/**
 * The GPU work of each of the steps first..last of `spec` (keyed by step), each the difference between
 * two whole runs one step apart: they share everything else (set-up, the final evaluations), so this
 * holds however late the trainer reports a step. `dataset` must hold last + 1 batches (one epoch: no
 * validation between steps). A first run of the steps before `first` fills the backend's caches
 * (cachedDispatch.ts) with what the runs compared share, so that they differ by their steps' work alone,
 * a step's own new uniforms included.
 */
export async function gpuWorkOfSteps(spec: RunSpec, dataset: Dataset, first: number, last: number): Promise<Map<number, GpuWorkCounts>> {
  const perStep = new Map<number, GpuWorkCounts>();
  await runGpuWork(spec, dataset, first);
  let before = await runGpuWork(spec, dataset, first);
  for (let step = first; step <= last; step++) {
    const after = await runGpuWork(spec, dataset, step + 1);
    perStep.set(step, gpuWorkBetween(before, after));
    before = after;
  }
  return perStep;
}
