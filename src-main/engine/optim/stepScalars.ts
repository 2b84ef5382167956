import { axpbyEach, hasFusedKernel, heavyBallStepEach } from '../ops';
import { tf } from '../tf';
import { combineParams, paramsOf, type Params } from '../params';
import { adaptLambda, type DampingRule } from '../../shared/curveballDamping';
import { pseudoInverseSolve2x2 } from '../../shared/pseudoInverse2x2';
import { planeModel, stepSizesOf, type Plane } from './curveballPlane';
import { innerProductParts, innerProductsOnDevice, readInnerProducts, type InnerProductOperands } from './innerProducts';
import type { DeviceTrace, StepContext, Trace } from './optimizer';
import { pseudoInverseSolve2x2OnDevice } from './pseudoInverse2x2OnDevice';

/**
 * Where CurveBall's scalars (its plane model, β, ρ, the fit ratio, λ and its running averages) live and how
 * they are computed, so that one step function serves both: float64 numbers on the host, read back from
 * the device each step (hostScalars), or float32 scalars left on the device, with nothing read
 * (deviceScalars). The host's operations are JavaScript's own, in the order they are called.
 */
export interface StepScalars<T> {
  constant(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  /** alpha·a + beta·b, in that order of operations. */
  mix(alpha: number, a: T, beta: number, b: T): T;
  /** A value for a new state that shares nothing with the old one. */
  copy(a: T): T;
  /** Non-finite values become 0, and −0 becomes 0. */
  finiteOrZero(a: T): T;
  /** 1 where the two differ, else 0. */
  differs(a: T, b: T): T;
  /** pinv(A)·b for the symmetric A = [[a11, a12], [a12, a22]]. */
  solve2x2(a11: T, a12: T, a22: T, b1: T, b2: T): [T, T];
  /**
   * CurveBall's β and ρ from its plane (curveballPlane.ts), for a step that needs nothing else of the
   * model: stepSizesOf(planeModel(…)), or one kernel from the inner products' parts where the backend has it.
   */
  stepSizes(plane: Plane, damping: T): [T, T];
  /**
   * The step z' = ρ·z − β·dz, and the new weights w + z' where they come with it (on the device: one
   * kernel per tensor, heavyBallStepEach); null on the host, where the trainer adds z'.
   */
  heavyBallStep(rho: T, z: Params, beta: T, dz: Params, w: Params): { step: Params; weights: Params | null };
  adaptLambda(lambda: T, ratio: T, rule: DampingRule): T;
  innerProducts<K extends string>(products: Record<K, InnerProductOperands>): Record<K, T>;
  loss(ctx: StepContext): T;
  lossAt(ctx: StepContext, params: Params): T;
  /** The step's trace, in the order of `values`' keys. */
  trace(values: Record<string, T>): { trace: Trace; deviceTrace?: DeviceTrace };
}

export const hostScalars: StepScalars<number> = {
  constant: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  mix: (alpha, a, beta, b) => alpha * a + beta * b,
  copy: (a) => a,
  finiteOrZero: (a) => (Number.isFinite(a) ? a + 0 : 0),
  differs: (a, b) => (a === b ? 0 : 1),
  solve2x2: pseudoInverseSolve2x2,
  stepSizes: (plane, damping) => stepSizesOf(hostScalars, planeModel(hostScalars, plane, damping)),
  heavyBallStep: (rho, z, beta, dz) => ({ step: combineParams(rho, z, -beta, dz), weights: null }),
  adaptLambda,
  innerProducts: readInnerProducts,
  loss: (ctx) => ctx.loss,
  lossAt: (ctx, params) => ctx.lossAt(params),
  trace: (values) => ({ trace: { ...values } }),
};

/**
 * The kernel a backend may register for deviceScalars.finiteOrZero (input x: a float32 tensor), one
 * dispatch where TF.js's ops take four: x where finite and not zero, else +0.
 */
export const finiteOrZeroKernelName = 'CurvelabFiniteOrZero';

/**
 * The kernel a backend may register for deviceScalars.stepSizes: inputs parts (the inner products' partial
 * sums, innerProductParts) and damping (a float32 scalar); attributes CurveballStepSizesAttrs; outputs
 * [β, ρ]. It sums the parts of each product, makes the model and solves it as the ops would, in float32,
 * where those take some twenty dispatches of one scalar each.
 */
export const curveballStepSizesKernelName = 'CurvelabCurveballStepSizes';

/** The model's products by part, as [start, end) ranges of the parts; an absent product is [0, 0) (0). */
export interface CurveballStepSizesAttrs {
  /** In the order of CURVEBALL_PLANE_ROLES, two numbers each. */
  ranges: number[];
  weightDecay: number;
}

/** |dz|², ⟨dz, z⟩, |z|², C's three, b's two and the penalty's two (curveballPlane.ts). */
export const CURVEBALL_PLANE_ROLES = ['dzdz', 'dzz', 'zz', 'c11', 'c12', 'c22', 'b1', 'b2', 'wdz', 'wz'] as const;

export const deviceScalars: StepScalars<tf.Scalar> = {
  constant: (x) => tf.scalar(x),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  neg: (a) => tf.neg(a),
  mix: (alpha, a, beta, b) => axpbyEach(alpha, [a], beta, [b])[0] as tf.Scalar,
  copy: (a) => tf.clone(a),
  finiteOrZero: (a) =>
    hasFusedKernel(finiteOrZeroKernelName)
      ? (tf.engine().runKernel(finiteOrZeroKernelName, { x: a }) as tf.Scalar)
      : (tf.where(tf.isFinite(a), tf.add(a, 0), tf.zerosLike(a)) as tf.Scalar),
  differs: (a, b) => tf.cast(tf.notEqual(a, b), 'float32') as tf.Scalar,
  solve2x2: pseudoInverseSolve2x2OnDevice,
  stepSizes: (plane, damping) =>
    hasFusedKernel(curveballStepSizesKernelName) ? stepSizesInOneKernel(plane, damping) : stepSizesOf(deviceScalars, planeModel(deviceScalars, plane, damping)),
  heavyBallStep: (rho, z, beta, dz, w) => {
    const keys = Object.keys(z);
    const { steps, weights } = heavyBallStepEach(rho, keys.map((k) => z[k]), beta, keys.map((k) => dz[k]), keys.map((k) => w[k]));
    return { step: paramsOf(keys, steps), weights: paramsOf(keys, weights) };
  },
  adaptLambda: (lambda, ratio, rule) => {
    const change = rule.factor ** rule.interval;
    return tf.where(tf.less(ratio, rule.low), tf.div(lambda, change), tf.where(tf.greater(ratio, rule.high), tf.mul(lambda, change), lambda)) as tf.Scalar;
  },
  innerProducts: innerProductsOnDevice,
  loss: (ctx) => ctx.lossScalar(),
  lossAt: (ctx, params) => ctx.lossScalarAt(params),
  trace: (values) => ({ trace: {}, deviceTrace: { names: Object.keys(values), values: Object.values(values) } }),
};

function stepSizesInOneKernel(plane: Plane, damping: tf.Scalar): [tf.Scalar, tf.Scalar] {
  const { keys, parts, ranges } = innerProductParts(plane.products);
  const [c11, c12, c22] = plane.curvature ?? [];
  const keyOf: Record<(typeof CURVEBALL_PLANE_ROLES)[number], string | undefined> = {
    dzdz: 'dzdz',
    dzz: 'dzz',
    zz: 'zz',
    c11,
    c12,
    c22,
    b1: plane.gradient[0],
    b2: plane.gradient[1],
    wdz: plane.weightDecay === 0 ? undefined : 'wdz',
    wz: plane.weightDecay === 0 ? undefined : 'wz',
  };
  const attrs: CurveballStepSizesAttrs = {
    ranges: CURVEBALL_PLANE_ROLES.flatMap((role) => {
      const key = keyOf[role];
      return key === undefined ? [0, 0] : ranges[keys.indexOf(key)];
    }),
    weightDecay: plane.weightDecay,
  };
  return tf.tidy(() => tf.engine().runKernel(curveballStepSizesKernelName, { parts: parts(), damping }, attrs as unknown as tf.NamedAttrMap) as [tf.Scalar, tf.Scalar]);
}

/**
 * Whether an optimizer that can keep its scalars on the device does so: on webgpu, where every read ends
 * the device's work and waits for it; the CPU backends read for nothing and keep their float64 path.
 */
export function scalarsOnDevice(): boolean {
  return tf.getBackend() === 'webgpu';
}
