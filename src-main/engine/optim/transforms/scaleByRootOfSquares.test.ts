import { describe, it } from 'vitest';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { scaleByRms, scaleByRss } from './scaleByRootOfSquares';
import { transformOutputs } from './transformOutputs.testkit';

// Handed over with the lazy factor 2: the effective updates are [2, −4], then [1, 2].
const updates = [[1, -2], [0.5, 1]];
const effective = updates.map((u) => u.map((x) => 2 * x));

/** effective/(√squares + 0.1), entry by entry. */
const expectedFor = (squares: number[][]): number[][] => effective.map((u, i) => u.map((x, j) => x / (Math.sqrt(squares[i][j]) + 0.1)));

describe('scaleByRms', () => {
  it('gives u/(√v + ε) with v ← αv + (1−α)u² (hand-computed)', () => {
    // v = 0.1·[4, 16] = [0.4, 1.6], then 0.9·v + 0.1·[1, 4] = [0.46, 1.84]
    expectVectorsClose(transformOutputs(scaleByRms(0.9, 0.1), [0, 0], updates, 2), expectedFor([[0.4, 1.6], [0.46, 1.84]]), 1e-6);
  });
});

describe('scaleByRss', () => {
  it('gives u/(√s + ε) with s ← s + u² from the initial accumulator (hand-computed)', () => {
    // s = 3 + [4, 16] = [7, 19], then + [1, 4] = [8, 23]
    expectVectorsClose(transformOutputs(scaleByRss(3, 0.1), [0, 0], updates, 2), expectedFor([[7, 19], [8, 23]]), 1e-6);
  });
});
