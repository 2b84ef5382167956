/**
 * Test support (imported only by *.test.ts): random inputs from the seeded Rng, and the two independent
 * checks of derivative rules — central finite differences of forward, and the adjoint identity
 * <u, J·v> = <Jᵀ·u, v> between a JVP and a VJP. Numbers are read back and compared in float64.
 */
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildNetwork, type NetworkOptions } from './buildNetwork';
import type { LayerContext, ParamSpec } from './layer';
import type { Sequential } from './sequential';
import { product } from './shapes';
import type { LayerSpec } from '../../shared/modelSpec';

/** Normal values with the given standard deviation. */
export function randomTensor(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const values = new Float32Array(product(shape));
  for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
  return tf.tensor(values, shape);
}

/** Normal values pushed at least `margin` away from 0, so a ReLU's kink is never near a sample. */
export function awayFromZero(rng: Rng, shape: number[], margin = 0.2): tf.Tensor {
  const values = new Float32Array(product(shape));
  for (let i = 0; i < values.length; i++) {
    const z = rng.normal();
    values[i] = Math.sign(z || 1) * (margin + Math.abs(z));
  }
  return tf.tensor(values, shape);
}

/** Distinct values spaced `spacing` apart in random order, so every max-pool window has a clear winner. */
export function distinctValues(rng: Rng, shape: number[], spacing = 0.1): tf.Tensor {
  const n = product(shape);
  const order = rng.permutation(n);
  const values = Float32Array.from(order, (k) => (k - n / 2) * spacing);
  return tf.tensor(values, shape);
}

/** A random value for every parameter (γ around 1, so batch-norm layers keep their scale). */
export function randomParams(rng: Rng, specs: readonly ParamSpec[], scale = 0.5): Params {
  const out: Params = {};
  for (const p of specs) {
    const t = randomTensor(rng, p.shape, scale);
    out[p.name] = p.init === 'ones' ? tf.add(t, 1) : t;
  }
  return out;
}

export function read(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

export function dot(a: tf.Tensor, b: tf.Tensor): number {
  if (a.size !== b.size) throw new Error(`dot: sizes ${a.size} and ${b.size} differ`);
  const x = a.dataSync();
  const y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

export function dotParams(a: Params, b: Params): number {
  return Object.keys(a).reduce((s, k) => s + (b[k] ? dot(a[k], b[k]) : 0), 0);
}

/** ‖a − b‖ / ‖b‖ over all elements (float64). */
export function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) throw new Error(`relativeError: sizes ${x.length} and ${y.length} differ`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    diff += (x[i] - y[i]) ** 2;
    norm += y[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
}

/** The point (x + t·dx, params + t·dparams); a null dx or missing direction entry stays put. */
export function along(x: tf.Tensor, params: Params, dx: tf.Tensor | null, dparams: Params, t: number): { x: tf.Tensor; params: Params } {
  const moved: Params = {};
  for (const k of Object.keys(params)) moved[k] = dparams[k] ? tf.add(params[k], tf.mul(dparams[k], t)) : params[k];
  return { x: dx ? tf.add(x, tf.mul(dx, t)) : x, params: moved };
}

/** (f(+eps) − f(−eps)) / 2eps for f(t) = forward at the point `t` along (dx, dparams). */
export function centralDifference(
  forward: (x: tf.Tensor, params: Params) => tf.Tensor,
  x: tf.Tensor,
  params: Params,
  dx: tf.Tensor | null,
  dparams: Params,
  eps: number,
): tf.Tensor {
  const plus = along(x, params, dx, dparams, eps);
  const minus = along(x, params, dx, dparams, -eps);
  return tf.div(tf.sub(forward(plus.x, plus.params), forward(minus.x, minus.params)), 2 * eps);
}

/** |a − b| / max(|a|, |b|), the relative gap of the two sides of an identity. */
export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

/** A stack of layers to check, run through the same Sequential the models use. */
export interface LayerCase {
  inputShape: number[];
  layers: LayerSpec[];
  batch: number;
  /** The input batch; random normal by default. */
  input?: (rng: Rng, shape: number[]) => tf.Tensor;
  /** Train mode with no masks and no state by default. */
  context?: () => LayerContext;
  /** Finite-difference step (default 1e-2; smaller where a kink could be near). */
  eps?: number;
  /** How buildNetwork lays the layers out (the active backend's defaults otherwise). */
  options?: Partial<NetworkOptions>;
}

export interface DerivativeErrors {
  /** ‖central difference − JVP‖ / ‖JVP‖, input and parameters perturbed together. */
  finiteDifference: number;
  /** |<u, J·v> − <Jᵀ·u, v>| relative. */
  adjoint: number;
  /** ‖JVP‖, to make sure the check was not vacuous. */
  jvpNorm: number;
}

export const trainWithoutMasks = (): LayerContext => ({
  training: true,
  state: {},
  stateUpdates: null,
  dropoutMask: () => {
    throw new Error('this case has no dropout masks');
  },
});

/** A case's network and context, and a random input batch and parameters drawn from rng. */
export function caseSetUp(c: LayerCase, rng: Rng): { net: Sequential; ctx: LayerContext; x: tf.Tensor; params: Params } {
  const net = buildNetwork({ inputShape: c.inputShape, layers: c.layers }, c.options);
  const ctx = (c.context ?? trainWithoutMasks)();
  const batchShape = [c.batch, ...c.inputShape];
  const x = c.input ? c.input(rng, batchShape) : randomTensor(rng, batchShape);
  return { net, ctx, x, params: randomParams(rng, net.params) };
}

/** Checks a stack's JVP against finite differences of its forward, and its VJP against its JVP. */
export function layerDerivativeErrors(c: LayerCase, seed = 1): DerivativeErrors {
  return tf.tidy(() => {
    const rng = new Rng(seed);
    const { net, ctx, x, params } = caseSetUp(c, rng);
    const dx = randomTensor(rng, x.shape);
    const dparams = randomParams(rng, net.params, 1);
    for (const p of net.params) if (p.init === 'ones') dparams[p.name] = tf.sub(dparams[p.name], 1);

    const { y, cache } = net.forward(x, params, ctx);
    const jv = net.jvp(cache, dx, dparams);
    if (!jv) throw new Error('the JVP came back null for a non-zero direction');
    const forward = (xs: tf.Tensor, ps: Params) => net.forward(xs, ps, ctx).y;
    const fd = centralDifference(forward, x, params, dx, dparams, c.eps ?? 1e-2);

    const u = randomTensor(rng, y.shape);
    const grads: Params = {};
    const dxT = net.vjp(cache, u, grads, true);
    if (!dxT) throw new Error('the VJP returned no input cotangent');
    const lhs = dot(u, jv);
    const rhs = dot(dxT, dx) + dotParams(grads, dparams);
    return { finiteDifference: relativeError(fd, jv), adjoint: relativeGap(lhs, rhs), jvpNorm: Math.sqrt(dot(jv, jv)) };
  });
}
