import { expect, test } from 'vitest';
import { makeStudyRun } from '../lab/fakeLabClient.testkit';
import { studyGrid } from './studyGrid';

test("rows and columns in the runs' order; each cell its runs and their statuses", () => {
  const runs = [
    makeStudyRun({ architecture: 'linear', optimizer: 'sgd', seed: 0 }, { id: 11, trainEvalAccuracy: 0.9, valAccuracy: 0.88 }),
    makeStudyRun({ architecture: 'linear', optimizer: 'sgd', seed: 1 }, { id: 12, trainEvalAccuracy: 0.8, valAccuracy: 0.86 }),
    makeStudyRun({ architecture: 'linear', optimizer: 'curveball', seed: 0 }, { id: 13, status: 'diverged', error: 'loss 1e19 > 1000 × 2.3 at step 7' }),
    makeStudyRun({ architecture: 'linear', optimizer: 'curveball', seed: 1 }, { id: 14, trainEvalAccuracy: 0.95, valAccuracy: 0.9 }),
    makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', seed: 0 }, { id: 15, status: 'running' }),
  ];
  // Given out of order: the grid follows run ids (the study's expansion order).
  const grid = studyGrid([runs[4]!, runs[2]!, runs[0]!, runs[3]!, runs[1]!]);
  expect(grid.architectures).toEqual(['linear', 'mlp']);
  expect(grid.optimizers).toEqual(['sgd', 'curveball']);
  const [linearSgd, linearCurveBall] = grid.cells[0]!;
  expect(linearSgd).toEqual({ architecture: 'linear', optimizer: 'sgd', runIds: [11, 12], counts: { completed: 2 } });
  expect(linearCurveBall).toEqual({ architecture: 'linear', optimizer: 'curveball', runIds: [13, 14], counts: { diverged: 1, completed: 1 } });
  expect(grid.cells[1]![0]).toEqual({ architecture: 'mlp', optimizer: 'sgd', runIds: [15], counts: { running: 1 } });
  // mlp × curveball has no runs (yet): no cell.
  expect(grid.cells[1]![1]).toBeNull();
});

test('a cell with an lr grid holds the runs of every value (the report picks one)', () => {
  const grid = studyGrid([
    makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', lr: 0.1 }, { id: 1, valAccuracy: 0.9 }),
    makeStudyRun({ architecture: 'mlp', optimizer: 'sgd', lr: 0.01 }, { id: 2, status: 'interrupted' }),
  ]);
  expect(grid.cells).toEqual([[{ architecture: 'mlp', optimizer: 'sgd', runIds: [1, 2], counts: { completed: 1, interrupted: 1 } }]]);
});
