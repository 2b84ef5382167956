import { describe, expect, it } from 'vitest';
import { epochPoints, lossCurve, studyData, studyRun } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';

describe('learning curves', () => {
  it('average each optimizer’s completed seeds on a common step grid and per epoch', () => {
    // Seed 1 has every step, seed 2 a downsampled curve at steps 0, 2 and 4 (linear in between).
    const seed2 = lossCurve([4, 2, 0]).map((p, i) => ({ ...p, step: 2 * i }));
    const data = studyData({ seeds: [1, 2, 3] }, [{ label: 'Basic', random: false }], ['SGD'], [
      studyRun({ runId: 1, architecture: 'Basic', optimizer: 'SGD', seed: 1, lossCurve: lossCurve([2, 2, 2, 2, 2]), epochs: epochPoints([0.5, 0.75]) }),
      studyRun({ runId: 2, architecture: 'Basic', optimizer: 'SGD', seed: 2, lossCurve: seed2, epochs: epochPoints([0.25, 0.5]) }),
      { ...studyRun({ runId: 3, architecture: 'Basic', optimizer: 'SGD', seed: 3, lossCurve: lossCurve([1e9, NaN]) }), status: 'diverged' },
    ]);
    const curves = buildStudyReport(data, { curveGridSize: 3 }).curves[0]!;
    // Grid 0, 2, 4: means (2 + 4)/2, (2 + 2)/2, (2 + 0)/2.
    expect(curves.trainLoss).toEqual([{ optimizer: 'SGD', lr: null, runs: 2, points: [{ x: 0, y: 3 }, { x: 2, y: 2 }, { x: 4, y: 1 }] }]);
    // Validation error %: epoch 0 (2 steps) (50 + 75)/2; epoch 1 (4 steps) (25 + 50)/2.
    expect(curves.validation[0]!.points).toEqual([{ x: 2, y: 62.5 }, { x: 4, y: 37.5 }]);
    // With a grid finer than the steps, every step is a grid point: step 1 is interpolated for seed 2.
    expect(buildStudyReport(data).curves[0]!.trainLoss[0]!.points.map((p) => p.y)).toEqual([3, 2.5, 2, 1.5, 1]);
  });

  it('leave out grid steps that some seed’s curve does not reach', () => {
    const data = studyData({ seeds: [1, 2] }, [{ label: 'Basic', random: false }], ['SGD'], [
      studyRun({ runId: 1, architecture: 'Basic', optimizer: 'SGD', seed: 1, lossCurve: lossCurve([2, 2, 2, 2]) }),
      studyRun({ runId: 2, architecture: 'Basic', optimizer: 'SGD', seed: 2, lossCurve: lossCurve([4, 4]) }),
    ]);
    expect(buildStudyReport(data).curves[0]!.trainLoss[0]!.points).toEqual([{ x: 0, y: 3 }, { x: 1, y: 3 }]);
  });
});
