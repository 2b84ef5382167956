/**
 * Test support: a StepContext that knows only a given gradient, for checking first-order optimizers
 * against hand-computed updates. Anything else an optimizer asks for is a test failure.
 */
import { tf } from '../tf';
import type { Params } from '../params';
import type { Optimizer, RunShape, StepContext, Trace } from './optimizer';
import { tensorsIn } from './tensorsIn';

export function gradientStepContext(step: number, gradient: Record<string, number[]>): StepContext & { dispose(): void } {
  const tensors: Params = {};
  for (const [k, values] of Object.entries(gradient)) tensors[k] = tf.keep(tf.tensor1d(values));
  const unavailable = (what: string) => (): never => {
    throw new Error(`a first-order optimizer asked for ${what}`);
  };
  return {
    step,
    loss: 0,
    get outputs(): tf.Tensor {
      return unavailable('outputs')();
    },
    get lossGradient(): tf.Tensor {
      return unavailable('lossGradient')();
    },
    gradient: () => tensors,
    jvp: unavailable('jvp'),
    vjp: unavailable('vjp'),
    lossHessianVector: unavailable('lossHessianVector'),
    lossAt: unavailable('lossAt'),
    lossScalar: unavailable('lossScalar'),
    lossScalarAt: unavailable('lossScalarAt'),
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}

/**
 * Runs an optimizer on one parameter vector "w" (held fixed: the updates are returned, not applied) for
 * one step per given gradient, in a run of that many steps (one epoch unless told), and returns each
 * step's update Δw. Disposes everything it creates.
 */
export function updatesForGradients(optimizer: Optimizer, weights: number[], gradients: number[][]): number[][] {
  return stepsForGradients(optimizer, weights, gradients).updates;
}

/** updatesForGradients with each step's trace. */
export function stepsForGradients(
  optimizer: Optimizer,
  weights: number[],
  gradients: number[][],
  run: RunShape = { totalSteps: gradients.length, stepsPerEpoch: gradients.length },
): { updates: number[][]; traces: Trace[] } {
  const params: Params = { w: tf.tensor1d(weights) };
  let state = optimizer.init(params, run);
  const traces: Trace[] = [];
  const updates = gradients.map((g, step) => {
    const ctx = gradientStepContext(step, { w: g });
    const result = optimizer.update(ctx, state, params);
    const values = Array.from(result.updates.w.dataSync(), (u) => u * (result.scale ?? 1));
    const kept = new Set(tensorsIn(result.state));
    tf.dispose([...Object.values(result.updates).filter((t) => !kept.has(t)), ...tensorsIn(state)]);
    ctx.dispose();
    state = result.state;
    traces.push(result.trace);
    return values;
  });
  tf.dispose([...tensorsIn(state), params.w]);
  return { updates, traces };
}

export function expectVectorsClose(actual: number[][], expected: number[][], tolerance: number): void {
  expected.forEach((row, i) =>
    row.forEach((e, j) => {
      const a = actual[i]?.[j];
      if (a === undefined || !(Math.abs(a - e) <= tolerance)) {
        throw new Error(`step ${i}, entry ${j}: got ${a}, expected ${e} (tolerance ${tolerance})`);
      }
    }),
  );
}
