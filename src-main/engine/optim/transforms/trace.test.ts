import { describe, it } from 'vitest';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { trace } from './trace';
import { transformOutputs } from './transformOutputs.testkit';

// Handed over with the lazy factor 2: the effective updates are [2, −4], [1, 2], [−2, 0].
const updates = [[1, -2], [0.5, 1], [-1, 0]];

describe('trace', () => {
  it('heavy ball: buf ← 0.9·buf + u, out = buf (hand-computed)', () => {
    // buf: [2, −4] → [2.8, −1.6] → [0.52, −1.44]
    expectVectorsClose(transformOutputs(trace(0.9), [0, 0], updates, 2), [[2, -4], [2.8, -1.6], [0.52, -1.44]], 1e-6);
  });

  it('nesterov: out = u + 0.9·buf (hand-computed)', () => {
    // [2, −4] + 0.9·[2, −4]; [1, 2] + 0.9·[2.8, −1.6]; [−2, 0] + 0.9·[0.52, −1.44]
    const expected = [[3.8, -7.6], [3.52, 0.56], [-1.532, -1.296]];
    expectVectorsClose(transformOutputs(trace(0.9, true), [0, 0], updates, 2), expected, 1e-6);
  });
});
