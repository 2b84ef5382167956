import { expect, test } from 'vitest';
import { LabError } from '$api/labErrors';
import { FakeLabClient } from '../lab/fakeLabClient.testkit';
import { LabStatus } from './labStatus.svelte';

test('a successful check shows the machine and its backend', async () => {
  const client = new FakeLabClient();
  const status = new LabStatus(client);
  expect(status.connection).toBe('connecting');
  await status.check();
  expect(status.connection).toBe('connected');
  expect(status.machine?.backend.name).toBe('cpu-blas');
  expect(status.machine?.cpus).toBe(2);
});

test('a failed check says disconnected and why; the next good one recovers', async () => {
  const client = new FakeLabClient();
  const status = new LabStatus(client);
  client.fail('getMachine', new LabError('internal', 'the lab did not answer (connection refused)'));
  await status.check();
  expect(status.connection).toBe('disconnected');
  expect(status.error).toBe('the lab did not answer (connection refused)');
  await status.check();
  expect(status.connection).toBe('connected');
  expect(status.error).toBe('');
});

test('attach subscribes to events and stop unsubscribes', async () => {
  const client = new FakeLabClient();
  const status = new LabStatus(client);
  const stop = status.attach(60_000);
  expect(client.listenerCount).toBe(1);
  stop();
  expect(client.listenerCount).toBe(0);
});
