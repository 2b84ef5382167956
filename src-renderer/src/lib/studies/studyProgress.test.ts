import { describe, expect, test } from 'vitest';
import { makeStudy, makeStudyRun } from '../lab/fakeLabClient.testkit';
import { studyGrid } from './studyGrid';
import { finishedCount, outcomeCount, statusCountsText, studyPhase } from './studyProgress';

describe('status counts', () => {
  test('in words: going first, then completed, then the failures; empty statuses left out', () => {
    expect(statusCountsText({ failed: 1, completed: 3, queued: 2, diverged: 1, cancelled: 0 })).toBe('2 queued · 3 completed · 1 diverged · 1 failed');
    expect(statusCountsText({})).toBe('');
  });

  test('counted from runs, and the finished ones summed', () => {
    const runs = (['running', 'completed', 'diverged', 'queued', 'completed'] as const).map((status, i) => makeStudyRun({ architecture: 'a', optimizer: 'o' }, { id: i + 1, status }));
    const counts = studyGrid(runs).cells[0]![0]!.counts;
    expect(counts).toEqual({ running: 1, completed: 2, diverged: 1, queued: 1 });
    expect(finishedCount(counts)).toBe(3);
    // Failed and cancelled runs are finished; an interrupted run is still to train, as a running one.
    expect(finishedCount({ failed: 2, cancelled: 1, interrupted: 1, running: 4 })).toBe(3);
  });

  test('by outcome: failures are the diverged and failed runs; pending the queued, running and interrupted', () => {
    const counts = { completed: 5, diverged: 2, failed: 1, cancelled: 3, interrupted: 4, queued: 6, running: 7 };
    expect(outcomeCount(counts, 'failure')).toBe(2 + 1);
    expect(outcomeCount(counts, 'pending')).toBe(4 + 6 + 7);
    expect(outcomeCount(counts, 'completed', 'cancelled')).toBe(5 + 3);
    expect(outcomeCount({}, 'failure')).toBe(0);
  });
});

describe("a study's phase", () => {
  test('a study whose lab closed with one run left is paused at 11 of 12, not finished', () => {
    const study = makeStudy({ runCount: 12, statusCounts: { completed: 11, interrupted: 1 }, finished: false });
    expect(finishedCount(study.statusCounts)).toBe(11);
    expect(studyPhase(study)).toBe('paused');
  });

  test('going while a run is queued or training, interrupted ones beside them or not; finished as the lab says', () => {
    expect(studyPhase(makeStudy({ statusCounts: { completed: 2, queued: 1, interrupted: 1 }, finished: false }))).toBe('going');
    expect(studyPhase(makeStudy({ statusCounts: { running: 1 }, finished: false }))).toBe('going');
    expect(studyPhase(makeStudy({ statusCounts: { completed: 3, cancelled: 1 }, finished: true }))).toBe('finished');
  });
});
