import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors, randomTensor, read } from './derivativeChecks.testkit';
import { evalContext, trainContext } from './layerContexts';

/** A step's mask source as the trainer makes one: one mask per layer, drawn once, the same for every pass. */
function stepMasks(seed: number) {
  const drawn = new Map<string, tf.Tensor>();
  const calls: { layerName: string; shape: number[]; rate: number }[] = [];
  const get = (layerName: string, shape: number[], rate: number): tf.Tensor => {
    calls.push({ layerName, shape, rate });
    let mask = drawn.get(layerName);
    if (!mask) {
      const rng = Rng.derive(seed, `dropout/${layerName}`);
      const n = shape.reduce((a, b) => a * b, 1);
      mask = tf.keep(tf.tensor(Float32Array.from({ length: n }, () => (rng.uniform() >= rate ? 1 : 0)), shape));
      drawn.set(layerName, mask);
    }
    return mask;
  };
  return { get, calls, dispose: () => drawn.forEach((t) => t.dispose()) };
}

describe('dropout', () => {
  it('multiplies by the step mask / (1 − rate), the same on every pass, and is the identity in eval mode', () => {
    const masks = stepMasks(5);
    tf.tidy(() => {
      const rate = 0.25;
      const net = buildNetwork({ inputShape: [3, 4], layers: [{ type: 'dropout', rate }] });
      const x = randomTensor(new Rng(1), [2, 3, 4]);
      const ctx = trainContext({}, null, masks.get);
      const first = read(net.forward(x, {}, ctx).y);
      const second = net.forward(x, {}, ctx);
      expect(read(second.y)).toEqual(first);
      expect(masks.calls).toEqual([
        { layerName: 'dropout_0', shape: [2, 3, 4], rate },
        { layerName: 'dropout_0', shape: [2, 3, 4], rate },
      ]);
      const mask = read(masks.get('dropout_0', [2, 3, 4], rate));
      expect(mask.some((m) => m === 0) && mask.some((m) => m === 1)).toBe(true);
      const xs = read(x);
      xs.forEach((v, i) => expect(first[i]).toBeCloseTo((v * mask[i]) / (1 - rate), 6));

      // Forward-mode and reverse-mode use the same mask.
      const dx = randomTensor(new Rng(2), [2, 3, 4]);
      const jv = read(net.jvp(second.cache, dx, {})!);
      read(dx).forEach((v, i) => expect(jv[i]).toBeCloseTo((v * mask[i]) / (1 - rate), 6));

      const callsBefore = masks.calls.length;
      expect(read(net.forward(x, {}, evalContext({})).y)).toEqual(xs);
      expect(masks.calls.length).toBe(callsBefore);
    });
    masks.dispose();
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it (fixed mask)', () => {
    const masks = stepMasks(6);
    const errors = layerDerivativeErrors({
      inputShape: [5],
      layers: [{ type: 'dense', units: 6 }, { type: 'dropout', rate: 0.5 }],
      batch: 3,
      context: () => trainContext({}, null, masks.get),
    });
    masks.dispose();
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });
});
