import { expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { Rng } from '../rng';
import { tf } from '../tf';
import { train } from '../train/trainer';
import type { RunSpec } from '../../shared/runSpec';
import { describeNative } from './nativeBackend.testkit';

/** A classification dataset of random images: enough for a few steps, identical on every backend. */
function randomImages(inputShape: number[], n: number): Dataset {
  const rng = new Rng(11);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: n * size }, () => rng.normal());
  const y = Int32Array.from({ length: n }, () => rng.int(10));
  return {
    name: 'random', source: 'memory', task: 'classification', inputShape, numClasses: 10, targetSize: 1,
    train: { x, y, n }, validation: { x: x.slice(0, 4 * size), y: y.slice(0, 4), n: 4 }, augment: false,
  };
}

async function stepLosses(backend: string, spec: RunSpec, dataset: Dataset): Promise<number[]> {
  await tf.setBackend(backend);
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  await train(spec, dataset, {
    backend: { name: backend, reason: 'test' },
    onEvent: (e) => {
      if (e.type === 'step') losses.push(e.loss);
    },
  });
  expect(tf.memory().numTensors, `tensors left over on ${backend}`).toBe(before);
  return losses;
}

// Whole training steps (forward, gradient, JVPs, CurveBall's solve and λ re-evaluation) on cpu-blas
// against plain cpu: the losses stay together to float32 rounding over several dependent steps.
describeNative('training on cpu-blas', () => {
  const runs: Array<[string, Partial<RunSpec>, number[]]> = [
    ['small-cnn', { arch: 'small-cnn', batchSize: 8 }, [16, 16, 1]],
    ['mlp', { arch: 'mlp', archOptions: { widths: '32,16' }, batchSize: 16 }, [20]],
  ];
  for (const [name, overrides, inputShape] of runs) {
    for (const optimizer of ['sgd', 'curveball']) {
      it(`gives the same losses as cpu: ${name} with ${optimizer}`, async () => {
        const spec: RunSpec = {
          dataset: 'random', arch: name, archOptions: {}, optimizer, optimizerOptions: optimizer === 'sgd' ? { lr: 0.1 } : {},
          steps: 4, batchSize: 8, shuffle: false, init: 'default', seed: 3, ...overrides,
        };
        const dataset = randomImages(inputShape, 64);
        const cpu = await stepLosses('cpu', spec, dataset);
        const native = await stepLosses('cpu-blas', spec, dataset);
        expect(native).toHaveLength(4);
        native.forEach((loss, i) => expect(Math.abs(loss - cpu[i]), `step ${i}: ${loss} vs ${cpu[i]}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i]))));
        // The run must move: equal losses from a network that does not train would prove little.
        expect(cpu[3]).not.toBe(cpu[0]);
      });
    }
  }
});
