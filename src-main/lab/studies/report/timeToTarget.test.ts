import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../../api/labApi';
import { epochPoints, lossCurve, studyData, studyRun } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';
import { timeToTarget } from './timeToTarget';

describe('time to target', () => {
  it('reads a training-loss target off the trailing mean over the window, counting the step that crossed', () => {
    // Losses 3, 2, 1.6, 1.0, 0.5, 0.4 with a window of 3: means 3, 2.5, 2.2, 1.533…, 1.0333…, 0.6333….
    // The raw loss is ≤ 1.2 first at step 3, the window mean at step 4 (the fifth step).
    const run = { lossCurve: lossCurve([3, 2, 1.6, 1.0, 0.5, 0.4], { passes: 3, seconds: 0.5 }), epochs: [] };
    expect(timeToTarget(run, { metric: 'trainLoss', value: 1.2 }, 3)).toEqual({ steps: 5, passes: 15, seconds: 2.5 });
    expect(timeToTarget(run, { metric: 'trainLoss', value: 0.65 }, 3)).toEqual({ steps: 6, passes: 18, seconds: 3 });
    expect(timeToTarget(run, { metric: 'trainLoss', value: 0.6 }, 3)).toBeNull();
    // A window of 1 is the raw loss.
    expect(timeToTarget(run, { metric: 'trainLoss', value: 1.2 }, 1)).toEqual({ steps: 4, passes: 12, seconds: 2 });
  });

  it('weights the points of a downsampled curve by the steps each stands for', () => {
    // Buckets of 4, 2 and 4 steps; a window of 5 steps takes the newest whole buckets until it holds ≥ 5:
    // at the third point, (4·0.5 + 2·1.0) / 6 = 0.666…; at the second, (2·1.0 + 4·2.0) / 6 = 1.666….
    const point = (step: number, value: number, count: number): CurvePoint => ({ step, epoch: 0, seconds: step, passes: 2 * step, value, min: value, max: value, count });
    const run = { lossCurve: [point(1.5, 2.0, 4), point(4.5, 1.0, 2), point(7.5, 0.5, 4)], epochs: [] };
    expect(timeToTarget(run, { metric: 'trainLoss', value: 0.7 }, 5)).toEqual({ steps: 8.5, passes: 15, seconds: 7.5 });
    expect(timeToTarget(run, { metric: 'trainLoss', value: 1.7 }, 5)).toEqual({ steps: 5.5, passes: 9, seconds: 4.5 });
  });

  it('reads a validation-accuracy target at the first epoch end that reaches it', () => {
    // Epoch ends after 10, 20, 30 steps, 3 passes and 0.1 s a step.
    const run = { lossCurve: [], epochs: epochPoints([0.5, 0.9, 0.95], { passes: 3, seconds: 0.1 }, 10) };
    expect(timeToTarget(run, { metric: 'valAccuracy', value: 0.9 }, 20)).toEqual({ steps: 20, passes: 60, seconds: 2 });
    expect(timeToTarget(run, { metric: 'valAccuracy', value: 0.96 }, 20)).toBeNull();
  });

  it('gives each cell the median over seeds, a run that diverged or never reached the target counting as never', () => {
    // Window 1, 1 pass and 1 s a step: seeds reach loss ≤ 1 at steps 2, 4 and 9; the median is 4.
    // SGD: 3 steps, never, and diverged (its curve crosses at step 1, which does not count): median never.
    const curve = (losses: number[]) => lossCurve(losses, { passes: 1, seconds: 1 });
    const run = (runId: number, optimizer: string, seed: number, losses: number[]) => studyRun({ runId, architecture: 'Basic', optimizer, seed, lossCurve: curve(losses) });
    const data = studyData({ seeds: [1, 2, 3], targets: [{ metric: 'trainLoss', value: 1 }] }, [{ label: 'Basic', random: false }], ['CurveBall', 'SGD'], [
      run(1, 'CurveBall', 1, [2, 0.5]),
      run(2, 'CurveBall', 2, [2, 2, 2, 1]),
      run(3, 'CurveBall', 3, [2, 2, 2, 2, 2, 2, 2, 2, 0.9]),
      run(4, 'SGD', 1, [2, 2, 0.5]),
      run(5, 'SGD', 2, [2, 2, 2]),
      { ...run(6, 'SGD', 3, [0.5, 1e20]), status: 'diverged' },
    ]);
    const report = buildStudyReport(data, { trainLossWindow: 1 });
    const [curveBall, sgd] = report.targets[0]!.rows[0]!.cells;
    expect(curveBall).toMatchObject({ runs: 3, reached: 3, median: { steps: 4, passes: 4, seconds: 4 } });
    expect(sgd).toMatchObject({ runs: 3, reached: 1, median: { steps: null, passes: null, seconds: null } });
    // The run list still says when each run's curve crossed.
    expect(report.runs.map((r) => r.targets[0]?.steps ?? null)).toEqual([2, 4, 9, 3, null, 1]);
  });
});
