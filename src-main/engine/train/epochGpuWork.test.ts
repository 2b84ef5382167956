import { afterAll, expect, it } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { gpuWorkOfSteps } from '../webgpu/stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import type { RunSpec } from '../../shared/runSpec';
import { trainOn } from './trainingRuns.testkit';
import type { EpochEvent } from './trainEvents';

/**
 * The GPU work per step an epoch event reports on webgpu, against the same step's work measured
 * independently, as the difference between two whole runs one step apart (stepGpuWork.testkit).
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

const data = syntheticDataset([12], 3, 8 * 6);
const spec: RunSpec = { dataset: data.name, arch: 'mlp', archOptions: { widths: '8' }, optimizer: 'sgd', optimizerOptions: {}, epochs: 2, batchSize: 8, shuffle: false, init: 'default', seed: 2 };
const epochsOf = (events: { type: string }[]): EpochEvent[] => events.filter((e): e is EpochEvent => e.type === 'epoch');

it('on cpu an epoch event has no GPU work', async () => {
  const run = await trainOn('cpu', spec, data);
  expect(epochsOf(run.events).map((e) => e.gpuWorkPerStep)).toEqual([undefined, undefined]);
});

describeWithWebGpu('GPU work in the epoch events on webgpu', setup, () => {
  it("is the epoch's steps' work, step for step: a steady epoch's equals a steady step's measured apart", async () => {
    const run = await trainOn('webgpu', spec, data);
    const [first, second] = epochsOf(run.events).map((e) => e.gpuWorkPerStep!);
    const steady = (await gpuWorkOfSteps({ ...spec, epochs: undefined }, data, 3, 3)).get(3)!;
    expect(steady.dispatches).toBeGreaterThan(0);
    expect(second).toEqual(steady);
    // The first epoch also uploads what its first steps set up; its kernels are the same.
    expect(first.dispatches).toBe(steady.dispatches);
    expect(first.bytesUploaded).toBeGreaterThan(steady.bytesUploaded);
  });
});
