import { describe, expect, test } from 'vitest';
import { makeStudyRun } from '../lab/fakeLabClient.testkit';
import { countStatuses, finishedCount, statusCountsText, studyGrid } from './studyGrid';

describe('studyGrid', () => {
  test("rows and columns in the runs' order; each cell its runs, their statuses and mean final errors", () => {
    const runs = [
      makeStudyRun({ architecture: 'linear', optimizer: 'sgd', seed: 0 }, { id: 11, trainEvalAccuracy: 0.9, valAccuracy: 0.88 }),
      makeStudyRun({ architecture: 'linear', optimizer: 'sgd', seed: 1 }, { id: 12, trainEvalAccuracy: 0.8, valAccuracy: 0.86 }),
      makeStudyRun({ architecture: 'linear', optimizer: 'curveball', seed: 0 }, { id: 13, status: 'diverged', error: 'loss 1e19 > 1000 × 2.3 at step 7' }),
      makeStudyRun({ architecture: 'linear', optimizer: 'curveball', seed: 1 }, { id: 14, trainEvalAccuracy: 0.95, valAccuracy: 0.9 }),
      makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', seed: 0 }, { id: 15, status: 'running' }),
    ];
    // Given out of order: the grid follows run ids (the study's expansion order).
    const grid = studyGrid([runs[4]!, runs[2]!, runs[0]!, runs[3]!, runs[1]!]);
    expect(grid.unit).toBe('error %');
    expect(grid.architectures).toEqual(['linear', 'mlp']);
    expect(grid.optimizers).toEqual(['sgd', 'curveball']);
    const [linearSgd, linearCurveBall] = grid.cells[0]!;
    expect(linearSgd).toEqual({
      architecture: 'linear',
      optimizer: 'sgd',
      runIds: [11, 12],
      counts: { completed: 2 },
      lrs: [],
      // train error: mean of 10% and 20%; validation: mean of 12% and 14%.
      result: { train: expect.closeTo(15, 10), val: expect.closeTo(13, 10), completed: 2 },
    });
    // The diverged run counts, and is left out of the means.
    expect(linearCurveBall).toMatchObject({ runIds: [13, 14], counts: { diverged: 1, completed: 1 }, result: { train: expect.closeTo(5, 10), val: expect.closeTo(10, 10), completed: 1 } });
    expect(grid.cells[1]![0]).toMatchObject({ runIds: [15], counts: { running: 1 }, result: { train: null, val: null, completed: 0 } });
    // mlp × curveball has no runs (yet): no cell.
    expect(grid.cells[1]![1]).toBeNull();
  });

  test('a cell with an lr grid lists its values and gives no mean (the report chooses one lr)', () => {
    const grid = studyGrid([
      makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', lr: 0.1 }, { id: 1, valAccuracy: 0.9 }),
      makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', lr: 0.01 }, { id: 2, valAccuracy: 0.5 }),
    ]);
    expect(grid.cells[0]![0]).toMatchObject({ lrs: [0.01, 0.1], result: null });
  });

  test('without accuracies (regression) the cells give the final losses', () => {
    const grid = studyGrid([
      makeStudyRun({ architecture: 'mlp', optimizer: 'adam', seed: 0 }, { id: 1, trainEvalLoss: 0.5, valLoss: 0.75 }),
      makeStudyRun({ architecture: 'mlp', optimizer: 'adam', seed: 1 }, { id: 2, trainEvalLoss: 0.25, valLoss: 0.25 }),
    ]);
    expect(grid.unit).toBe('loss');
    expect(grid.cells[0]![0]!.result).toEqual({ train: 0.375, val: 0.5, completed: 2 });
  });
});

test('before any run has a number the unit is not known yet', () => {
  const grid = studyGrid([makeStudyRun({ architecture: 'mlp', optimizer: 'adam' }, { id: 1, status: 'queued' })]);
  expect(grid.unit).toBeNull();
  expect(grid.cells[0]![0]!.result).toEqual({ train: null, val: null, completed: 0 });
});

describe('status counts', () => {
  test('in words: going first, then completed, then the failures; empty statuses left out', () => {
    expect(statusCountsText({ failed: 1, completed: 3, queued: 2, diverged: 1, cancelled: 0 })).toBe('2 queued · 3 completed · 1 diverged · 1 failed');
    expect(statusCountsText({})).toBe('');
  });

  test('counted from runs, and the finished ones summed', () => {
    const counts = countStatuses([
      makeStudyRun({ architecture: 'a', optimizer: 'o' }, { status: 'running' }),
      makeStudyRun({ architecture: 'a', optimizer: 'o' }, { status: 'completed' }),
      makeStudyRun({ architecture: 'a', optimizer: 'o' }, { status: 'diverged' }),
      makeStudyRun({ architecture: 'a', optimizer: 'o' }, { status: 'queued' }),
      makeStudyRun({ architecture: 'a', optimizer: 'o' }, { status: 'completed' }),
    ]);
    expect(counts).toEqual({ running: 1, completed: 2, diverged: 1, queued: 1 });
    expect(finishedCount(counts)).toBe(3);
    expect(finishedCount({ failed: 2, cancelled: 1, interrupted: 1, running: 4 })).toBe(4);
  });
});
