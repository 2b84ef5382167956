import { tf } from '../tf';
import { addParams, combineParams, scaleParams, zerosLikeParams, type Params } from '../params';
import { conjugateGradient } from './conjugateGradient';
import { defineOptimizer } from './defineOptimizer';
import { readInnerProducts } from './innerProducts';
import type { Optimizer, Trace } from './optimizer';
import { booleanOption, integerOption, numberOption } from './optionSchema';

/**
 * Hessian-free optimisation (Martens 2010), simplified to the baseline of the CurveBall paper: each step
 * solves the damped Gauss-Newton system (JᵀH_L·J + λI)·z = −∇L on the current batch by conjugate
 * gradient, warm-started from the previous solution times a decay, and takes w ← w + lr·z. λ follows
 * Levenberg-Marquardt: ρ_LM = (L(w + s) − L(w)) / q(s) for the step s = lr·z, where
 * q(s) = ∇Lᵀs + ½ sᵀ(JᵀH_L·J)s is the *undamped* Gauss-Newton model (as Martens), so on an exactly
 * quadratic loss ρ_LM = 1; ρ_LM < ¼ → λ ← 3/2·λ, ρ_LM > ¾ → λ ← 2/3·λ.
 */
export interface HessianFreeState {
  /** The previous CG solution z (not scaled by lr); zeros at init. */
  previousSolution: Params;
  lambda: number;
  step: number;
}

export const hessianFreeDefinition = defineOptimizer({
  name: 'hessian-free',
  description: 'Hessian-free: per step, CG on the damped Gauss-Newton system with Levenberg-Marquardt damping',
  traces: ['cgIterations', 'lambda', 'residual', 'ratio'],
  // CG's step sizes, its stopping test and the damping rule are numbers on the host, read every iteration.
  readsEachStep: true,
  options: {
    lr: numberOption({ default: 1, description: 'scale of the CG solution taken as the step', min: 0 }),
    lambda: numberOption({ default: 1, description: 'initial damping λ', min: 0 }),
    autoLambda: booleanOption({ default: true, description: 'adapt λ by the Levenberg-Marquardt rule (costs one forward pass per step)' }),
    maxIterations: integerOption({ default: 10, description: 'CG iterations per step at most (each: one JVP and one VJP)', min: 1 }),
    tolerance: numberOption({ default: 1e-3, description: 'CG stops at this relative residual |r|/|g|', min: 0 }),
    warmStartDecay: numberOption({ default: 0.95, description: 'CG starts from the previous solution times this', min: 0, max: 1 }),
  },
  create: (s): Omit<Optimizer<HessianFreeState>, 'name'> => ({
    init: (params) => ({ previousSolution: zerosLikeParams(params), lambda: s.lambda, step: 0 }),
    update(ctx, state, params) {
      const lambda = state.lambda;
      const gradient = ctx.gradient();
      // (JᵀH_L·J + λI)·v: one JVP and one VJP per product.
      const applyDampedGaussNewton = (v: Params): Params =>
        tf.tidy(() => combineParams(1, ctx.vjp(ctx.lossHessianVector(ctx.jvp(v))), lambda, v));
      const negativeGradient = tf.tidy(() => scaleParams(gradient, -1));
      const warmStart = tf.tidy(() => scaleParams(state.previousSolution, s.warmStartDecay));
      const cg = conjugateGradient(applyDampedGaussNewton, negativeGradient, warmStart, {
        maxIterations: s.maxIterations,
        tolerance: s.tolerance,
      });
      tf.dispose([negativeGradient, warmStart]);

      const updates = tf.tidy(() => scaleParams(cg.x, s.lr));
      const trace: Trace = { cgIterations: cg.iterations, lambda, residual: cg.relativeResidual };
      let newLambda = lambda;
      if (s.autoLambda) {
        const ratio = tf.tidy(() => {
          const Jz = ctx.jvp(cg.x);
          const d = readInnerProducts({ gz: [gradient, cg.x], zGz: [Jz, ctx.lossHessianVector(Jz)] });
          const predicted = s.lr * d.gz + 0.5 * s.lr * s.lr * d.zGz;
          return (ctx.lossAt(addParams(params, updates)) - ctx.loss) / predicted;
        });
        trace.ratio = ratio;
        if (ratio < 0.25) newLambda = lambda * 1.5;
        if (ratio > 0.75) newLambda = (lambda * 2) / 3;
      }
      return { updates, state: { previousSolution: cg.x, lambda: newLambda, step: state.step + 1 }, trace };
    },
  }),
});

