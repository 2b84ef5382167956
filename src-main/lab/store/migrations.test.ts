import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrations';
import { openStore } from './openStore';
import { DatabaseTooNewError, MigrationError, NotADatabaseError } from './storeErrors';
import { databaseOf } from './storeDatabase.testkit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('apply to an empty file, set user_version and turn WAL and foreign keys on', () => {
    const file = join(dir, 'lab.db');
    const store = openStore(file);
    expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(databaseOf(store).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(databaseOf(store).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tableNames(databaseOf(store))).toEqual([
      'curve_overviews', 'datasets', 'epoch_metrics', 'experiments', 'lab_sessions', 'lab_settings', 'run_history', 'runs', 'sqlite_sequence', 'step_metrics', 'trace_values',
    ]);
    store.close();
  });

  it('re-opening applies nothing and keeps the rows', () => {
    const file = join(dir, 'lab.db');
    const first = openStore(file);
    first.createExperiment({ name: 'a' });
    first.close();
    const db = new Database(file);
    expect(applyMigrations(db, loadMigrations(defaultMigrationsDir()), file)).toEqual([]);
    db.close();
    const again = openStore(file);
    expect(again.listExperiments().map((e) => e.name)).toEqual(['a']);
    again.close();
  });

  it('migrates a database from an earlier version, keeping its rows', () => {
    const file = join(dir, 'lab.db');
    const v1 = join(dir, 'v1');
    const v2 = join(dir, 'v2');
    for (const d of [v1, v2]) {
      rmSync(d, { recursive: true, force: true });
      makeDir(d);
      copyFileSync(join(defaultMigrationsDir(), '001_initial.sql'), join(d, '001_initial.sql'));
    }
    writeFileSync(join(v2, '002_experiment_colour.sql'), "ALTER TABLE experiments ADD COLUMN colour TEXT NOT NULL DEFAULT 'grey';");
    const old = openStore(file, { migrationsDir: v1 });
    old.createExperiment({ name: 'kept' });
    old.close();

    const migrated = openStore(file, { migrationsDir: v2 });
    expect(databaseOf(migrated).pragma('user_version', { simple: true })).toBe(2);
    expect(databaseOf(migrated).prepare('SELECT name, colour FROM experiments').all()).toEqual([{ name: 'kept', colour: 'grey' }]);
    migrated.close();
  });

  it('migrates from every earlier version of the real migrations, keeping the rows written then', () => {
    const all = loadMigrations(defaultMigrationsDir());
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (let version = 1; version < all.length; version++) {
      const file = join(dir, `from-v${version}.db`);
      const older = join(dir, `migrations-v${version}`);
      makeDir(older);
      for (const m of all.slice(0, version)) copyFileSync(join(defaultMigrationsDir(), m.name), join(older, m.name));
      // Rows written by hand with only the columns version 1 has, as an older app would.
      const db = new Database(file);
      applyMigrations(db, loadMigrations(older), file);
      db.prepare("INSERT INTO experiments (id, uid, name, created_at) VALUES (1, 'e1', 'old experiment', '2026-01-01T00:00:00Z')").run();
      db.prepare(
        `INSERT INTO runs (id, uid, experiment_id, spec, optimizer, status, created_at)
         VALUES (1, 'r1', 1, '{"dataset":"mnist","arch":"mlp","archOptions":{},"optimizer":"sgd","optimizerOptions":{},"batchSize":64,"shuffle":true,"init":"default","seed":0,"epochs":1}', 'sgd', 'completed', '2026-01-01T00:00:00Z')`,
      ).run();
      db.prepare('INSERT INTO step_metrics VALUES (1, 0, 0, 2.3, 0.1, 0.01, 1, 1, 0)').run();
      db.close();

      const store = openStore(file);
      expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(all.length);
      expect(store.listExperiments().map((e) => e.name)).toEqual(['old experiment']);
      const run = store.getRun(1)!;
      expect(run).toMatchObject({ optimizer: 'sgd', status: 'completed', storedSteps: 1, notes: '', tags: [], totalSteps: null });
      expect(store.readCurve(1, { series: 'loss', maxPoints: 10 }).map((p) => p.value)).toEqual([2.3]);
      store.close();
    }
  });

  it('version 3 adds the final train evaluation to the runs of a version 2 database: null for its rows, written when a run ends', () => {
    const file = join(dir, 'v2.db');
    const v2 = join(dir, 'migrations-v2');
    makeDir(v2);
    for (const name of ['001_initial.sql', '002_run_progress_notes_dataset_details.sql']) copyFileSync(join(defaultMigrationsDir(), name), join(v2, name));
    const db = new Database(file);
    applyMigrations(db, loadMigrations(v2), file);
    db.prepare("INSERT INTO experiments (id, uid, name, created_at) VALUES (1, 'e1', 'before v3', '2026-01-01T00:00:00Z')").run();
    const insertRun = db.prepare(
      `INSERT INTO runs (id, uid, experiment_id, spec, optimizer, status, created_at, train_loss, val_loss, val_accuracy, total_steps, tags)
       VALUES (?, ?, 1, '{"dataset":"mnist","arch":"mlp","archOptions":{},"optimizer":"sgd","optimizerOptions":{},"batchSize":64,"shuffle":true,"init":"default","seed":0,"epochs":1}',
               'sgd', ?, '2026-01-01T00:00:00Z', 0.5, 0.25, 0.9, 125, '["old"]')`,
    );
    insertRun.run(1, 'r1', 'completed');
    insertRun.run(2, 'r2', 'queued');
    db.close();

    const store = openStore(file);
    expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(store.getRun(1)).toMatchObject({ status: 'completed', trainLoss: 0.5, valLoss: 0.25, valAccuracy: 0.9, totalSteps: 125, tags: ['old'], trainEvalLoss: null, trainEvalAccuracy: null });
    store.markRunFinished(2, { status: 'completed', steps: 125, trainLoss: 0.4, trainEvalLoss: 0.375, trainEvalAccuracy: 0.875 });
    expect(store.getRun(2)).toMatchObject({ status: 'completed', trainLoss: 0.4, trainEvalLoss: 0.375, trainEvalAccuracy: 0.875 });
    store.close();
  });

  it('version 4 adds studies to a version 3 database: its rows kept, none a study; a study stored after has its spec and cells', () => {
    const file = join(dir, 'v3.db');
    const v3 = join(dir, 'migrations-v3');
    makeDir(v3);
    for (const m of loadMigrations(defaultMigrationsDir()).slice(0, 3)) copyFileSync(join(defaultMigrationsDir(), m.name), join(v3, m.name));
    const db = new Database(file);
    applyMigrations(db, loadMigrations(v3), file);
    db.prepare("INSERT INTO experiments (id, uid, name, created_at) VALUES (1, 'e1', 'before v4', '2026-01-01T00:00:00Z')").run();
    db.prepare(
      `INSERT INTO runs (id, uid, experiment_id, spec, optimizer, status, created_at, train_eval_loss)
       VALUES (1, 'r1', 1, '{"dataset":"mnist","arch":"mlp","archOptions":{},"optimizer":"sgd","optimizerOptions":{},"batchSize":64,"shuffle":true,"init":"default","seed":0,"epochs":1}',
               'sgd', 'completed', '2026-01-01T00:00:00Z', 0.25)`,
    ).run();
    db.close();

    const store = openStore(file);
    expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(store.listExperiments().map((e) => [e.id, e.name, e.runCount])).toEqual([[1, 'before v4', 1]]);
    expect(store.getRun(1)).toMatchObject({ status: 'completed', trainEvalLoss: 0.25 });
    expect(store.listStudies()).toEqual([]);
    expect(store.getStudy(1)).toBeUndefined();
    expect(store.studyCells(1).size).toBe(0);

    const spec = { dataset: 'mnist', architectures: [{ preset: 'linear' }], optimizers: [{ name: 'sgd' }], seeds: [1], budget: { steps: 2 }, batchSize: 8 };
    const runSpec = JSON.parse(databaseOf(store).prepare('SELECT spec FROM runs WHERE id = 1').pluck().get() as string);
    const cell = { architecture: 'linear', optimizer: 'sgd', lr: null, seed: 1 };
    const { experiment, runIds } = store.createStudy({ name: 'a study', study: { spec, builtIn: null, task: 'classification' }, runs: [{ spec: runSpec, cell }], pid: 4242 });
    expect(databaseOf(store).prepare('SELECT study FROM experiments WHERE id = ?').pluck().get(experiment.id)).toBe(
      JSON.stringify({ spec, builtIn: null, task: 'classification' }),
    );
    expect(databaseOf(store).prepare('SELECT study_cell FROM runs WHERE id = ?').pluck().get(runIds[0])).toBe(JSON.stringify(cell));
    expect(store.getStudy(experiment.id)).toMatchObject({ experiment: { name: 'a study', runCount: 1 }, study: { spec }, statusCounts: { queued: 1 } });
    store.close();
  });

  it('version 7 rebuilds experiments, runs and datasets of a version 6 database with their rows, foreign keys and indexes; no id is given twice', () => {
    const file = join(dir, 'v6.db');
    const v6 = join(dir, 'migrations-v6');
    makeDir(v6);
    for (const m of loadMigrations(defaultMigrationsDir()).slice(0, 6)) copyFileSync(join(defaultMigrationsDir(), m.name), join(v6, m.name));
    const db = new Database(file);
    applyMigrations(db, loadMigrations(v6), file);
    const spec = '{"dataset":"mnist","arch":"mlp","archOptions":{},"optimizer":"sgd","optimizerOptions":{},"batchSize":64,"shuffle":true,"init":"default","seed":0,"epochs":1}';
    db.exec(`
      INSERT INTO experiments (id, uid, name, notes, tags, created_at, study) VALUES (1, 'e1', 'kept', 'n', '["t"]', '2026-01-01T00:00:00Z', NULL),
                                                                                  (2, 'e2', 'newest', '', '[]', '2026-01-02T00:00:00Z', '{"s":1}');
      INSERT INTO runs (id, uid, experiment_id, spec, optimizer, status, pid, created_at, total_steps, notes, tags, study_cell, queue_job, worker)
        VALUES (1, 'r1', 1, '${spec}', 'sgd', 'completed', NULL, '2026-01-01T00:00:00Z', 2, 'note', '["a"]', NULL, NULL, NULL),
               (2, 'r2', 2, '${spec}', 'sgd', 'completed', NULL, '2026-01-02T00:00:00Z', 1, '', '[]', '{"seed":1}', 'job-2', 'w1');
      INSERT INTO step_metrics VALUES (1, 0, 0, 2.5, 0.1, 0.01, 1, 1, 0), (1, 1, 0, 2.0, 0.2, 0.02, 2, 2, 0), (2, 0, 0, 9.0, NULL, 0.01, 1, 1, 0);
      INSERT INTO trace_values VALUES (1, 0, 'lr', 0.1), (2, 0, 'lr', 0.2);
      INSERT INTO epoch_metrics VALUES (1, 0, 2, 2.25, 0.15, 2.1, 0.2, 0.02);
      INSERT INTO run_history (run_id, at, event) VALUES (2, '2026-01-02T00:00:00Z', 'queued as job job-2');
      INSERT INTO curve_overviews VALUES (2, 'loss', x'00');
      INSERT INTO datasets (id, name, source, content_hash, input_shape, classes, task, train_size, validation_size, created_at, origin, format, target, class_names)
        VALUES (1, 'mnist', 'mnist', 'h1', '[784]', 10, 'classification', 8000, 2000, '2026-01-01T00:00:00Z', 'embedded', 'idx', NULL, NULL),
               (2, 'mine', '/data/mine.csv', 'h2', '[3]', 2, 'classification', 10, 2, '2026-01-02T00:00:00Z', 'path', 'csv', 'y', '["a","b"]');
    `);
    const before = Object.fromEntries(['experiments', 'runs', 'datasets'].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()]));
    db.close();

    const store = openStore(file);
    const migrated = databaseOf(store);
    expect(migrated.pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(migrated.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(migrated.pragma('foreign_key_check')).toEqual([]);
    for (const table of ['experiments', 'runs', 'datasets']) {
      // Every row as it was, column by column (runs gain a session, NULL for these).
      const rows = migrated.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
      expect(rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'session')))).toEqual(before[table]);
      expect(migrated.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).pluck().get(table)).toMatch(/PRIMARY KEY AUTOINCREMENT/);
    }
    expect(migrated.prepare('SELECT session FROM runs').pluck().all()).toEqual([null, null]);
    const indexes = migrated.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['datasets_by_hash', 'run_history_by_run', 'runs_by_experiment', 'runs_by_status']);
    const references = (table: string) => (migrated.pragma(`foreign_key_list(${table})`) as { table: string; on_delete: string }[]).map((f) => `${f.table} ${f.on_delete}`);
    expect(references('runs')).toEqual(['experiments CASCADE']);
    for (const table of ['step_metrics', 'epoch_metrics', 'trace_values', 'run_history', 'curve_overviews']) expect(references(table)).toEqual(['runs CASCADE']);
    expect(store.readCurve(1, { series: 'loss', maxPoints: 10 }).map((p) => p.value)).toEqual([2.5, 2]);

    // The newest experiment, run and dataset deleted: their ids are not given again.
    store.deleteExperiment(2);
    for (const table of ['step_metrics', 'run_history', 'curve_overviews']) expect(migrated.prepare(`SELECT COUNT(*) FROM ${table} WHERE run_id = 2`).pluck().get()).toBe(0); // the cascade still holds
    store.datasets.remove(2);
    const experiment = store.createExperiment({ name: 'after' });
    expect(experiment.id).toBe(3);
    expect(store.createRun(experiment.id, JSON.parse(spec)).id).toBe(3);
    expect(store.datasets.add({ ...store.datasets.get(1)!, source: '/data/other.csv', contentHash: 'h3' }).id).toBe(3);
    store.close();
  });

  it('a failing migration leaves the database at its old version', () => {
    const file = join(dir, 'lab.db');
    const v2 = join(dir, 'v2');
    makeDir(v2);
    copyFileSync(join(defaultMigrationsDir(), '001_initial.sql'), join(v2, '001_initial.sql'));
    const v1 = join(dir, 'v1');
    makeDir(v1);
    copyFileSync(join(defaultMigrationsDir(), '001_initial.sql'), join(v1, '001_initial.sql'));
    openStore(file, { migrationsDir: v1 }).close();
    writeFileSync(join(v2, '002_broken.sql'), 'CREATE TABLE half (x INTEGER); SELECT no_such_function();');
    expect(() => openStore(file, { migrationsDir: v2 })).toThrow(MigrationError);
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(db)).not.toContain('half');
    db.close();
  });

  it('rejects a gap in the numbering', () => {
    const d = join(dir, 'gap');
    makeDir(d);
    writeFileSync(join(d, '001_initial.sql'), 'CREATE TABLE a (x);');
    writeFileSync(join(d, '003_later.sql'), 'CREATE TABLE b (x);');
    expect(() => loadMigrations(d)).toThrow(MigrationError);
  });

  it('a database newer than this app is refused, naming the file', () => {
    const file = join(dir, 'future.db');
    const future = loadMigrations(defaultMigrationsDir()).length + 1;
    const db = new Database(file);
    db.pragma(`user_version = ${future}`);
    db.close();
    let error: unknown;
    try {
      openStore(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect((error as DatabaseTooNewError).message).toContain(file);
    expect((error as DatabaseTooNewError).version).toBe(future);
  });

  it('a file that is not SQLite is refused with a typed error naming it', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'These are my notes, not a database. '.repeat(40));
    let error: unknown;
    try {
      openStore(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NotADatabaseError);
    expect((error as NotADatabaseError).file).toBe(file);
    expect((error as Error).message).toContain(file);
  });
});

function makeDir(d: string): void {
  mkdirSync(d, { recursive: true });
}
