import { afterAll, expect, it } from 'vitest';
import { syntheticDataset } from '../../bench/syntheticDataset';
import type { RunSpec } from '../../../shared/runSpec';
import { disposeWebGpu } from '../loadWebGpuBackend';
import { gpuWorkOfSteps } from '../stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpuTestSetup.testkit';

/**
 * GPU work of a steady training step on webgpu (one that does not adapt CurveBall's λ), for the layers
 * of the benchmark's MLP (two hidden dense layers) and small-cnn, at small sizes: no blocking read, one
 * submit, and at most the dispatches measured with CurveLab's WGSL kernels (registerWebGpuKernels.ts) on lavapipe
 * (whose adapter binds 16 storage buffers per shader stage; the inner products take more dispatches where
 * an adapter binds fewer).
 * The bounds catch a fall back to the unfused TF.js ops; the counts without the kernels are named
 * beside them.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

const STEP = 6;
const BATCH = 16;

interface Case {
  name: string;
  spec: Pick<RunSpec, 'arch' | 'archOptions' | 'optimizer'>;
  inputShape: number[];
  maxDispatches: number;
}

const mlp = { arch: 'mlp', archOptions: { widths: '32,32' } };
const smallCnn = { arch: 'small-cnn', archOptions: {} };

const cases: Case[] = [
  // Without the kernels: 56; then 22 before the kernel cotangent xᵀ·dy read its transpose in place and
  // the bias cotangents became one column sum each (CurvelabSumOverLeadingAxes), 19 before softmax
  // cross-entropy wrote its loss, accuracy and gradient in one dispatch (multiOutputProgram.ts).
  { name: 'MLP 16-32-32-4, SGD', spec: { ...mlp, optimizer: 'sgd' }, inputShape: [16], maxDispatches: 18 },
  // Without the kernels: 290; then 119 before CurvelabAxpbyScalars (z and dz mixed with β, ρ and λ on
  // the device), 95 before single-part inner products went unsummed, 90 before CurvelabFiniteOrZero,
  // 84 before the cotangents above, 81 before the device bound the adapter's 16 storage buffers per
  // dispatch rather than 8 (fewer inner-product dispatches), 78 before CurvelabCurveballStepSizes (the
  // plane model and its solve from the inner products' parts) and the running means as one axpby each,
  // 53 before the trace's scalars joined the metrics in one concat (not a stack and a concat), 52 before
  // β and ρ came out of one dispatch (multiOutputProgram.ts) rather than one each, 51 before z' and w + z'
  // came out of one dispatch per tensor (CurvelabHeavyBallStep) rather than −β, z' and w + z' apart, 44
  // before softmax cross-entropy's one dispatch.
  { name: 'MLP 16-32-32-4, CurveBall', spec: { ...mlp, optimizer: 'curveball' }, inputShape: [16], maxDispatches: 43 },
  // Without the kernels: 116; then 58 before CurvelabAxpbySquare and CurvelabDivideByRoot (v and the
  // direction: square, sqrt, add and divide per tensor), 40 before the cotangents, 37 before softmax
  // cross-entropy's one dispatch.
  { name: 'MLP 16-32-32-4, Adam', spec: { ...mlp, optimizer: 'adam' }, inputShape: [16], maxDispatches: 36 },
  // Without the kernels: 64; then 32 before the cotangents, 29 before max pooling's gradient went from
  // the forward pass's argmax (CurvelabMaxPoolGradAtArgmax), not from finding each maximum again, 27
  // before softmax cross-entropy's one dispatch.
  { name: 'small-cnn on 8×8×1, SGD', spec: { ...smallCnn, optimizer: 'sgd' }, inputShape: [8, 8, 1], maxDispatches: 26 },
  // Without the kernels: 302; then 137, 113, 108, 102, 99, 96, 71, 70, 68, 67 and 60 at the same points.
  { name: 'small-cnn on 8×8×1, CurveBall', spec: { ...smallCnn, optimizer: 'curveball' }, inputShape: [8, 8, 1], maxDispatches: 59 },
];

describeWithWebGpu('dispatches of a steady training step with the WGSL kernels', setup, () => {
  for (const c of cases) {
    it(`${c.name}, batch ${BATCH}: at most ${c.maxDispatches} dispatches in one submit, no blocking read`, async () => {
      const data = syntheticDataset(c.inputShape, 4, BATCH * (STEP + 2));
      const spec: RunSpec = { ...c.spec, dataset: data.name, optimizerOptions: {}, batchSize: BATCH, shuffle: false, init: 'default', seed: 1 };
      const work = (await gpuWorkOfSteps(spec, data, STEP, STEP)).get(STEP)!;
      console.log(`webgpu ${c.name}, step ${STEP}: ${JSON.stringify(work)}`);
      expect(work.blockingReadbacks).toBe(0);
      expect(work.dispatches).toBeLessThanOrEqual(c.maxDispatches);
      // Under DISPATCHES_PER_SUBMIT: the step and its metrics' read go to the GPU together.
      expect(work.submits).toBe(1);
    });
  }
});
