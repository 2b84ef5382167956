import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../queue/fakeQueueWorker.testkit';
import { openStore } from './openStore';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import type { Store } from './store';
import { databaseOf, fillDisk, freeDisk } from './storeDatabase.testkit';
import { StorageError } from './storeErrors';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-full-'));
  store = openStore(join(dir, 'lab.db'), { session: { heartbeatMs: 20 } });
});
afterEach(() => {
  if (databaseOf(store).open) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function thrown(write: () => unknown): unknown {
  try {
    write();
  } catch (error) {
    return error;
  }
  throw new Error('expected the write to throw');
}

describe('a full disk', () => {
  it('every write that cannot be stored throws a StorageError that names the file and says the disk is full; listeners hear of each', async () => {
    const experiment = store.createExperiment({ name: 'before' });
    const run = store.createRun(experiment.id, sampleSpec).id;
    const heard: StorageError[] = [];
    store.onStorageFailure((error) => heard.push(error));
    fillDisk(store);
    await Promise.resolve(); // listeners hear after the call that failed
    heard.length = 0;

    const refusals = [
      thrown(() => store.createExperiment({ name: 'after', notes: 'n'.repeat(5000) })),
      thrown(() => store.createRun(experiment.id, { ...sampleSpec, archOptions: { widths: '8,'.repeat(2500) } })),
    ];
    const journal = store.recordRun(run);
    for (let s = 0; s < 500; s++) journal.record(stepEvent(s, 1, { lr: 0.1 }));
    refusals.push(thrown(() => journal.flush()));
    for (const error of refusals) {
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ failure: 'disk-full', sqliteCode: 'SQLITE_FULL', file: join(dir, 'lab.db') });
      expect((error as Error).message).toBe(`${join(dir, 'lab.db')}: the disk is full: nothing more can be written until space is freed (SQLITE_FULL)`);
    }
    await Promise.resolve();
    expect(heard).toEqual(refusals);
    // Nothing of them was stored.
    expect(store.listExperiments().map((e) => e.name)).toEqual(['before']);
    expect(store.listRuns().map((r) => r.id)).toEqual([run]);
    expect(databaseOf(store).prepare('SELECT COUNT(*) FROM step_metrics').pluck().get()).toBe(0);
    journal.discard();
  });

  it("a run's ending is written without its overviews when those do not fit, and one that does not fit at all by a later heartbeat", async () => {
    const experiment = store.createExperiment({ name: 'e' });
    const [ended, later] = [0, 1].map(() => store.createRun(experiment.id, sampleSpec).id) as [number, number];
    for (const runId of [ended, later]) {
      store.markRunStarted(runId, { backend: 'cpu', totalSteps: 4000 });
      const journal = store.recordRun(runId);
      for (let s = 0; s < 4000; s++) journal.record(stepEvent(s, 1 / (s + 1), { lr: 0.1 }));
      journal.close();
    }
    fillDisk(store);

    expect(() => store.markRunFinished(ended, { status: 'completed', steps: 4000 })).toThrow(StorageError);
    expect(store.getRun(ended)).toMatchObject({ status: 'completed', steps: 4000 });
    expect(databaseOf(store).prepare('SELECT COUNT(*) FROM curve_overviews WHERE run_id = ?').pluck().get(ended)).toBe(0);
    // Its curve is still read whole (computed from the rows, since the overview cannot be stored).
    expect(store.readCurve(ended, { series: 'loss', maxPoints: 4000 })).toHaveLength(4000);

    const reason = `recording the run failed: ${'the disk is full '.repeat(400)}`;
    expect(() => store.markRunFinished(later, { status: 'failed', error: reason })).toThrow(StorageError);
    expect(store.getRun(later)!.status).toBe('running');
    freeDisk(store);
    await until(() => store.getRun(later)!.status !== 'running');
    expect(store.getRun(later)).toMatchObject({ status: 'failed', error: reason });
  });
});

/** Whether this process may mount a tmpfs (root, in most containers and CI runners without it: no). */
function mountTmpfs(at: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk for real (a small tmpfs: needs the right to mount one)', () => {
  it('an insert that hands back its id throws rather than returning a row that was never stored', (context) => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'curvelab-tmpfs-'));
    if (!mountTmpfs(mountPoint, '256k')) {
      rmSync(mountPoint, { recursive: true, force: true });
      console.warn('skipped: this process may not mount a tmpfs (run the tests as root to include it)');
      return context.skip();
    }
    let onTmpfs: Store | undefined;
    try {
      onTmpfs = openStore(join(mountPoint, 'lab.db'));
      // better-sqlite3's .get() of an `INSERT … RETURNING` used to return the new id when the commit failed.
      let stored = 0;
      let refusal: unknown;
      for (let k = 0; k < 10_000 && refusal === undefined; k++) {
        try {
          const experiment = onTmpfs.createExperiment({ name: `experiment ${k}`, notes: 'n'.repeat(1000) });
          expect(onTmpfs.getExperiment(experiment.id)).toEqual(experiment);
          stored++;
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toBeInstanceOf(StorageError);
      expect((refusal as StorageError).failure).toBe('disk-full');
      expect(onTmpfs.listExperiments()).toHaveLength(stored);
    } finally {
      try {
        onTmpfs?.close();
      } catch {
        // Closing writes the session's end, which a full disk may refuse.
      }
      execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});
