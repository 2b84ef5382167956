import { describe, expect, it, vi } from 'vitest';
import { meanSquaredError } from '../losses/meanSquaredError';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import type { Loss } from '../losses/loss';
import type { LayerContext } from '../nn/layer';
import { Model } from '../nn/model';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { NetworkStepContext } from './networkStepContext';
import { PassCounter } from './passCounter';

/**
 * The Gauss-Newton product the step context gives CurveBall and Hessian-free, Jᵀ·H_L·J·v, against an
 * explicit matrix: J built column by column from central finite differences of the network's outputs
 * (no JVP code involved) and H_L written out entry by entry, both in float64.
 */

const N = 3;
const model = Model.fromSpec({
  inputShape: [3],
  layers: [{ type: 'dense', units: 4 }, { type: 'tanh' }, { type: 'dense', units: 2 }],
});
const C = 2;

function evalContext(): LayerContext {
  return {
    training: true,
    state: {},
    stateUpdates: null,
    dropoutMask: () => {
      throw new Error('no dropout here');
    },
  };
}

function flatten(p: Params): Float64Array {
  return Float64Array.from(Object.keys(p).flatMap((k) => Array.from(p[k].dataSync())));
}

function unflatten(values: Float64Array, like: Params): Params {
  const out: Params = {};
  let offset = 0;
  for (const k of Object.keys(like)) {
    const t = like[k];
    out[k] = tf.tensor(Float32Array.from(values.subarray(offset, offset + t.size)), t.shape);
    offset += t.size;
  }
  return out;
}

function outputsAt(w: Float64Array, like: Params, x: tf.Tensor): Float64Array {
  return tidyValue(() => Float64Array.from(model.forward(x, unflatten(w, like), evalContext()).y.dataSync()));
}

/** Explicit H_L (N·C × N·C) at outputs y for each loss, from its definition. */
function explicitLossHessian(lossName: Loss['name'], y: Float64Array): number[][] {
  const H = Array.from({ length: N * C }, () => new Array<number>(N * C).fill(0));
  for (let i = 0; i < N; i++) {
    if (lossName === 'softmaxCrossEntropy') {
      const row = Array.from(y.subarray(i * C, (i + 1) * C));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / s);
      for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) H[i * C + a][i * C + b] = ((a === b ? p[a] : 0) - p[a] * p[b]) / N;
    } else {
      for (let a = 0; a < C; a++) H[i * C + a][i * C + a] = 2 / (N * C);
    }
  }
  return H;
}

describe.each([
  ['softmax cross-entropy', softmaxCrossEntropy, () => tf.tensor1d([0, 1, 1], 'int32')],
  ['mean squared error', meanSquaredError, () => tf.tensor2d([0.5, -1, 2, 0.25, -0.5, 1], [N, C])],
] as const)('Gauss-Newton product with %s', (_name, loss, makeTargets) => {
  it('matches Jᵀ H_L J v from an explicit J (finite differences) and an explicit H_L', () => {
    const params = model.initParams(5, 'default');
    const rng = new Rng(9);
    const x = tf.tensor2d(Array.from({ length: N * 3 }, () => rng.normal()), [N, 3]);
    const targets = makeTargets();
    const w = flatten(params);
    const P = w.length;

    // J: (N·C) × P, column i = (f(w + h e_i) − f(w − h e_i)) / 2h.
    const h = 1e-2;
    const J = Array.from({ length: N * C }, () => new Float64Array(P));
    for (let i = 0; i < P; i++) {
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[i] += h;
      minus[i] -= h;
      const fp = outputsAt(plus, params, x);
      const fm = outputsAt(minus, params, x);
      for (let r = 0; r < N * C; r++) J[r][i] = (fp[r] - fm[r]) / (2 * h);
    }
    const y = outputsAt(w, params, x);
    const H = explicitLossHessian(loss.name, y);
    const v = Float64Array.from({ length: P }, () => rng.normal());

    // Explicit G v = Jᵀ (H (J v)).
    const Jv = J.map((row) => row.reduce((s, a, i) => s + a * v[i], 0));
    const HJv = H.map((row) => row.reduce((s, a, j) => s + a * Jv[j], 0));
    const expected = Float64Array.from({ length: P }, (_, i) => J.reduce((s, row, r) => s + row[i] * HJv[r], 0));

    const actual = tidyValue(() => {
      const ctx = new NetworkStepContext(0, model, params, x, targets, loss, evalContext(), evalContext(), new PassCounter());
      const product = ctx.vjp(ctx.lossHessianVector(ctx.jvp(unflatten(v, params))));
      return flatten(product);
    });

    const scale = Math.max(...expected.map(Math.abs));
    expect(scale).toBeGreaterThan(1e-3);
    for (let i = 0; i < P; i++) {
      expect(Math.abs(actual[i] - expected[i]), `component ${i}`).toBeLessThan(2e-3 * scale);
    }
  });
});

describe('NetworkStepContext', () => {
  it('counts one pass per forward, backward and forward-mode product and caches the gradient', () => {
    const params = model.initParams(1, 'default');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9], [N, 3]);
    const targets = tf.tensor1d([0, 1, 0], 'int32');
    const passes = new PassCounter();
    tf.tidy(() => {
      const ctx = new NetworkStepContext(0, model, params, x, targets, softmaxCrossEntropy, evalContext(), evalContext(), passes);
      ctx.gradient();
      ctx.gradient();
      ctx.jvp(params);
      ctx.lossAt(params);
    });
    expect(passes.snapshot()).toEqual({ forwardPasses: 2, backwardPasses: 1, forwardModePasses: 1 });
  });

  it('reports the batch loss and accuracy before the update, and lossAt re-evaluates it', () => {
    const params = model.initParams(2, 'default');
    const x = tf.tensor2d([0.1, -0.2, 0.3, 1, 0.5, -1, -0.7, 0.2, 0.9], [N, 3]);
    const targets = tf.tensor1d([1, 0, 1], 'int32');
    tf.tidy(() => {
      const ctx = new NetworkStepContext(0, model, params, x, targets, softmaxCrossEntropy, evalContext(), evalContext(), new PassCounter());
      const y = Array.from(ctx.outputs.dataSync());
      const labels = [1, 0, 1];
      let expected = 0;
      let correct = 0;
      for (let i = 0; i < N; i++) {
        const [a, b] = [y[i * C], y[i * C + 1]];
        const m = Math.max(a, b);
        expected += m + Math.log(Math.exp(a - m) + Math.exp(b - m)) - y[i * C + labels[i]];
        if ((b > a ? 1 : 0) === labels[i]) correct++;
      }
      expect(ctx.loss).toBeCloseTo(expected / N, 5);
      expect(ctx.accuracy).toBeCloseTo(correct / N, 6);
      expect(ctx.lossAt(params)).toBeCloseTo(ctx.loss, 6);
    });
  });

  it('reads its metrics back only when the loss or accuracy is asked for, and once', () => {
    const params = model.initParams(2, 'default');
    const x = tf.tensor2d([0.1, -0.2, 0.3, 1, 0.5, -1, -0.7, 0.2, 0.9], [N, 3]);
    const targets = tf.tensor1d([1, 0, 1], 'int32');
    const reads = vi.spyOn(tf.backend(), 'readSync');
    try {
      tf.tidy(() => {
        const ctx = new NetworkStepContext(0, model, params, x, targets, softmaxCrossEntropy, evalContext(), evalContext(), new PassCounter());
        ctx.gradient();
        expect(reads).not.toHaveBeenCalled();
        expect(ctx.metrics.shape).toEqual([2]);
        const [loss, accuracy] = [ctx.loss, ctx.accuracy];
        expect(reads).toHaveBeenCalledTimes(1);
        expect([ctx.loss, ctx.accuracy]).toEqual([loss, accuracy]);
        expect(reads).toHaveBeenCalledTimes(1);
        expect(Array.from(ctx.metrics.dataSync())).toEqual([loss, accuracy]);
      });
    } finally {
      reads.mockRestore();
    }
  });
});
