import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import { databaseOf } from './storeDatabase.testkit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-queue-rows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: no such process

describe('the store of runs on a queue', () => {
  it('keeps one lab id per database, the same after reopening', () => {
    const file = join(dir, 'lab.db');
    const store = openStore(file);
    const id = store.queue.labId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.queue.labId()).toBe(id);
    store.close();
    const again = openStore(file);
    expect(again.queue.labId()).toBe(id);
    again.close();
    const other = openStore(join(dir, 'other.db'));
    expect(other.queue.labId()).not.toBe(id);
    other.close();
  });

  it('does not take a queue run of a dead lab process for orphaned, but does a local one', () => {
    const file = join(dir, 'lab.db');
    const store = openStore(file);
    const exp = store.createExperiment({ name: 'e' });
    const onQueue = store.createRun(exp.id, sampleSpec, { pid: deadPid });
    const local = store.createRun(exp.id, sampleSpec, { pid: deadPid });
    store.queue.assignJob(onQueue.id, 'job-1');
    store.close();
    const reopened = openStore(file);
    expect(reopened.getRun(onQueue.id)!.status).toBe('queued');
    expect(reopened.getRun(local.id)!.status).toBe('interrupted');
    expect(reopened.queue.pendingRuns().map((r) => [r.runId, r.jobId, r.attempt])).toEqual([[onQueue.id, 'job-1', null]]);
    reopened.close();
  });

  it('a second attempt deletes the first attempt\'s rows and results in one go; the first attempt records nothing to delete', () => {
    const store = openStore(':memory:');
    const exp = store.createExperiment({ name: 'e' });
    const run = store.createRun(exp.id, sampleSpec);
    store.queue.assignJob(run.id, 'job-1');
    expect(store.queue.beginAttempt(run.id, 'w1#1', 'w1')).toBeNull();
    const journal = store.recordRun(run.id);
    for (let s = 0; s < 4; s++) journal.record(stepEvent(s, 1, { rho: 0.5 }));
    journal.close();
    expect(store.getRun(run.id)).toMatchObject({ storedSteps: 4, worker: 'w1' });

    expect(store.queue.beginAttempt(run.id, 'w2#1', 'w2')).toBe('w1#1');
    const db = databaseOf(store);
    for (const table of ['step_metrics', 'trace_values', 'epoch_metrics']) {
      expect(db.prepare(`SELECT COUNT(*) FROM ${table} WHERE run_id = ?`).pluck().get(run.id)).toBe(0);
    }
    expect(store.getRun(run.id)).toMatchObject({ storedSteps: 0, worker: 'w2' });
    expect(store.queue.jobOf(run.id)).toMatchObject({ jobId: 'job-1', attempt: 'w2#1' });
    store.queue.addHistory(run.id, 'moved to worker w2');
    expect(store.queue.history(run.id).map((h) => h.event)).toEqual(['moved to worker w2']);
    store.close();
  });
});
