import { describe, expect, test } from 'vitest';
import { makeRun } from '../lab/fakeLabClient.testkit';
import { leaderboardMetrics, leaderboardRows } from './leaderboard';

describe('leaderboardRows', () => {
  // Runs from three experiments; run 4 has no validation yet.
  const runs = [
    makeRun({ id: 1, experimentId: 1, bestValAccuracy: 0.91, bestValLoss: 0.3 }),
    makeRun({ id: 2, experimentId: 2, bestValAccuracy: 0.97, bestValLoss: 0.12 }),
    makeRun({ id: 3, experimentId: 3, bestValAccuracy: 0.95, bestValLoss: 0.1 }),
    makeRun({ id: 4, experimentId: 3, status: 'running' }),
  ];
  const ranked = (metric: string) => {
    const sort = leaderboardMetrics.find((m) => m.metric === metric)!.sort;
    return leaderboardRows(runs, sort, 0).map((r) => [r.run.id, r.rank]);
  };

  test('by best validation error: lowest error (highest accuracy) first, across experiments, unmeasured last', () => {
    // Errors: 0.09, 0.03, 0.05.
    expect(ranked('error')).toEqual([
      [2, 1],
      [3, 2],
      [1, 3],
      [4, null],
    ]);
  });

  test('by best validation loss: lowest first', () => {
    expect(ranked('loss')).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
      [4, null],
    ]);
  });
});
