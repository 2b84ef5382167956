import { describe, expect, it } from 'vitest';
import { accuracyRun, studyData, studyRun } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';
import type { StudyRunData } from './studyData';

const at = (runId: number, architecture: string, optimizer: string, seed: number, lr: number | null = null) => ({ runId, architecture, optimizer, seed, lr });

describe('the study table', () => {
  it('reports mean ± sample sd of the errors over seeds and marks the row’s lowest validation error', () => {
    // CurveBall: train errors 10, 8, 6 (mean 8, sd 2), validation 20, 19, 18 (mean 19, sd 1).
    // Adam: validation 25, 27 (mean 26, sd √2): worse, not marked.
    const data = studyData({ seeds: [1, 2, 3] }, [{ label: 'Basic', random: false }], ['CurveBall', 'Adam'], [
      accuracyRun(at(1, 'Basic', 'CurveBall', 1), 0.9, 0.8),
      accuracyRun(at(2, 'Basic', 'CurveBall', 2), 0.92, 0.81),
      accuracyRun(at(3, 'Basic', 'CurveBall', 3), 0.94, 0.82),
      accuracyRun(at(4, 'Basic', 'Adam', 1), 0.9, 0.75),
      accuracyRun(at(5, 'Basic', 'Adam', 2), 0.9, 0.73),
    ]);
    const [curveBall, adam] = buildStudyReport(data).table[0]!.cells;
    expect(curveBall!.train!.mean).toBeCloseTo(8, 10);
    expect(curveBall!.train!.sd).toBeCloseTo(2, 10);
    expect(curveBall!.validation!.mean).toBeCloseTo(19, 10);
    expect(curveBall!.validation!.sd).toBeCloseTo(1, 10);
    expect(curveBall!.seeds).toBe(3);
    expect(curveBall!.best).toBe(true);
    expect(adam!.validation!.mean).toBeCloseTo(26, 10);
    expect(adam!.validation!.sd).toBeCloseTo(Math.SQRT2, 10);
    expect(adam!.seeds).toBe(2);
    expect(adam!.best).toBe(false);
  });

  it('has no sd for a single seed, and reports losses for a regression task', () => {
    const run = studyRun({ ...at(1, 'MLP', 'SGD', 1), final: { trainLoss: 0.25, trainAccuracy: null, valLoss: 0.5, valAccuracy: null } });
    const data = { ...studyData({ seeds: [1] }, [{ label: 'MLP', random: false }], ['SGD'], [run]), task: 'regression' as const };
    const cell = buildStudyReport(data).table[0]!.cells[0]!;
    expect(cell.train).toEqual({ mean: 0.25, sd: null, n: 1 });
    expect(cell.validation).toEqual({ mean: 0.5, sd: null, n: 1 });
  });

  it('uses, per architecture, the lr-grid value with the best mean validation error, and says which', () => {
    // On Basic lr 0.1 is best (validation 16 against 21); on Wide lr 0.01 (10 against 30).
    const grid = (arch: string, id: number, lr: number, accuracies: number[]) => accuracies.map((a, i) => accuracyRun(at(id + i, arch, 'SGD', i + 1, lr), 0.9, a));
    const data = studyData({ seeds: [1, 2] }, [{ label: 'Basic', random: false }, { label: 'Wide', random: false }], ['SGD'], [
      ...grid('Basic', 1, 0.01, [0.78, 0.8]),
      ...grid('Basic', 3, 0.1, [0.83, 0.85]),
      ...grid('Wide', 5, 0.01, [0.9, 0.9]),
      ...grid('Wide', 7, 0.1, [0.7, 0.7]),
    ]);
    const [basic, wide] = buildStudyReport(data).table.map((row) => row.cells[0]!);
    expect(basic!.lr).toBe(0.1);
    expect(basic!.validation!.mean).toBeCloseTo(16, 10);
    expect(basic!.runIds).toEqual([3, 4]);
    expect(basic!.lrGrid!.map((g) => [g.lr, Number(g.validation!.mean.toFixed(6))])).toEqual([
      [0.01, 21],
      [0.1, 16],
    ]);
    expect(wide!.lr).toBe(0.01);
    expect(wide!.validation!.mean).toBeCloseTo(10, 10);
  });

  it('counts diverged and failed runs instead of averaging them; a cell with failures is never the best', () => {
    const diverged = (fields: Parameters<typeof at>): StudyRunData => ({ ...studyRun(at(...fields)), status: 'diverged', error: 'loss 1e19' });
    const failed = (fields: Parameters<typeof at>): StudyRunData => ({ ...studyRun(at(...fields)), status: 'failed', error: 'out of memory' });
    const data = studyData({ seeds: [1, 2, 3] }, [{ label: 'Basic + BN', random: false }], ['CurveBall', 'SGD', 'Adam'], [
      // CurveBall: validation 10 on two seeds, but one diverged.
      accuracyRun(at(1, 'Basic + BN', 'CurveBall', 1), 0.95, 0.9),
      accuracyRun(at(2, 'Basic + BN', 'CurveBall', 2), 0.95, 0.9),
      diverged([3, 'Basic + BN', 'CurveBall', 3]),
      // SGD: lr 1 is better on its completed seed but failed once; lr 0.1 has no failure.
      accuracyRun(at(4, 'Basic + BN', 'SGD', 1, 1), 0.99, 0.99),
      failed([5, 'Basic + BN', 'SGD', 2, 1]),
      accuracyRun(at(6, 'Basic + BN', 'SGD', 3, 1), 0.99, 0.99),
      accuracyRun(at(7, 'Basic + BN', 'SGD', 1, 0.1), 0.8, 0.7),
      accuracyRun(at(8, 'Basic + BN', 'SGD', 2, 0.1), 0.8, 0.7),
      accuracyRun(at(9, 'Basic + BN', 'SGD', 3, 0.1), 0.8, 0.7),
      // Adam: every run diverged or failed.
      diverged([10, 'Basic + BN', 'Adam', 1]),
      diverged([11, 'Basic + BN', 'Adam', 2]),
      failed([12, 'Basic + BN', 'Adam', 3]),
    ]);
    const [curveBall, sgd, adam] = buildStudyReport(data).table[0]!.cells;
    expect(curveBall).toMatchObject({ seeds: 2, diverged: 1, failed: 0, best: false });
    expect(curveBall!.validation!.mean).toBeCloseTo(10, 10);
    expect(sgd).toMatchObject({ lr: 0.1, seeds: 3, diverged: 0, failed: 0, best: true });
    expect(sgd!.validation!.mean).toBeCloseTo(30, 10);
    expect(adam).toMatchObject({ seeds: 0, diverged: 2, failed: 1, train: null, validation: null, best: false });
  });

  it('marks every cell that ties for the best', () => {
    const data = studyData({ seeds: [1] }, [{ label: 'Basic', random: false }], ['CurveBall-λ', 'CurveBall'], [
      accuracyRun(at(1, 'Basic', 'CurveBall-λ', 1), 0.9, 0.75),
      accuracyRun(at(2, 'Basic', 'CurveBall', 1), 0.9, 0.75),
    ]);
    expect(buildStudyReport(data).table[0]!.cells.map((c) => c.best)).toEqual([true, true]);
  });

  it('shows the paper’s numbers beside the cells they cover, apart from the measured ones', () => {
    const data = {
      ...studyData({ seeds: [1] }, [{ label: 'VGG-f', random: false }, { label: 'Mine', random: false }], ['Adam'], [
        accuracyRun(at(1, 'VGG-f', 'Adam', 1), 0.5, 0.5),
        accuracyRun(at(2, 'Mine', 'Adam', 1), 0.5, 0.5),
      ]),
      reference: { source: 'the paper', cells: [{ architecture: 'VGG-f', optimizer: 'Adam', dataset: 'ImageNet', trainError: 13.2, valError: 35.9 }] },
    };
    const report = buildStudyReport(data);
    const [vgg, mine] = report.table.map((row) => row.cells[0]!);
    expect(vgg!.reference).toEqual({ architecture: 'VGG-f', optimizer: 'Adam', dataset: 'ImageNet', trainError: 13.2, valError: 35.9 });
    expect(vgg!.validation!.mean).toBeCloseTo(50, 10);
    expect(mine!.reference).toBeNull();
    expect(report.reference).toEqual({ source: 'the paper', datasets: ['ImageNet'] });
  });

  it('refuses a run outside the study’s rows and columns', () => {
    const data = studyData({}, [{ label: 'Basic', random: false }], ['SGD'], [accuracyRun(at(1, 'Basic', 'Adam', 1), 0.5, 0.5)]);
    expect(() => buildStudyReport(data)).toThrow(/run 1: optimizer "Adam"/);
  });
});
