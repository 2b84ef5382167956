import { tf } from '../tf';
import { addParams, combineParams, mapParams, zerosLikeParams, type Params } from '../params';
import { defineOptimizer } from './defineOptimizer';
import type { Optimizer, StepContext, Trace, UpdateResult } from './optimizer';
import { booleanOption, integerOption, numberOption, type OptionSettings } from './optionSchema';
import { readInnerProducts, type InnerProductOperands } from './innerProducts';
import { adaptLambda, curveballDampingDefaults } from '../../shared/curveballDamping';
import { pseudoInverseSolve2x2 } from '../../shared/pseudoInverse2x2';

/**
 * CurveBall (Henriques et al., ICCV 2019), exactly as the authors' PyTorch `CurveBall.step`. One buffer
 * z per parameter is both a momentum buffer and a running estimate of the Newton step; each step makes
 * one gradient-descent step on the damped quadratic model of the loss,
 *   dz = Jᵀ(H_L·Jz + g) + λz,   z ← ρz − β·dz,   w ← w + z,
 * with β (learning rate) and ρ (momentum) chosen by minimising that model over the plane spanned by dz
 * and z (a 2×2 solve), and λ adapted like a trust region from how well the model predicted the loss.
 *
 * Weight decay wd makes the objective F(w) = L(w) + (wd/2)·|w|², whose gradient is Jᵀg + wd·w and whose
 * Gauss-Newton matrix is JᵀH_L·J + wd·I (the penalty's Hessian, exactly). So
 *   dz = Jᵀ(H_L·Jz + g) + wd·w + (λ + wd)·z,
 * the 2×2 model A = [dz z]ᵀ(JᵀH_L·J + (λ + wd)·I)[dz z] takes λ + wd where it had λ, b = [dz z]ᵀ∇F gains
 * wd·[⟨w, dz⟩, ⟨w, z⟩], and the fit ratio compares F's change, that of L plus wd·(⟨w, z_new⟩ + ½|z_new|²),
 * with the model's prediction. Without the Hessian term only H_L leaves the model (the penalty's wd·I
 * stays), and the interleaved SGD steps follow ∇F = ∇L + wd·w. wd = 0 is the reference algorithm.
 */
export interface CurveBallState {
  /** The step direction z (one tensor per parameter); zeros at init. */
  z: Params;
  /** Heavy-ball buffer of the interleaved momentum-SGD steps (PyTorch convention); null without interleaving. */
  sgdBuffer: Params | null;
  /** Current damping λ. */
  lambda: number;
  /** Adaptations so far that changed λ (the fit ratio left [lambdaLow, lambdaHigh]). */
  lambdaChanges: number;
  /** Steps taken so far, CurveBall and interleaved together (the λ interval counts both). */
  step: number;
  /** CurveBall steps taken so far (the running averages below are over these). */
  curveballSteps: number;
  /** Running averages of β and ρ, the lr and momentum of the interleaved SGD steps. */
  averageLr: number;
  averageMomentum: number;
}

const curveballOptions = {
  lambda: numberOption({
    default: curveballDampingDefaults.lambda,
    description: 'initial damping λ (larger: smaller, more gradient-like steps)',
    min: 0,
  }),
  autoLambda: booleanOption({ default: true, description: 'adapt λ from the fit of the quadratic model (trust region)' }),
  lambdaFactor: numberOption({
    default: curveballDampingDefaults.factor,
    description: 'λ changes by lambdaFactor^lambdaInterval per adaptation',
    min: 0,
    max: 1,
    exclusiveMin: true,
  }),
  lambdaLow: numberOption({ default: curveballDampingDefaults.low, description: 'fit ratio below which λ grows' }),
  lambdaHigh: numberOption({ default: curveballDampingDefaults.high, description: 'fit ratio above which λ shrinks' }),
  lambdaInterval: integerOption({
    default: curveballDampingDefaults.interval,
    description: 'adapt λ on steps where step % lambdaInterval = 0 (costs one forward pass)',
    min: 1,
  }),
  lr: numberOption({ description: 'fixed learning rate β (with momentum; default: automatic)', min: 0 }),
  momentum: numberOption({ description: 'fixed momentum ρ (with lr; default: automatic)', min: 0 }),
  interleave: integerOption({
    default: 1,
    description: 'a CurveBall step every k-th step, momentum SGD with the averaged lr and momentum between',
    min: 1,
  }),
  interleaveWindow: integerOption({
    default: 100,
    description: 'the interleaved steps use the mean β and ρ of the last ~window CurveBall steps',
    min: 1,
  }),
  hessianTerm: booleanOption({ default: true, description: 'include the loss Hessian H_L (false: only the λ-damped gradient model)' }),
  weightDecay: numberOption({
    default: 0,
    description: 'L2 penalty (weightDecay/2)·|w|² on the objective: adds weightDecay·w to the gradient and weightDecay·I to the curvature',
    min: 0,
  }),
};

type CurveBallOptions = OptionSettings<typeof curveballOptions>;

export const curveballDefinition = defineOptimizer({
  name: 'curveball',
  description: 'CurveBall: a one-step Newton solver interleaved with the updates; automatic lr, momentum and damping',
  traces: ['rho', 'beta', 'lambda', 'ratio', 'lambdaChanges'],
  options: curveballOptions,
  rules: [
    ({ lr, momentum }) =>
      (lr === undefined) !== (momentum === undefined) ? 'curveball: options "lr" and "momentum" fix β and ρ together; give both or neither' : null,
    ({ lambdaLow, lambdaHigh }) =>
      lambdaLow > lambdaHigh ? `curveball: lambdaLow (${lambdaLow}) must not exceed lambdaHigh (${lambdaHigh})` : null,
    // λ is adapted on CurveBall steps only; otherwise the interval would silently stretch.
    ({ autoLambda, lambdaInterval, interleave }) =>
      autoLambda && lambdaInterval % interleave !== 0
        ? `curveball: lambdaInterval (${lambdaInterval}) must be a multiple of interleave (${interleave})`
        : null,
  ],
  create: (settings): Omit<Optimizer<CurveBallState>, 'name'> => ({
    init: (params) => ({
      z: zerosLikeParams(params),
      sgdBuffer: settings.interleave > 1 ? zerosLikeParams(params) : null,
      lambda: settings.lambda,
      lambdaChanges: 0,
      step: 0,
      curveballSteps: 0,
      averageLr: 0,
      averageMomentum: 0,
    }),
    update(ctx, state, params) {
      return settings.interleave > 1 && state.step % settings.interleave !== 0
        ? interleavedSgdStep(ctx, state, params, settings)
        : curveballStep(ctx, state, params, settings);
    },
  }),
});

/** β = lr and ρ = momentum when both are given, instead of the 2×2 solve. */
function fixedStepSizes(s: CurveBallOptions): { lr: number; momentum: number } | null {
  return s.lr !== undefined && s.momentum !== undefined ? { lr: s.lr, momentum: s.momentum } : null;
}

/** The L2 penalty (weightDecay/2)·|w|² at the step's weights; null without weight decay. */
interface Penalty {
  weightDecay: number;
  params: Params;
}

/** The damped quadratic model of the loss on the plane spanned by dz and z, in float64. */
interface PlaneModel {
  a11: number;
  a12: number;
  a22: number;
  b1: number;
  b2: number;
  /** The inner products it was made of that the penalty's change over the step needs. */
  plane: PlaneProducts;
}

/** |dz|², ⟨dz, z⟩, |z|², and with a penalty ⟨w, dz⟩ and ⟨w, z⟩ (0 without). */
interface PlaneProducts {
  dzdz: number;
  dzz: number;
  zz: number;
  wdz: number;
  wz: number;
}

function curveballStep(ctx: StepContext, state: CurveBallState, params: Params, s: CurveBallOptions): UpdateResult<CurveBallState> {
  const lambda = state.lambda;
  const penalty: Penalty | null = s.weightDecay === 0 ? null : { weightDecay: s.weightDecay, params };
  // The penalty's curvature wd·I multiplies z and the plane's Gram matrix exactly as the damping λ does.
  const damping = lambda + s.weightDecay;
  const fixed = fixedStepSizes(s);
  const evaluateFit = s.autoLambda && state.step % s.lambdaInterval === 0;
  let beta = 0;
  let rho = 0;
  let ratio: number | undefined;
  // Fetched outside the tidy, so that a context's cached gradient is not disposed with the step's temporaries.
  const gradient = s.hessianTerm ? null : ctx.gradient();

  const tensors = tf.tidy(() => {
    const z = state.z;
    const g = ctx.lossGradient;

    // dz = Jᵀ(H_L·Jz + g) + wd·w + (λ + wd)·z: one JVP and one VJP. Without the Hessian term Jᵀg is the gradient.
    let Jz: tf.Tensor | null = null;
    let HJz: tf.Tensor | null = null;
    let JtResidual: Params;
    if (s.hessianTerm) {
      Jz = ctx.jvp(z);
      HJz = ctx.lossHessianVector(Jz);
      JtResidual = ctx.vjp(tf.add(HJz, g));
    } else {
      JtResidual = gradient!;
    }
    const gradientPart = penalty ? combineParams(1, JtResidual, penalty.weightDecay, params) : JtResidual;
    const dz = damping === 0 ? gradientPart : combineParams(1, gradientPart, damping, z);

    // The 2×2 model is needed to choose β and ρ, and to predict the loss change when λ is adapted.
    const model =
      fixed === null || evaluateFit
        ? s.hessianTerm
          ? planeModelWithHessian(ctx, z, dz, Jz!, HJz!, damping, penalty)
          : planeModelWithoutHessian(gradient!, z, dz, damping, penalty)
        : null;

    if (fixed) {
      beta = fixed.lr;
      rho = fixed.momentum;
    } else {
      const [m0, m1] = pseudoInverseSolve2x2(model!.a11, model!.a12, model!.a22, model!.b1, model!.b2);
      beta = finiteOrZero(m0);
      rho = finiteOrZero(-m1);
    }
    const zNew = combineParams(rho, z, -beta, dz);

    if (evaluateFit) {
      const newLoss = tf.tidy(() => ctx.lossAt(addParams(params, zNew)));
      const lossChange = newLoss - ctx.loss;
      const change = penalty ? lossChange + penaltyChange(penalty.weightDecay, model!.plane, beta, rho) : lossChange;
      ratio = change / predictedChange(model!, beta, rho, fixed !== null);
    }
    return {
      z: zNew,
      sgdBuffer: state.sgdBuffer ? mapParams(state.sgdBuffer, (t) => tf.clone(t)) : {},
    };
  });

  const trace: Trace = { rho, beta, lambda };
  if (ratio !== undefined) trace.ratio = ratio;
  const dampingRule = { factor: s.lambdaFactor, low: s.lambdaLow, high: s.lambdaHigh, interval: s.lambdaInterval };
  const newLambda = ratio === undefined ? lambda : adaptLambda(lambda, ratio, dampingRule);
  const lambdaChanges = state.lambdaChanges + (newLambda === lambda ? 0 : 1);
  if (s.autoLambda) trace.lambdaChanges = lambdaChanges;

  // Interleaved SGD steps use running means of β and ρ: the plain mean of all CurveBall steps so far
  // while there are fewer than interleaveWindow of them, then an exponential average with rate 1/window.
  const n = state.curveballSteps + 1;
  const gamma = 1 / Math.min(n, s.interleaveWindow);
  return {
    // The step is z itself (w ← w + z): the trainer adds it without a copy.
    updates: tensors.z,
    state: {
      z: tensors.z,
      sgdBuffer: state.sgdBuffer ? tensors.sgdBuffer : null,
      lambda: newLambda,
      lambdaChanges,
      step: state.step + 1,
      curveballSteps: n,
      averageLr: (1 - gamma) * state.averageLr + gamma * beta,
      averageMomentum: (1 - gamma) * state.averageMomentum + gamma * rho,
    },
    trace,
  };
}

/**
 * A = [[d|dz|² + ⟨Jdz, H_L·Jdz⟩, d⟨dz, z⟩ + ⟨Jz, H_L·Jdz⟩], [·, d|z|² + ⟨Jz, H_L·Jz⟩]],  b = [⟨g, Jdz⟩, ⟨g, Jz⟩] + b_wd,
 * with g = dL/dy and the damping d = λ + wd; one more JVP (Jdz) and all inner products read back in one sync.
 */
function planeModelWithHessian(
  ctx: StepContext,
  z: Params,
  dz: Params,
  Jz: tf.Tensor,
  HJz: tf.Tensor,
  damping: number,
  penalty: Penalty | null,
): PlaneModel {
  const g = ctx.lossGradient;
  const Jdz = ctx.jvp(dz);
  const HJdz = ctx.lossHessianVector(Jdz);
  const d = readInnerProducts<string>({
    ...planeProducts(z, dz, penalty),
    JdzHJdz: [Jdz, HJdz],
    JzHJdz: [Jz, HJdz],
    JzHJz: [Jz, HJz],
    gJdz: [g, Jdz],
    gJz: [g, Jz],
  });
  return planeModel(
    {
      a11: damping * d.dzdz + d.JdzHJdz,
      a12: damping * d.dzz + d.JzHJdz,
      a22: damping * d.zz + d.JzHJz,
      b1: d.gJdz,
      b2: d.gJz,
    },
    penalty,
    d,
  );
}

/** The same model without H_L; ⟨g, Jv⟩ = ⟨Jᵀg, v⟩ is taken in parameter space, so no JVP is needed. */
function planeModelWithoutHessian(gradient: Params, z: Params, dz: Params, damping: number, penalty: Penalty | null): PlaneModel {
  const d = readInnerProducts<string>({ ...planeProducts(z, dz, penalty), gdz: [gradient, dz], gz: [gradient, z] });
  return planeModel({ a11: damping * d.dzdz, a12: damping * d.dzz, a22: damping * d.zz, b1: d.gdz, b2: d.gz }, penalty, d);
}

/** The products both models need: the plane's Gram matrix, and ⟨w, dz⟩ and ⟨w, z⟩ when there is a penalty. */
function planeProducts(z: Params, dz: Params, penalty: Penalty | null): Record<string, InnerProductOperands> {
  const gram: Record<string, InnerProductOperands> = { dzdz: [dz, dz], dzz: [dz, z], zz: [z, z] };
  return penalty ? { ...gram, wdz: [penalty.params, dz], wz: [penalty.params, z] } : gram;
}

/**
 * The model with its plane's products, and b_wd = wd·[⟨w, dz⟩, ⟨w, z⟩] added: the penalty's gradient wd·w on
 * the plane (its curvature is in the damping).
 */
function planeModel(model: Omit<PlaneModel, 'plane'>, penalty: Penalty | null, d: Record<string, number>): PlaneModel {
  const plane = { dzdz: d.dzdz, dzz: d.dzz, zz: d.zz, wdz: penalty ? d.wdz : 0, wz: penalty ? d.wz : 0 };
  if (!penalty) return { ...model, plane };
  return { ...model, b1: model.b1 + penalty.weightDecay * d.wdz, b2: model.b2 + penalty.weightDecay * d.wz, plane };
}

/**
 * (wd/2)·(|w + z'|² − |w|²) = wd·(⟨w, z'⟩ + ½|z'|²): the penalty's change over the step z' = ρz − β·dz,
 * without cancellation, from the plane's products already read (no further read-back):
 * ⟨w, z'⟩ = ρ⟨w, z⟩ − β⟨w, dz⟩,  |z'|² = ρ²|z|² − 2ρβ⟨dz, z⟩ + β²|dz|².
 */
function penaltyChange(weightDecay: number, p: PlaneProducts, beta: number, rho: number): number {
  const wStep = rho * p.wz - beta * p.wdz;
  const stepStep = rho * rho * p.zz - 2 * rho * beta * p.dzz + beta * beta * p.dzdz;
  return weightDecay * (wStep + 0.5 * stepStep);
}

/**
 * The loss change the model predicts for z_new = ρz − β·dz = −(m0·dz + m1·z) with m = (β, −ρ):
 * −m·b + ½mᵀAm. At the automatic solution m = pinv(A)·b this equals −½m·b (pinv·A·pinv = pinv), the form
 * the reference uses; with fixed β and ρ the general form is needed.
 */
function predictedChange(model: PlaneModel, beta: number, rho: number, fixed: boolean): number {
  const m0 = beta;
  const m1 = -rho;
  const mb = m0 * model.b1 + m1 * model.b2;
  if (!fixed) return -0.5 * mb;
  const mAm = m0 * m0 * model.a11 + 2 * m0 * m1 * model.a12 + m1 * m1 * model.a22;
  return -mb + 0.5 * mAm;
}

/**
 * Momentum SGD between CurveBall steps (interleave > 1), as in the reference: its own heavy-ball buffer,
 * buf ← ρ̄·buf + ∇F (∇F = ∇L + wd·w), Δw = −β̄·buf, with β̄ and ρ̄ the running averages of the CurveBall
 * steps' β and ρ. z and λ are left as they are.
 */
function interleavedSgdStep(ctx: StepContext, state: CurveBallState, params: Params, s: CurveBallOptions): UpdateResult<CurveBallState> {
  const lr = state.averageLr;
  const momentum = state.averageMomentum;
  const gradient = ctx.gradient(); // outside the tidy: the context may cache it
  const tensors = tf.tidy(() => {
    const objectiveGradient = s.weightDecay === 0 ? gradient : combineParams(1, gradient, s.weightDecay, params);
    return {
      sgdBuffer: combineParams(momentum, state.sgdBuffer!, 1, objectiveGradient),
      z: mapParams(state.z, (t) => tf.clone(t)),
    };
  });
  const trace: Trace = { rho: momentum, beta: lr, lambda: state.lambda };
  if (s.autoLambda) trace.lambdaChanges = state.lambdaChanges;
  return {
    updates: tensors.sgdBuffer,
    scale: -lr,
    state: { ...state, z: tensors.z, sgdBuffer: tensors.sgdBuffer, step: state.step + 1 },
    trace,
  };
}

/** Non-finite step sizes (a degenerate model) become 0; adding 0 also turns −0 into 0. */
function finiteOrZero(x: number): number {
  return Number.isFinite(x) ? x + 0 : 0;
}
