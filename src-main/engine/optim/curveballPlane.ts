import { tf } from '../tf';
import type { Params } from '../params';
import type { InnerProductOperands } from './innerProducts';
import type { StepContext } from './optimizer';
import type { StepScalars } from './stepScalars';

/**
 * CurveBall's damped quadratic model of the loss on the plane spanned by dz and z (curveball.ts), as the
 * inner products it is made of and the part each plays:
 *   A = d·[[|dz|², ⟨dz, z⟩], [·, |z|²]] + C,   b = [b1, b2] + wd·[⟨w, dz⟩, ⟨w, z⟩],
 * with the damping d = λ + wd, C the loss Hessian's part (absent without the Hessian term) and the
 * penalty's part only with weight decay. As data, so that a backend can make the model and its step
 * sizes in one kernel (stepScalars.ts, stepSizes).
 */
export interface Plane {
  products: Record<string, InnerProductOperands>;
  /** The products of C: [⟨Jdz, H_L·Jdz⟩, ⟨Jz, H_L·Jdz⟩, ⟨Jz, H_L·Jz⟩]; null without the Hessian term. */
  curvature: [string, string, string] | null;
  /** The products of b before the penalty's part. */
  gradient: [string, string];
  /** The L2 penalty's wd (0: none, and no ⟨w, dz⟩, ⟨w, z⟩ among the products). */
  weightDecay: number;
}

/** The model itself, from the plane's products. */
export interface PlaneModel<T> {
  a11: T;
  a12: T;
  a22: T;
  b1: T;
  b2: T;
  /** The inner products it was made of that the penalty's change over the step needs. */
  plane: PlaneProducts<T>;
}

/** |dz|², ⟨dz, z⟩, |z|², and with a penalty ⟨w, dz⟩ and ⟨w, z⟩ (0 without). */
export interface PlaneProducts<T> {
  dzdz: T;
  dzz: T;
  zz: T;
  wdz: T;
  wz: T;
}

/** The L2 penalty (weightDecay/2)·|w|² at the step's weights; null without weight decay. */
export interface Penalty {
  weightDecay: number;
  params: Params;
}

/**
 * The plane with the Hessian term: C = [[⟨Jdz, H_L·Jdz⟩, ⟨Jz, H_L·Jdz⟩], [·, ⟨Jz, H_L·Jz⟩]] and
 * b = [⟨g, Jdz⟩, ⟨g, Jz⟩] with g = dL/dy: one more JVP (Jdz) than the step's own.
 */
export function planeWithHessian(ctx: StepContext, z: Params, dz: Params, Jz: tf.Tensor, HJz: tf.Tensor, penalty: Penalty | null): Plane {
  const g = ctx.lossGradient;
  const Jdz = ctx.jvp(dz);
  const HJdz = ctx.lossHessianVector(Jdz);
  return {
    products: {
      ...gramProducts(z, dz, penalty),
      JdzHJdz: [Jdz, HJdz],
      JzHJdz: [Jz, HJdz],
      JzHJz: [Jz, HJz],
      gJdz: [g, Jdz],
      gJz: [g, Jz],
    },
    curvature: ['JdzHJdz', 'JzHJdz', 'JzHJz'],
    gradient: ['gJdz', 'gJz'],
    weightDecay: penalty?.weightDecay ?? 0,
  };
}

/** The plane without H_L; ⟨g, Jv⟩ = ⟨Jᵀg, v⟩ is taken in parameter space, so no JVP is needed. */
export function planeWithoutHessian(gradient: Params, z: Params, dz: Params, penalty: Penalty | null): Plane {
  return {
    products: { ...gramProducts(z, dz, penalty), gdz: [gradient, dz], gz: [gradient, z] },
    curvature: null,
    gradient: ['gdz', 'gz'],
    weightDecay: penalty?.weightDecay ?? 0,
  };
}

/** The products both planes need: the plane's Gram matrix, and ⟨w, dz⟩ and ⟨w, z⟩ when there is a penalty. */
function gramProducts(z: Params, dz: Params, penalty: Penalty | null): Record<string, InnerProductOperands> {
  const gram: Record<string, InnerProductOperands> = { dzdz: [dz, dz], dzz: [dz, z], zz: [z, z] };
  return penalty ? { ...gram, wdz: [penalty.params, dz], wz: [penalty.params, z] } : gram;
}

/** The model, its inner products taken where `k` keeps its scalars (all at once). */
export function planeModel<T>(k: StepScalars<T>, plane: Plane, damping: T): PlaneModel<T> {
  const d = k.innerProducts<string>(plane.products);
  const dampedGram = (key: string, curvature: string | undefined): T =>
    curvature === undefined ? k.mul(damping, d[key]) : k.add(k.mul(damping, d[key]), d[curvature]);
  const [c11, c12, c22] = plane.curvature ?? [];
  const gram = { dzdz: d.dzdz, dzz: d.dzz, zz: d.zz };
  const model = { a11: dampedGram('dzdz', c11), a12: dampedGram('dzz', c12), a22: dampedGram('zz', c22) };
  const [b1, b2] = plane.gradient.map((key) => d[key]);
  if (plane.weightDecay === 0) {
    const zero = k.constant(0);
    return { ...model, b1, b2, plane: { ...gram, wdz: zero, wz: zero } };
  }
  const wd = k.constant(plane.weightDecay);
  return { ...model, b1: k.add(b1, k.mul(wd, d.wdz)), b2: k.add(b2, k.mul(wd, d.wz)), plane: { ...gram, wdz: d.wdz, wz: d.wz } };
}

/**
 * β and ρ minimising the model over the plane: m = pinv(A)·b, β = m0, ρ = −m1, a non-finite value
 * becoming 0 (the step then leaves that direction out).
 */
export function stepSizesOf<T>(k: StepScalars<T>, model: PlaneModel<T>): [T, T] {
  const [m0, m1] = k.solve2x2(model.a11, model.a12, model.a22, model.b1, model.b2);
  return [k.finiteOrZero(m0), k.finiteOrZero(k.neg(m1))];
}
