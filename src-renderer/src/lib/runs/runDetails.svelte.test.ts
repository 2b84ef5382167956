import { expect, test, vi } from 'vitest';
import type { RunHistoryEntry } from '$api/labApi';
import { LabError } from '$api/labErrors';
import { FakeLabClient, makeRun } from '../lab/fakeLabClient.testkit';
import { RunDetails } from './runDetails.svelte';

const queued: RunHistoryEntry = { at: '2026-01-01T10:00:00.000Z', event: 'queued as job 17' };
const taken: RunHistoryEntry = { at: '2026-01-01T10:00:02.000Z', event: 'taken by worker box-a' };
const moved: RunHistoryEntry = { at: '2026-01-01T10:05:00.000Z', event: 'moved to worker box-b (box-a stopped answering)' };

function lab(): FakeLabClient {
  const client = new FakeLabClient();
  client.runs = [makeRun({ id: 7, worker: 'box-a' }), makeRun({ id: 8 })];
  client.runHistory.set(7, [queued, taken]);
  return client;
}

test('opening a run reads its history; toggling it again closes it', async () => {
  const client = lab();
  const details = new RunDetails(client);
  await details.toggle(7);
  expect(details.isOpen(7)).toBe(true);
  expect(details.history.map((e) => e.event)).toEqual(['queued as job 17', 'taken by worker box-a']);
  expect(client.callsOf('getRunHistory')).toEqual([{ id: 7 }]);

  await details.toggle(7);
  expect(details.runId).toBeNull();
  expect(details.history).toEqual([]);
});

test('a run with nothing recorded has an empty history; opening another run replaces the open one', async () => {
  const details = new RunDetails(lab());
  await details.open(7);
  await details.open(8);
  expect(details.isOpen(7)).toBe(false);
  expect(details.isOpen(8)).toBe(true);
  expect(details.history).toEqual([]);
});

test('a change of the open run reads its history again (the run moved); a change of another run does not', async () => {
  const client = lab();
  const details = new RunDetails(client);
  await details.open(7);
  client.runHistory.set(7, [queued, taken, moved]);
  await details.refreshIfOpen(8);
  expect(client.callsOf('getRunHistory')).toHaveLength(1);
  await details.refreshIfOpen(7);
  expect(details.history.at(-1)?.event).toBe('moved to worker box-b (box-a stopped answering)');
});

test('a refused read says why and keeps the details open', async () => {
  const client = lab();
  client.fail('getRunHistory', new LabError('not-found', 'no run with id 9', 'id'));
  const details = new RunDetails(client);
  await details.open(9);
  expect(details.isOpen(9)).toBe(true);
  expect(details.error).toBe('no run with id 9');
});

test('an answer that arrives after its run was closed, or after a newer request, is dropped', async () => {
  const answers: ((history: RunHistoryEntry[]) => void)[] = [];
  const getRunHistory = vi.fn(() => new Promise<RunHistoryEntry[]>((resolve) => answers.push(resolve)));
  const details = new RunDetails({ getRunHistory });

  const first = details.open(7);
  details.close();
  answers[0]!([queued]);
  await first;
  expect(details.history).toEqual([]);

  const older = details.open(7);
  const newer = details.refreshIfOpen(7);
  answers[2]!([queued, taken]);
  answers[1]!([queued]);
  await Promise.all([older, newer]);
  expect(details.history).toEqual([queued, taken]);
});
