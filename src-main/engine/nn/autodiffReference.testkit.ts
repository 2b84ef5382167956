/**
 * Test support (imported only by *.test.ts): TF.js's own reverse mode as an independent reference for
 * the explicit VJP rules.
 */
// tfjs-core registers no gradients by itself; tf.grads needs them. Engine code never uses them (its
// derivative rules are explicit), so only this test support loads them (a slow import: keep it here).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf } from '../tf';
import type { LayerCase } from './derivativeChecks.testkit';
import { caseSetUp, dot, randomTensor, relativeError } from './derivativeChecks.testkit';

/**
 * The VJP's parameter and input cotangents against tf.grads of <u, forward(x, params)> — TF.js's own
 * reverse mode through the forward ops, independent of the explicit rules. Returns the worst relative error.
 */
export function gradientErrorAgainstAutodiff(c: LayerCase, seed = 2): number {
  return tf.tidy(() => {
    const rng = new Rng(seed);
    const { net, ctx, x, params } = caseSetUp(c, rng);
    const names = net.params.map((p) => p.name);

    const { y, cache } = net.forward(x, params, ctx);
    const u = randomTensor(rng, y.shape);
    const grads: Params = {};
    const dxT = net.vjp(cache, u, grads, true);
    if (!dxT) throw new Error('the VJP returned no input cotangent');

    const objective = (...args: tf.Tensor[]): tf.Scalar => {
      const ps: Params = {};
      names.forEach((n, i) => (ps[n] = args[i + 1]));
      return tf.sum(tf.mul(u, net.forward(args[0], ps, ctx).y));
    };
    const reference = tf.grads(objective)([x, ...names.map((n) => params[n])]);
    const pairs: [tf.Tensor, tf.Tensor][] = [[dxT, reference[0]]];
    names.forEach((n, i) => pairs.push([grads[n], reference[i + 1]]));
    // Each error is relative to its reference, floored at 1e-3 of the largest: a gradient that is zero in
    // exact arithmetic (a bias in front of batch-norm) is rounding noise in both and must not count.
    const norms = pairs.map(([, r]) => Math.sqrt(dot(r, r)));
    const floor = 1e-3 * Math.max(...norms);
    const errors = pairs.map(([a, r], i) => (relativeError(a, r) * norms[i]) / Math.max(norms[i], floor));
    return Math.max(...errors);
  });
}
