/**
 * Test support (imported only by *.test.ts): whole-model checks. The JVP in a parameter direction against
 * central differences of forward, and the VJP against the JVP by the adjoint identity; and one CurveBall
 * training step through the same step context the trainer uses.
 */
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { createOptimizer } from '../optim/registry';
import { tensorsIn } from '../optim/tensorsIn';
import { addScaledParams } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { NetworkStepContext } from '../train/networkStepContext';
import { PassCounter } from '../train/passCounter';
import { centralDifference, distinctValues, dot, dotParams, randomParams, randomTensor, read, relativeError, relativeGap } from './derivativeChecks.testkit';
import type { ModelState } from './layer';
import { trainContext, type DropoutMaskSource } from './layerContexts';
import { Model } from './model';
import { product } from './shapes';
import type { ModelSpec } from '../../shared/modelSpec';

export interface ModelCase {
  name: string;
  spec: ModelSpec;
  batch: number;
  /** Finite-difference step: small where many ReLU and max-pool kinks could be crossed. */
  eps: number;
}

/** Keep-masks drawn once per dropout layer from `seed`: every pass gets the same, as in one training step. */
export function stepDropoutMasks(seed: number): DropoutMaskSource {
  const masks = new Map<string, tf.Tensor>();
  return (layerName, shape, rate) => {
    let mask = masks.get(layerName);
    if (!mask) {
      const rng = Rng.derive(seed, `dropout/${layerName}`);
      mask = tf.tensor(Float32Array.from({ length: product(shape) }, () => (rng.uniform() >= rate ? 1 : 0)), shape);
      masks.set(layerName, mask);
    }
    return mask;
  };
}

/**
 * JVP of the model in a random parameter direction against central differences of forward, and the VJP
 * of a random output cotangent against it by <u, J·v> = <Jᵀ·u, v>. Train mode: batch statistics, and the
 * same dropout masks in every pass.
 */
export function modelDerivativeErrors(c: ModelCase, seed: number): { finiteDifference: number; adjoint: number; jvpNorm: number } {
  return tf.tidy(() => {
    const model = Model.fromSpec(c.spec);
    const rng = new Rng(seed);
    const ctx = trainContext(model.initState(), null, stepDropoutMasks(seed));
    const x = c.spec.inputShape.length === 3 ? distinctValues(rng, [c.batch, ...model.inputShape], 0.02) : randomTensor(rng, [c.batch, ...model.inputShape]);
    const params = randomParams(rng, model.params);
    const direction = randomParams(rng, model.params, 0.3);

    const { y, cache } = model.forward(x, params, ctx);
    const jv = model.jvp(cache, direction);
    const fd = centralDifference((xs, ps) => model.forward(xs, ps, ctx).y, x, params, null, direction, c.eps);

    const u = randomTensor(rng, y.shape);
    const grads = model.vjp(cache, u);
    return {
      finiteDifference: relativeError(fd, jv),
      adjoint: relativeGap(dot(u, jv), dotParams(grads, direction)),
      jvpNorm: Math.sqrt(dot(jv, jv)),
    };
  });
}

export interface StepOutcome {
  /** The batch loss before the update. */
  loss: number;
  /** The largest |change| of any weight. */
  largestChange: number;
  trace: Record<string, number>;
  /** Tensors alive after the step and the disposal of everything it returned, less those alive before. */
  leakedTensors: number;
}

/**
 * One CurveBall step (default options) of a classifier on a random batch with random labels, as the
 * trainer takes it: initial weights from `init`, batch statistics recorded, dropout masks shared by the
 * step's passes, w ← w + updates.
 */
export function curveballStep(model: Model, batch: number, seed: number, init: 'default' | 'he' = 'default'): StepOutcome {
  const before = tf.memory().numTensors;
  const rng = new Rng(seed);
  const x = randomTensor(rng, [batch, ...model.inputShape]);
  const targets = tf.tensor1d(Array.from({ length: batch }, () => rng.int(model.outputShape[0])), 'int32');
  const params = model.initParams(seed, init);
  const modelState = model.initState();
  const optimizer = createOptimizer('curveball');
  const optimizerState = optimizer.init(params, { totalSteps: 1, stepsPerEpoch: 1 });

  const stateUpdates: ModelState = {};
  const outcome = tidyValue(() => {
    const masks = stepDropoutMasks(seed);
    const ctx = new NetworkStepContext(0, model, params, x, targets, softmaxCrossEntropy, trainContext(modelState, stateUpdates, masks), trainContext(modelState, null, masks), new PassCounter());
    const result = optimizer.update(ctx, optimizerState, params);
    const updated = addScaledParams(params, result.scale ?? 1, result.updates);
    ctx.dispose();
    let largestChange = 0;
    for (const name of Object.keys(params)) {
      const change = read(tf.sub(updated[name], params[name]));
      for (const v of change) largestChange = Math.max(largestChange, Math.abs(v));
    }
    // What a step hands on: the new weights, the optimizer's state and the new running statistics.
    const kept = [...Object.values(updated), ...tensorsIn(result.state), ...Object.values(stateUpdates)];
    for (const t of kept) tf.keep(t);
    return { loss: ctx.loss, largestChange, trace: result.trace, kept };
  });
  tf.dispose([...outcome.kept, x, targets, ...Object.values(params), ...Object.values(modelState), ...tensorsIn(optimizerState)]);
  return { loss: outcome.loss, largestChange: outcome.largestChange, trace: outcome.trace, leakedTensors: tf.memory().numTensors - before };
}
