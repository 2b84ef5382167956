import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { disposeParams, type Params } from '../params';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import type { OptimizerOptions } from './defineOptimizer';
import { createOptimizer, getOptimizerDescriptor, optimizerDescriptors } from './registry';
import { LinearModelStepContext, classificationProblem, randomLinearParams } from './linearModelStepContext.testkit';
import { disposeRun, runSteps } from './trainingLoop.testkit';

const problem = classificationProblem(51, 8, 3, 3, softmaxCrossEntropy);
afterAll(() => problem.dispose());

const variants: [string, OptimizerOptions][] = [
  ...optimizerDescriptors().map(({ name }): [string, OptimizerOptions] => [name, {}]),
  ['momentum', { nesterov: true, weightDecay: 0.01 }],
  ['rmsprop', { momentum: 0.5 }],
  ['adam', { weightDecay: 0.01 }],
  ['curveball', { interleave: 2, lambdaInterval: 2 }],
  ['curveball', { hessianTerm: false }],
  ['curveball', { lr: 0.1, momentum: 0.9 }],
  ['curveball', { lr: 0.1, momentum: 0.9, autoLambda: false, hessianTerm: false, lambda: 0 }],
  ['hessian-free', { autoLambda: false, maxIterations: 3 }],
];

describe('tensor hygiene', () => {
  for (const [name, options] of variants) {
    it(`${name} ${JSON.stringify(options)}: the tensor count stays flat over 15 steps and returns to its start`, () => {
      const init = randomLinearParams(1, 3, 3);
      const before = tf.memory().numTensors;
      const optimizer = createOptimizer(name, options);
      const run = runSteps(optimizer, init, 15, (params: Params, step) => new LinearModelStepContext(problem, params, step));
      // After the first step the live tensors are: init, the current weights and the state.
      expect(new Set(run.tensorCounts.slice(1)).size, `counts ${run.tensorCounts}`).toBe(1);
      for (const trace of run.traces) for (const value of Object.values(trace)) expect(Number.isFinite(value)).toBe(true);
      // The UI lists an optimizer's traces before any run: the declared names must cover what it reports.
      const reported = new Set(run.traces.flatMap((trace) => Object.keys(trace)));
      expect([...reported].filter((n) => !getOptimizerDescriptor(name).traces.includes(n))).toEqual([]);
      disposeRun(run, init);
      expect(tf.memory().numTensors).toBe(before);
      disposeParams(init);
    });
  }
});
