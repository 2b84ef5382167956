import { defaultMigrationsDir, loadMigrations } from './migrations';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import { databaseOf, sessionOfProcess } from './storeDatabase.testkit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a child process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('openStore', () => {
  it('marks running and queued runs whose process is gone as interrupted, keeping their rows; live ones stay', async () => {
    const file = join(dir, 'lab.db');
    const pid = await deadPid();
    const store = openStore(file); // a lab that stays open: its runs are alive
    const exp = store.createExperiment({ name: 'crash' });
    const orphan = store.createRun(exp.id, sampleSpec);
    const live = store.createRun(exp.id, sampleSpec);
    const queued = store.createRun(exp.id, sampleSpec, { pid: process.pid }); // waits in this live process's queue
    const orphanQueued = store.createRun(exp.id, sampleSpec, { pid }); // its lab is gone: nothing will train it
    const ownerless = store.createRun(exp.id, sampleSpec); // no owner recorded (older databases)
    store.markRunStarted(orphan.id, { backend: 'cpu', pid });
    store.markRunStarted(live.id, { backend: 'cpu' }); // this process: alive
    const recorder = store.recordRun(orphan.id);
    for (let s = 0; s < 3; s++) recorder.record(stepEvent(s, 1 / (s + 1), { lr: 0.1 }));
    recorder.close();
    // `orphan` and `orphanQueued` were the runs of a lab in process `pid`, which is gone; `ownerless` was written before sessions.
    const db = databaseOf(store);
    db.prepare('UPDATE runs SET session = ? WHERE id IN (?, ?)').run(sessionOfProcess(store, pid), orphan.id, orphanQueued.id);
    db.prepare('UPDATE runs SET session = NULL WHERE id = ?').run(ownerless.id);

    const reopened = openStore(file); // another lab opens the database
    const byId = new Map(reopened.listRuns().map((r) => [r.id, r]));
    expect(byId.get(orphan.id)!.status).toBe('interrupted');
    expect(byId.get(orphan.id)!.storedSteps).toBe(3);
    expect(byId.get(orphan.id)!.steps).toBe(3);
    expect(byId.get(orphan.id)!.endedAt).not.toBeNull();
    expect(byId.get(live.id)!.status).toBe('running');
    expect(byId.get(queued.id)!.status).toBe('queued');
    for (const id of [orphanQueued.id, ownerless.id]) {
      expect(byId.get(id)).toMatchObject({ status: 'interrupted', storedSteps: 0, steps: 0 });
      expect(byId.get(id)!.error).toMatch(/before it started/);
    }
    expect(reopened.readCurve(orphan.id, { series: 'lr', maxPoints: 10 })).toHaveLength(3);
    reopened.close();
    store.close();
  });

  it('works in memory (no WAL there)', () => {
    const store = openStore(':memory:');
    expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(databaseOf(store).pragma('journal_mode', { simple: true })).toBe('memory');
    store.close();
  });
});
