/**
 * Test support: the step loop the trainer will run, with its tensor ownership — w ← w + updates, the
 * new state kept and the old state, the updates, the old weights and the step's context disposed.
 */
import { tf } from '../tf';
import { addScaledParams, disposeParams, type Params } from '../params';
import type { Optimizer, RunShape, StepContext, Trace } from './optimizer';
import { tensorsIn } from './tensorsIn';
import { LinearModelStepContext } from './linearModelStepContext.testkit';

export interface TrainingRun<S> {
  /** Weights after the last step (the caller disposes them with disposeRun). */
  params: Params;
  state: S;
  traces: Trace[];
  /** All weights, flattened in key order, after each step. */
  trajectory: number[][];
  /** tf.memory().numTensors after each step. */
  tensorCounts: number[];
}

export function runSteps<S>(
  optimizer: Optimizer<S>,
  initialParams: Params,
  steps: number,
  contextFor: (params: Params, step: number) => StepContext & { dispose(): void },
  run: RunShape = { totalSteps: steps, stepsPerEpoch: steps },
): TrainingRun<S> {
  let params = initialParams;
  let state = optimizer.init(params, run);
  const traces: Trace[] = [];
  const trajectory: number[][] = [];
  const tensorCounts: number[] = [];
  for (let step = 0; step < steps; step++) {
    const ctx = contextFor(params, step);
    const result = optimizer.update(ctx, state, params);
    if (ctx instanceof LinearModelStepContext && !ctx.cachedGradientIntact()) {
      throw new Error(`step ${step}: the optimizer disposed the context's cached gradient`);
    }
    const newParams = addScaledParams(params, result.scale ?? 1, result.updates);
    const kept = new Set(tensorsIn(result.state));
    tf.dispose(Object.values(result.updates).filter((t) => !kept.has(t)));
    tf.dispose(tensorsIn(state));
    if (params !== initialParams) disposeParams(params);
    ctx.dispose();
    params = newParams;
    state = result.state;
    traces.push(result.trace);
    trajectory.push(flatten(params));
    tensorCounts.push(tf.memory().numTensors);
  }
  return { params, state, traces, trajectory, tensorCounts };
}

export function disposeRun<S>(run: TrainingRun<S>, initialParams: Params): void {
  tf.dispose(tensorsIn(run.state));
  if (run.params !== initialParams) disposeParams(run.params);
}

export function flatten(params: Params): number[] {
  return Object.keys(params).flatMap((k) => Array.from(params[k].dataSync()));
}
