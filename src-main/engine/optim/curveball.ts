import { tf } from '../tf';
import { addParams, combineParams, mapParams, zerosLikeParams, type Params } from '../params';
import { defineOptimizer } from './defineOptimizer';
import type { Optimizer, StepContext, UpdateResult } from './optimizer';
import { booleanOption, integerOption, numberOption, type OptionSettings } from './optionSchema';
import { planeModel, planeWithHessian, planeWithoutHessian, stepSizesOf, type Penalty, type PlaneModel, type PlaneProducts } from './curveballPlane';
import { curveballDampingDefaults } from '../../shared/curveballDamping';
import { deviceScalars, hostScalars, scalarsOnDevice, type StepScalars } from './stepScalars';

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
export interface CurveBallState<S extends number | tf.Scalar = number> {
  /** The step direction z (one tensor per parameter); zeros at init. */
  z: Params;
  /** Heavy-ball buffer of the interleaved momentum-SGD steps (PyTorch convention); null without interleaving. */
  sgdBuffer: Params | null;
  /** Current damping λ. */
  lambda: S;
  /** Adaptations so far that changed λ (the fit ratio left [lambdaLow, lambdaHigh]). */
  lambdaChanges: S;
  /** Steps taken so far, CurveBall and interleaved together (the λ interval counts both). */
  step: number;
  /** CurveBall steps taken so far (the running averages below are over these). */
  curveballSteps: number;
  /** Running averages of β and ρ, the lr and momentum of the interleaved SGD steps. */
  averageLr: S;
  averageMomentum: S;
}

/**
 * Where a run keeps CurveBall's scalars, chosen at init and kept in the state (a checkpoint's state is
 * restored in the shape init gives it): scalars on the device on webgpu, numbers otherwise (stepScalars).
 */
type AnyCurveBallState = CurveBallState<number> | CurveBallState<tf.Scalar>;

function onDevice(state: AnyCurveBallState): state is CurveBallState<tf.Scalar> {
  return state.lambda instanceof tf.Tensor;
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
  create: (settings): Omit<Optimizer<AnyCurveBallState>, 'name'> => ({
    init: (params): AnyCurveBallState => {
      const buffers = { z: zerosLikeParams(params), sgdBuffer: settings.interleave > 1 ? zerosLikeParams(params) : null, step: 0, curveballSteps: 0 };
      const scalars = { lambda: settings.lambda, lambdaChanges: 0, averageLr: 0, averageMomentum: 0 };
      return scalarsOnDevice() ? { ...buffers, ...mapValues(scalars, (x) => tf.scalar(x)) } : { ...buffers, ...scalars };
    },
    update: (ctx, state, params) =>
      onDevice(state) ? stepWith(ctx, state, params, settings, deviceScalars) : stepWith(ctx, state, params, settings, hostScalars),
  }),
});

/** A CurveBall step, or with interleave > 1 an interleaved SGD step between them, with its scalars where `k` keeps them. */
function stepWith<T extends number | tf.Scalar>(
  ctx: StepContext,
  state: CurveBallState<T>,
  params: Params,
  s: CurveBallOptions,
  k: StepScalars<T>,
): UpdateResult<CurveBallState<T>> {
  return s.interleave > 1 && state.step % s.interleave !== 0 ? interleavedSgdStep(ctx, state, params, s, k) : curveballStep(ctx, state, params, s, k);
}

function mapValues<K extends string, A, B>(record: Record<K, A>, f: (a: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}

/** β = lr and ρ = momentum when both are given, instead of the 2×2 solve. */
function fixedStepSizes(s: CurveBallOptions): { lr: number; momentum: number } | null {
  return s.lr !== undefined && s.momentum !== undefined ? { lr: s.lr, momentum: s.momentum } : null;
}

/** One CurveBall step, with its scalars where `k` keeps them (StepScalars). */
function curveballStep<T extends number | tf.Scalar>(
  ctx: StepContext,
  state: CurveBallState<T>,
  params: Params,
  s: CurveBallOptions,
  k: StepScalars<T>,
): UpdateResult<CurveBallState<T>> {
  const penalty: Penalty | null = s.weightDecay === 0 ? null : { weightDecay: s.weightDecay, params };
  const fixed = fixedStepSizes(s);
  const evaluateFit = s.autoLambda && state.step % s.lambdaInterval === 0;
  const dampingRule = { factor: s.lambdaFactor, low: s.lambdaLow, high: s.lambdaHigh, interval: s.lambdaInterval };
  // Interleaved SGD steps use running means of β and ρ: the plain mean of all CurveBall steps so far
  // while there are fewer than interleaveWindow of them, then an exponential average with rate 1/window.
  const n = state.curveballSteps + 1;
  const gamma = 1 / Math.min(n, s.interleaveWindow);
  // Fetched outside the tidy, so that a context's cached gradient is not disposed with the step's temporaries.
  const gradient = s.hessianTerm ? null : ctx.gradient();

  // The tidy hands on the tensors of the new state and of the trace (on the device, its scalars too).
  const step = tf.tidy(() => {
    const z = state.z;
    const g = ctx.lossGradient;
    const lambda = state.lambda;
    // The penalty's curvature wd·I multiplies z and the plane's Gram matrix exactly as the damping λ does.
    const damping = s.weightDecay === 0 ? lambda : k.add(lambda, k.constant(s.weightDecay));

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

    // The 2×2 model is needed to choose β and ρ, and to predict the loss change when λ is adapted; a step
    // that only chooses β and ρ leaves the model to k (one kernel on the device).
    const plane =
      fixed === null || evaluateFit ? (s.hessianTerm ? planeWithHessian(ctx, z, dz, Jz!, HJz!, penalty) : planeWithoutHessian(gradient!, z, dz, penalty)) : null;
    const model = evaluateFit ? planeModel(k, plane!, damping) : null;
    const [beta, rho]: [T, T] = fixed ? [k.constant(fixed.lr), k.constant(fixed.momentum)] : model ? stepSizesOf(k, model) : k.stepSizes(plane!, damping);
    const { step: zNew, weights } = k.heavyBallStep(rho, z, beta, dz, params);

    const traced: Record<string, T> = { rho, beta, lambda };
    let newLambda = k.copy(lambda);
    let lambdaChanges = k.copy(state.lambdaChanges);
    if (evaluateFit) {
      const newLoss = k.lossAt(ctx, weights ?? addParams(params, zNew));
      const lossChange = k.sub(newLoss, k.loss(ctx));
      const change = penalty ? k.add(lossChange, penaltyChange(k, penalty.weightDecay, model!.plane, beta, rho)) : lossChange;
      const ratio = k.div(change, predictedChange(k, model!, beta, rho, fixed !== null));
      traced.ratio = ratio;
      newLambda = k.adaptLambda(lambda, ratio, dampingRule);
      lambdaChanges = k.add(state.lambdaChanges, k.differs(newLambda, lambda));
    }
    if (s.autoLambda) traced.lambdaChanges = lambdaChanges;
    const newState: CurveBallState<T> = {
      z: zNew,
      sgdBuffer: state.sgdBuffer ? mapParams(state.sgdBuffer, (t) => tf.clone(t)) : null,
      lambda: newLambda,
      lambdaChanges,
      step: state.step + 1,
      curveballSteps: n,
      averageLr: k.mix(1 - gamma, state.averageLr, gamma, beta),
      averageMomentum: k.mix(1 - gamma, state.averageMomentum, gamma, rho),
    };
    return { state: newState, ...k.trace(traced), ...(weights ? { weights } : {}) } as unknown as tf.TensorContainer;
  }) as unknown as Omit<UpdateResult<CurveBallState<T>>, 'updates'>;

  // The step is z itself (w ← w + z): the trainer adds it without a copy, unless k made w + z with it.
  return { updates: step.state.z, ...step };
}

/**
 * (wd/2)·(|w + z'|² − |w|²) = wd·(⟨w, z'⟩ + ½|z'|²): the penalty's change over the step z' = ρz − β·dz,
 * without cancellation, from the plane's products already taken (no further read-back):
 * ⟨w, z'⟩ = ρ⟨w, z⟩ − β⟨w, dz⟩,  |z'|² = ρ²|z|² − 2ρβ⟨dz, z⟩ + β²|dz|².
 */
function penaltyChange<T>(k: StepScalars<T>, weightDecay: number, p: PlaneProducts<T>, beta: T, rho: T): T {
  const wStep = k.sub(k.mul(rho, p.wz), k.mul(beta, p.wdz));
  const rhoRho = k.mul(rho, rho);
  const stepStep = k.add(k.sub(k.mul(rhoRho, p.zz), k.mul(k.mul(k.mul(k.constant(2), rho), beta), p.dzz)), k.mul(k.mul(beta, beta), p.dzdz));
  return k.mul(k.constant(weightDecay), k.add(wStep, k.mul(k.constant(0.5), stepStep)));
}

/**
 * The loss change the model predicts for z_new = ρz − β·dz = −(m0·dz + m1·z) with m = (β, −ρ):
 * −m·b + ½mᵀAm. At the automatic solution m = pinv(A)·b this equals −½m·b (pinv·A·pinv = pinv), the form
 * the reference uses; with fixed β and ρ the general form is needed.
 */
function predictedChange<T>(k: StepScalars<T>, model: PlaneModel<T>, beta: T, rho: T, fixed: boolean): T {
  const m0 = beta;
  const m1 = k.neg(rho);
  const mb = k.add(k.mul(m0, model.b1), k.mul(m1, model.b2));
  if (!fixed) return k.mul(k.constant(-0.5), mb);
  const mAm = k.add(
    k.add(k.mul(k.mul(m0, m0), model.a11), k.mul(k.mul(k.mul(k.constant(2), m0), m1), model.a12)),
    k.mul(k.mul(m1, m1), model.a22),
  );
  return k.add(k.neg(mb), k.mul(k.constant(0.5), mAm));
}

/**
 * Momentum SGD between CurveBall steps (interleave > 1), as in the reference: its own heavy-ball buffer,
 * buf ← ρ̄·buf + ∇F (∇F = ∇L + wd·w), Δw = −β̄·buf, with β̄ and ρ̄ the running averages of the CurveBall
 * steps' β and ρ. z and λ are left as they are. With host numbers the trainer scales the buffer by −β̄ as
 * it adds it; a device β̄ scales it here, since the trainer's scale is a number.
 */
function interleavedSgdStep<T extends number | tf.Scalar>(
  ctx: StepContext,
  state: CurveBallState<T>,
  params: Params,
  s: CurveBallOptions,
  k: StepScalars<T>,
): UpdateResult<CurveBallState<T>> {
  const lr = state.averageLr;
  const momentum = state.averageMomentum;
  const gradient = ctx.gradient(); // outside the tidy: the context may cache it
  const step = tf.tidy(() => {
    const objectiveGradient = s.weightDecay === 0 ? gradient : combineParams(1, gradient, s.weightDecay, params);
    const sgdBuffer = combineParams(momentum, state.sgdBuffer!, 1, objectiveGradient);
    const traced: Record<string, T> = { rho: momentum, beta: lr, lambda: state.lambda };
    if (s.autoLambda) traced.lambdaChanges = state.lambdaChanges;
    const newState: CurveBallState<T> = {
      ...state,
      z: mapParams(state.z, (t) => tf.clone(t)),
      sgdBuffer,
      lambda: k.copy(state.lambda),
      lambdaChanges: k.copy(state.lambdaChanges),
      averageLr: k.copy(lr),
      averageMomentum: k.copy(momentum),
      step: state.step + 1,
    };
    const updates = typeof lr === 'number' ? sgdBuffer : mapParams(sgdBuffer, (t) => tf.mul(t, tf.neg(lr)));
    return { state: newState, updates, ...k.trace(traced) } as unknown as tf.TensorContainer;
  }) as unknown as UpdateResult<CurveBallState<T>>;
  return typeof lr === 'number' ? { ...step, scale: -lr } : step;
}
