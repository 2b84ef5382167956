import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../api/labApi';
import { accuracyRun, studyData } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';
import type { StudyRunData } from './studyData';

const run = (runId: number, architecture: string, optimizer: string, seed: number, trainLoss: number, valAccuracy: number, status: RunStatus = 'completed'): StudyRunData => ({
  ...accuracyRun({ runId, architecture, optimizer, seed }, 0.9, valAccuracy, trainLoss),
  status,
});

describe('wins on random architectures', () => {
  it('counts wins and ties per architecture × seed; a diverged or failed run never wins but is counted', () => {
    //          train loss          validation error
    //          A     B     C       A    B    C
    // R1 s1:  0.1   0.2   0.3      10   10   12    → A wins;          A and B tie
    // R2 s1:  0.0ᵈ  0.5   0.4      0ᵈ   20   25    → C wins (A diverged); B wins
    // R3 s1:  0.3   0.3   0.0ᶠ     30   29   0ᶠ    → A and B tie (C failed); B wins
    // R3 s2:  C's run is still queued: left out.
    // Basic is not random: its runs count nowhere here.
    const data = studyData(
      { seeds: [1, 2] },
      [{ label: 'Basic', random: false }, { label: 'R1', random: true }, { label: 'R2', random: true }, { label: 'R3', random: true }],
      ['A', 'B', 'C'],
      [
        run(1, 'Basic', 'A', 1, 9, 0.1, 'diverged'),
        run(2, 'R1', 'A', 1, 0.1, 0.9),
        run(3, 'R1', 'B', 1, 0.2, 0.9),
        run(4, 'R1', 'C', 1, 0.3, 0.88),
        run(5, 'R2', 'A', 1, 0.0, 1.0, 'diverged'),
        run(6, 'R2', 'B', 1, 0.5, 0.8),
        run(7, 'R2', 'C', 1, 0.4, 0.75),
        run(8, 'R3', 'A', 1, 0.3, 0.7),
        run(9, 'R3', 'B', 1, 0.3, 0.71),
        run(10, 'R3', 'C', 1, 0.0, 1.0, 'failed'),
        run(11, 'R3', 'A', 2, 0.3, 0.7),
        run(12, 'R3', 'B', 2, 0.3, 0.7),
        run(13, 'R3', 'C', 2, 0.3, 0.7, 'queued'),
      ],
    );
    const random = buildStudyReport(data).random!;
    expect(random).toMatchObject({ architectures: 3, problems: 3, unfinished: 3 }); // R1 s2, R2 s2 (no runs) and R3 s2
    expect(random.byTrainLoss).toEqual({
      metric: 'trainLoss',
      decided: 3,
      noWinner: 0,
      rows: [
        { optimizer: 'A', wins: 1, ties: 1 },
        { optimizer: 'B', wins: 0, ties: 1 },
        { optimizer: 'C', wins: 1, ties: 0 },
      ],
    });
    expect(random.byValidation.rows).toEqual([
      { optimizer: 'A', wins: 0, ties: 1 },
      { optimizer: 'B', wins: 2, ties: 1 },
      { optimizer: 'C', wins: 0, ties: 0 },
    ]);
    expect(random.failures).toEqual([
      { optimizer: 'A', runs: 4, diverged: 1, failed: 0 }, // finished runs: R1–R3 s1 and R3 s2
      { optimizer: 'B', runs: 4, diverged: 0, failed: 0 },
      { optimizer: 'C', runs: 3, diverged: 0, failed: 1 },
    ]);
  });

  it('has no winner where every run failed, and no section without random architectures', () => {
    const data = studyData({ seeds: [1] }, [{ label: 'R1', random: true }], ['A', 'B'], [run(1, 'R1', 'A', 1, 0.1, 0.9, 'failed'), run(2, 'R1', 'B', 1, 0.1, 0.9, 'diverged')]);
    const random = buildStudyReport(data).random!;
    expect(random.byTrainLoss).toMatchObject({ decided: 0, noWinner: 1 });
    expect(random.byTrainLoss.rows.every((r) => r.wins === 0 && r.ties === 0)).toBe(true);
    expect(buildStudyReport({ ...data, architectures: [{ label: 'R1', random: false }] }).random).toBeNull();
  });
});
