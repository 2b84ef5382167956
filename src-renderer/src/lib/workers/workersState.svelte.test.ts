import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { WorkerInfo } from '$api/labApi';
import { LabError } from '$api/labErrors';
import { FakeLabClient, makeWorker } from '../lab/fakeLabClient.testkit';
import { WorkersState, type PageVisibility } from './workersState.svelte';

/** A page whose visibility a test flips, telling its listeners as a browser does. */
class FakePage implements PageVisibility {
  hidden = false;
  readonly listeners = new Set<() => void>();
  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.delete(listener);
  }
  show(visible: boolean): void {
    this.hidden = !visible;
    for (const listener of this.listeners) listener();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const listings = (client: FakeLabClient): number => client.callsOf('listWorkers').length;

test('attach lists the workers at once and every 3 s; stop ends the polling and the visibility listener', async () => {
  const client = new FakeLabClient();
  client.workers = [makeWorker({ id: 'w1', name: 'box-b' }), makeWorker({ id: 'w2', name: 'box-a' })];
  const page = new FakePage();
  const state = new WorkersState(client, { page });
  const stop = state.attach();
  await vi.advanceTimersByTimeAsync(0);
  expect(listings(client)).toBe(1);
  expect(state.workers?.map((w) => w.name)).toEqual(['box-a', 'box-b']);

  client.workers = [makeWorker({ id: 'w3', name: 'box-c' })];
  await vi.advanceTimersByTimeAsync(2999);
  expect(listings(client)).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(listings(client)).toBe(2);
  expect(state.workers?.map((w) => w.id)).toEqual(['w3']);

  stop();
  expect(page.listeners.size).toBe(0);
  await vi.advanceTimersByTimeAsync(30_000);
  expect(listings(client)).toBe(2);
});

test('a hidden page is not polled; shown again it lists at once and polls again', async () => {
  const client = new FakeLabClient();
  const page = new FakePage();
  page.hidden = true;
  const state = new WorkersState(client, { page, intervalMs: 1000 });
  const stop = state.attach();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(listings(client)).toBe(0);
  expect(state.workers).toBeNull();

  page.show(true);
  await vi.advanceTimersByTimeAsync(0);
  expect(listings(client)).toBe(1);
  expect(state.workers).toEqual([]);
  await vi.advanceTimersByTimeAsync(2000);
  expect(listings(client)).toBe(3);

  page.show(false);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(listings(client)).toBe(3);
  stop();
});

test('a failed listing shows no workers and says why; the next answer clears the error', async () => {
  const client = new FakeLabClient();
  client.workers = [makeWorker()];
  const state = new WorkersState(client, { page: new FakePage() });
  await state.refresh();
  expect(state.workers).toHaveLength(1);

  client.fail('listWorkers', new LabError('internal', 'the queue at redis://10.0.0.5:6379 does not answer'));
  await state.refresh();
  expect(state.workers).toBeNull();
  expect(state.error).toBe('the queue at redis://10.0.0.5:6379 does not answer');

  await state.refresh();
  expect(state.workers).toHaveLength(1);
  expect(state.error).toBe('');
});

test('a listing still on its way is not asked for again', async () => {
  let answer: (workers: WorkerInfo[]) => void = () => {};
  const listWorkers = vi.fn(() => new Promise<WorkerInfo[]>((resolve) => (answer = resolve)));
  const state = new WorkersState({ listWorkers }, { page: new FakePage(), intervalMs: 1000 });
  const stop = state.attach();
  await vi.advanceTimersByTimeAsync(5000);
  expect(listWorkers).toHaveBeenCalledTimes(1);

  answer([makeWorker({ name: 'slow-box' })]);
  await vi.advanceTimersByTimeAsync(0);
  expect(state.workers?.map((w) => w.name)).toEqual(['slow-box']);
  await vi.advanceTimersByTimeAsync(1000);
  expect(listWorkers).toHaveBeenCalledTimes(2);
  stop();
});

test('toggle opens and closes the panel', () => {
  const state = new WorkersState(new FakeLabClient(), { page: new FakePage() });
  expect(state.open).toBe(false);
  state.toggle();
  expect(state.open).toBe(true);
  state.toggle();
  expect(state.open).toBe(false);
});
