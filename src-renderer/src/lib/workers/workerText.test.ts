import { expect, test } from 'vitest';
import { makeWorker } from '../lab/fakeLabClient.testkit';
import { sortWorkers, workerCommand, workerMachineText, workerRunProgress, workersSummary } from './workerText';

test('the summary counts the workers, in the singular for one, and leaves out a count not known yet', () => {
  expect(workersSummary(2, 'redis://10.0.0.5:6379')).toBe('Runs train on 2 workers via redis://10.0.0.5:6379');
  expect(workersSummary(1, 'redis://10.0.0.5:6379')).toBe('Runs train on 1 worker via redis://10.0.0.5:6379');
  expect(workersSummary(0, 'rediss://queue.lan:6380')).toBe('Runs train on 0 workers via rediss://queue.lan:6380');
  expect(workersSummary(null, 'redis://10.0.0.5:6379')).toBe('Runs train on workers via redis://10.0.0.5:6379');
});

test("a worker's machine: platform, arch, CPUs and memory to one decimal", () => {
  expect(workerMachineText(makeWorker({ platform: 'darwin', arch: 'arm64', cpus: 10, memoryGb: 15.994 }))).toBe('darwin arm64 · 10 CPUs · 16.0 GB');
  expect(workerMachineText(makeWorker({ cpus: 1, memoryGb: 2 }))).toBe('linux x64 · 1 CPU · 2.0 GB');
});

test("a run's progress on a worker: step of total, the step alone, or starting", () => {
  const since = '2026-01-01T00:00:00.000Z';
  expect(workerRunProgress({ runId: 3, since, step: 40, totalSteps: 100 })).toBe('step 40 / 100');
  expect(workerRunProgress({ runId: 3, since, step: 7, totalSteps: null })).toBe('step 7');
  expect(workerRunProgress({ runId: null, since, step: null, totalSteps: 100 })).toBe('starting');
});

test('the command that starts a worker names the queue', () => {
  expect(workerCommand('redis://10.0.0.5:6379')).toBe('curvelab worker --redis redis://10.0.0.5:6379');
});

test('workers sort by name with numbers in numeric order, then by id, without changing the input', () => {
  const input = [makeWorker({ id: 'c', name: 'box-10' }), makeWorker({ id: 'b', name: 'box-2' }), makeWorker({ id: 'a', name: 'box-2' })];
  expect(sortWorkers(input).map((w) => w.id)).toEqual(['a', 'b', 'c']);
  expect(input.map((w) => w.id)).toEqual(['c', 'b', 'a']);
});
