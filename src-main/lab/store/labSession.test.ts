import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../queue/fakeQueueWorker.testkit';
import { openStore } from './openStore';
import { sampleSpec } from './runFixtures.testkit';
import type { Store } from './store';
import { databaseOf, sessionOfProcess } from './storeDatabase.testkit';

let dir: string;
let file: string;
let stores: Store[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-sessions-'));
  file = join(dir, 'lab.db');
  stores = [];
});
afterEach(() => {
  for (const store of stores) if (databaseOf(store).open) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Parameters<typeof openStore>[1] = {}): Store {
  const store = openStore(file, options);
  stores.push(store);
  return store;
}

/** A running run and a queued one, as the lab with this store leaves them. */
function runningAndQueued(store: Store): { running: number; queued: number } {
  const experiment = store.createExperiment({ name: 'sessions' });
  const running = store.createRun(experiment.id, sampleSpec, { pid: process.pid }).id;
  store.markRunStarted(running, { backend: 'cpu' });
  const queued = store.createRun(experiment.id, sampleSpec, { pid: process.pid }).id;
  return { running, queued };
}

describe('lab sessions: who owns a queued or running run', () => {
  it('a lab restarted under the same pid (pid 1 in a container) finds the runs its previous life left, and interrupts them at once', () => {
    const before = open();
    const { running, queued } = runningAndQueued(before);
    // The previous lab process had this very pid; it died without closing (its session row stays, just renewed).
    const previousLife = sessionOfProcess(before, process.pid);
    databaseOf(before).prepare('UPDATE runs SET session = ? WHERE id IN (?, ?)').run(previousLife, running, queued);
    before.close();

    const restarted = open();
    expect(restarted.getRun(running)).toMatchObject({ status: 'interrupted', pid: process.pid, error: 'the process training this run ended without finishing it' });
    expect(restarted.getRun(queued)).toMatchObject({ status: 'interrupted', error: 'the lab that queued this run stopped before it started' });
    // The dead session's row is gone too.
    expect(databaseOf(restarted).prepare('SELECT COUNT(*) FROM lab_sessions WHERE id = ?').pluck().get(previousLife)).toBe(0);
  });

  it("another open lab's runs stay; once that lab closes, the next heartbeat interrupts what it left and says which runs", async () => {
    const other = open();
    const { running, queued } = runningAndQueued(other);
    const mine = open({ session: { heartbeatMs: 20 } });
    const heard: number[][] = [];
    mine.onRunsInterrupted((ids) => heard.push(ids));
    expect([mine.getRun(running)!.status, mine.getRun(queued)!.status]).toEqual(['running', 'queued']);
    await new Promise((resolve) => setTimeout(resolve, 100)); // several heartbeats: the other lab is alive
    expect(heard).toEqual([]);

    // Closing leaves runs behind only when something went wrong; whatever it leaves is an orphan.
    other.close();
    await until(() => heard.length > 0);
    expect(heard).toEqual([[running, queued]]);
    expect([mine.getRun(running)!.status, mine.getRun(queued)!.status]).toEqual(['interrupted', 'interrupted']);
  });

  it("a lab on another machine is alive while its heartbeat is fresh, and taken for dead once it is stale", async () => {
    const mine = open({ session: { heartbeatMs: 20, staleAfterMs: 10_000 } });
    const { running } = runningAndQueued(mine);
    const db = databaseOf(mine);
    // Its pid means nothing here: this very pid, on another machine.
    db.prepare("INSERT INTO lab_sessions (id, pid, machine, started_at, heartbeat_at) VALUES ('far', ?, 'elsewhere', '2026-01-01T00:00:00Z', ?)").run(process.pid, Date.now());
    db.prepare("UPDATE runs SET session = 'far' WHERE id = ?").run(running);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mine.getRun(running)!.status).toBe('running');

    db.prepare("UPDATE lab_sessions SET heartbeat_at = ? WHERE id = 'far'").run(Date.now() - 10_001);
    await until(() => mine.getRun(running)!.status === 'interrupted');
    expect(db.prepare("SELECT COUNT(*) FROM lab_sessions WHERE id = 'far'").pluck().get()).toBe(0);
  });

  it('each open store renews its own heartbeat and removes its row when it closes; a read-only store has none', async () => {
    const store = open({ session: { heartbeatMs: 20 } });
    const db = databaseOf(store);
    const first = db.prepare('SELECT id, heartbeat_at AS beat FROM lab_sessions').all() as { id: string; beat: number }[];
    expect(first).toHaveLength(1);
    await until(() => (db.prepare('SELECT heartbeat_at FROM lab_sessions').pluck().get() as number) > first[0]!.beat);
    const reader = open({ readOnly: true });
    expect(db.prepare('SELECT COUNT(*) FROM lab_sessions').pluck().get()).toBe(1);
    reader.close();
    store.close();
    const after = open();
    expect(databaseOf(after).prepare('SELECT id FROM lab_sessions').pluck().all()).not.toContain(first[0]!.id);
  });
});
