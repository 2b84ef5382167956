import { afterAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { tf } from '../tf';
import type { OptimizerOptions } from './defineOptimizer';
import { classificationProblem, LinearModelStepContext, randomLinearParams } from './linearModelStepContext.testkit';
import { getOptimizerState, setOptimizerState } from './optimizerStateRecord';
import { createOptimizer, optimizerDescriptors } from './registry';
import { tensorsIn } from './tensorsIn';
import { disposeRun, flatten, runSteps } from './trainingLoop.testkit';

const problem = classificationProblem(5, 12, 4, 3, softmaxCrossEntropy);
afterAll(() => problem.dispose());
const run = { totalSteps: 20, stepsPerEpoch: 5 };

/** Every optimizer with its defaults, and the settings that give a state more parts (schedules, interleaving, Nesterov). */
const cases: [string, OptimizerOptions][] = [
  ...optimizerDescriptors().map((d): [string, OptimizerOptions] => [d.name, {}]),
  ['curveball', { interleave: 2, lambdaInterval: 2 }],
  ['momentum', { nesterov: true, weightDecay: 0.01, lrSchedule: 'cosine' }],
  ['adam', { lrSchedule: 'step', lrStepEpochs: 1 }],
];

describe('getOptimizerState / setOptimizerState', () => {
  it.each(cases)('%s %j: a state saved (through JSON) and set again takes the same next step, bit for bit', (name, options) => {
    const init = randomLinearParams(9, 4, 3);
    const optimizer = createOptimizer(name, options);
    const trained = runSteps(optimizer, init, 5, (params, step) => new LinearModelStepContext(problem, params, step), run);
    const record = getOptimizerState(trained.state);
    const saved = JSON.parse(JSON.stringify(record.skeleton)) as unknown;
    const restored = setOptimizerState(createOptimizer(name, options), trained.params, run, { tensors: record.tensors, skeleton: saved });

    const next = (state: unknown) => {
      const ctx = new LinearModelStepContext(problem, trained.params, 5);
      const result = optimizer.update(ctx, state, trained.params);
      const step = { updates: flatten(result.updates), scale: result.scale ?? 1, trace: result.trace, state: getOptimizerState(result.state) };
      tf.dispose(Object.values(result.updates));
      tf.dispose(tensorsIn(result.state));
      ctx.dispose();
      return step;
    };
    const expected = next(trained.state);
    expect(next(restored)).toEqual(expected);
    tf.dispose(tensorsIn(restored));
    disposeRun(trained, init);
    tf.dispose(Object.values(init));
  });

  it("refuses another optimizer's state, or one for other parameters, saying where it differs", () => {
    const params = randomLinearParams(9, 4, 3);
    const adam = createOptimizer('adam');
    const adamState = adam.init(params, run);
    const record = getOptimizerState(adamState);
    expect(() => setOptimizerState(createOptimizer('momentum'), params, run, record)).toThrow(/momentum state does not fit this run at "1": expected the fields buffer/);
    const wider = randomLinearParams(9, 5, 3);
    expect(() => setOptimizerState(adam, wider, run, record)).toThrow(/adam state does not fit this run at "1\/m\/dense\/kernel": expected shape \[5, 3\], not \[4, 3\]/);
    const before = tf.memory().numTensors;
    expect(() => setOptimizerState(adam, wider, run, record)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...tensorsIn(adamState), ...Object.values(params), ...Object.values(wider)]);
  });
});
