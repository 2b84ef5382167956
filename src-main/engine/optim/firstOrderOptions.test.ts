import { describe, expect, it } from 'vitest';
import { createOptimizer } from './registry';
import { expectVectorsClose, stepsForGradients } from './gradientStepContext.testkit';

const gradients = [[1, -2], [0.5, 1], [-1, 0], [2, 0.5], [0.3, -0.7]];
const weights = [2, -1];
const run = { totalSteps: gradients.length, stepsPerEpoch: 2 };

/** Each first-order optimizer with settings that make every part of its chain matter. */
const optimizers: [string, Record<string, number | boolean>][] = [
  ['sgd', { lr: 0.1, weightDecay: 0.05 }],
  ['momentum', { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.05 }],
  ['adam', { lr: 0.01, weightDecay: 0.05 }],
  ['adamw', { lr: 0.01, weightDecay: 0.1 }],
  ['rmsprop', { lr: 0.01, momentum: 0.5, weightDecay: 0.05 }],
  ['adagrad', { lr: 0.1, initialAccumulator: 0.1 }],
];

describe('learning-rate schedules of the first-order optimizers', () => {
  it.each(optimizers)('%s: a cosine schedule scales each step by ½(1 + cos(π·t/T)) and reports the rate it used', (name, options) => {
    const lr = options.lr as number;
    const constant = stepsForGradients(createOptimizer(name, options), weights, gradients, run);
    const cosine = stepsForGradients(createOptimizer(name, { ...options, lrSchedule: 'cosine' }), weights, gradients, run);
    const factors = gradients.map((_, t) => 0.5 * (1 + Math.cos((Math.PI * t) / gradients.length)));
    expectVectorsClose(cosine.updates, constant.updates.map((u, t) => u.map((x) => factors[t] * x)), 1e-7);
    cosine.traces.forEach((trace, t) => expect(trace.lr).toBeCloseTo(lr * factors[t], 12));
    // The rest of the trace (the fixed settings) is as without a schedule.
    cosine.traces.forEach((trace, t) => expect({ ...trace, lr: 0 }).toEqual({ ...constant.traces[t], lr: 0 }));
    constant.traces.forEach((trace) => expect(trace.lr).toBe(lr));
  });

  it('sgd with a step schedule: ×0.5 at every epoch boundary (hand-computed)', () => {
    const optimizer = createOptimizer('sgd', { lr: 0.1, lrSchedule: 'step', lrStepEpochs: 1, lrStepFactor: 0.5 });
    const { updates, traces } = stepsForGradients(optimizer, weights, gradients, run);
    // Two steps an epoch: lr 0.1, 0.1, 0.05, 0.05, 0.025
    expect(traces.map((t) => t.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expectVectorsClose(updates, [[-0.1, 0.2], [-0.05, -0.1], [0.05, 0], [-0.1, -0.025], [-0.0075, 0.0175]], 1e-8);
  });

  it('momentum with a step schedule every two epochs: the buffer is untouched, only the step is scaled (hand-computed)', () => {
    const optimizer = createOptimizer('momentum', { lr: 0.1, momentum: 0.5, lrSchedule: 'step', lrStepEpochs: 2, lrStepFactor: 0.1 });
    const { updates, traces } = stepsForGradients(optimizer, [0, 0], gradients, run);
    // buf: [1, −2] → [1, 0] → [−0.5, 0] → [1.75, 0.5] → [1.175, −0.45]; lr 0.1 for steps 0–3, then 0.01
    expect(traces.map((t) => t.lr)).toEqual([0.1, 0.1, 0.1, 0.1, expect.closeTo(0.01, 15)]);
    expectVectorsClose(updates, [[-0.1, 0.2], [-0.1, 0], [0.05, 0], [-0.175, -0.05], [-0.01175, 0.0045]], 1e-8);
  });
});
