import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { RunSpec } from '../../shared/runSpec';
import type { EpochEvent, StepEvent } from '../../engine/train/trainEvents';
import type { Store } from '../store';
import { sampleSpec } from '../store/runFixtures.testkit';
import { databaseOf } from '../store/storeDatabase.testkit';

/** Test helpers for the archive tests: a small experiment written through the store API, database dumps, archive surgery. */

export function step(step: number, epoch: number, loss: number, accuracy: number | null, trace: Record<string, number>): StepEvent {
  return {
    type: 'step', step, epoch, loss, accuracy, seconds: (step + 1) / 2,
    forwardPasses: step + 1, backwardPasses: step + 1, forwardModePasses: 2 * (step + 1), trace,
  };
}

export function epoch(epoch: number, steps: number, valLoss: number, valAccuracy: number | null): EpochEvent {
  return { type: 'epoch', epoch, steps, trainLoss: valLoss + 0.5, trainAccuracy: valAccuracy, valLoss, valAccuracy, seconds: steps / 2 };
}

/** The dataset source of the CurveBall run: a comma and quotes, so the CSV must quote it. */
export const quotedDataset = 'data/"digits", v2.csv';

/**
 * An experiment with notes and tags and two finished runs: SGD (seed 1, an `lr` trace, two epochs) and
 * CurveBall (seed 2, three trace values, a NaN loss stored as NULL, an infinite loss, diverged), plus a
 * registered dataset row for `mnist`.
 */
export function sampleExperiment(store: Store) {
  const experiment = store.createExperiment({ name: 'Paired "comparison", v1', notes: 'first line\nsecond, with comma', tags: ['paired', 'mnist'] });
  databaseOf(store)
    .prepare(
      `INSERT INTO datasets (name, source, content_hash, input_shape, classes, task, train_size, validation_size, created_at, origin, format)
       VALUES ('MNIST digits', 'mnist', 'hash-of-mnist', '[28,28,1]', 10, 'classification', 1000, 100, '2025-01-01T00:00:00.000Z', 'embedded', 'embedded-mnist')`,
    )
    .run();

  // Specs the API would start (an import checks them as strictly): sgd takes lr and weightDecay.
  const sgdSpec: RunSpec = { ...sampleSpec, seed: 1, optimizerOptions: { lr: 0.1, weightDecay: 0.9 } };
  const sgd = store.createRun(experiment.id, sgdSpec);
  store.markRunStarted(sgd.id, { backend: 'cpu', totalSteps: 4, stepsPerEpoch: 2 });
  const sgdRecorder = store.recordRun(sgd.id, { flushIntervalMs: 60_000 });
  sgdRecorder.record(step(0, 0, 2.25, 0.125, { lr: 0.1 }));
  sgdRecorder.record(step(1, 0, 1.5, 0.25, { lr: 0.1 }));
  sgdRecorder.record(epoch(0, 2, 1.25, 0.5));
  sgdRecorder.record(step(2, 1, 1, 0.5, { lr: 0.05 }));
  sgdRecorder.record(step(3, 1, 0.75, 0.625, { lr: 0.05 }));
  sgdRecorder.record(epoch(1, 4, 0.5, 0.75));
  sgdRecorder.record({
    type: 'done', status: 'completed', steps: 4, trainLoss: 0.875, valLoss: 0.5, valAccuracy: 0.75, trainEvalLoss: 0.625, trainEvalAccuracy: 0.875, seconds: 2, backend: 'cpu',
  });
  store.updateRun(sgd.id, { notes: 'baseline, "plain"', tags: ['baseline'] });

  const curveballSpec: RunSpec = {
    ...sampleSpec, dataset: quotedDataset, target: 'label', optimizer: 'curveball', optimizerOptions: { lambda: 1 }, seed: 2, epochs: undefined, steps: 3,
  };
  const curveball = store.createRun(experiment.id, curveballSpec);
  store.markRunStarted(curveball.id, { backend: 'webgpu', totalSteps: 3, stepsPerEpoch: 3 });
  const cbRecorder = store.recordRun(curveball.id, { flushIntervalMs: 60_000 });
  cbRecorder.record(step(0, 0, 2, null, { rho: 0, beta: 0.5, lambda: 1 }));
  cbRecorder.record(step(1, 0, NaN, null, { rho: 0.25, beta: 0.5, lambda: 1.5 }));
  cbRecorder.record(step(2, 0, Infinity, null, { rho: 0.5, beta: -Infinity, lambda: 2 }));
  cbRecorder.record({
    type: 'done', status: 'diverged', steps: 3, trainLoss: NaN, valLoss: null, valAccuracy: null, trainEvalLoss: null, trainEvalAccuracy: null,
    seconds: 1.5, backend: 'webgpu', reason: 'non-finite loss',
  });

  return { experiment: store.getExperiment(experiment.id)!, sgd: store.getRun(sgd.id)!, curveball: store.getRun(curveball.id)! };
}

type Row = Record<string, unknown>;

/** Every row of every table, ordered, with the schema version: equal dumps mean an untouched database. */
export function dumpDatabase(db: Database.Database): Record<string, unknown> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const dump: Record<string, unknown> = { user_version: db.pragma('user_version', { simple: true }) };
  for (const table of tables) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
    dump[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`).all();
  }
  return dump;
}

function without(row: Row, ...names: string[]): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !names.includes(k)));
}

/**
 * One experiment's rows with every local id replaced by a uid (written here with its own SQL, not the
 * archive code's): what must be the same in any database the experiment is imported into.
 */
export function experimentRowsByUid(db: Database.Database, uid: string) {
  const experiment = db.prepare('SELECT * FROM experiments WHERE uid = ?').get(uid) as Row;
  const runs = (db.prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY uid').all(experiment.id) as Row[]).map((r) =>
    without(r, 'id', 'experiment_id', 'pid', 'session'),
  );
  const metrics = (table: string, order: string) =>
    (
      db
        .prepare(`SELECT r.uid AS run_uid, t.* FROM ${table} t JOIN runs r ON r.id = t.run_id WHERE r.experiment_id = ? ORDER BY r.uid, ${order}`)
        .all(experiment.id) as Row[]
    ).map((r) => without(r, 'run_id'));
  return {
    experiment: without(experiment, 'id'),
    runs,
    stepMetrics: metrics('step_metrics', 't.step'),
    epochMetrics: metrics('epoch_metrics', 't.epoch'),
    traceValues: metrics('trace_values', 't.name, t.step'),
  };
}

export interface ArchiveParts {
  files: Record<string, Uint8Array>;
  manifest: Record<string, unknown> & { files: Record<string, { bytes: number; sha256: string }> };
}

/**
 * Unzips an archive, lets `edit` change its entries and manifest, and zips it again. With `relist`
 * (the default) the manifest's file list is recomputed from the entries, so a test reaches the check
 * after the checksums.
 */
export function rewriteArchive(bytes: Uint8Array, edit: (parts: ArchiveParts) => void, options: { relist?: boolean } = {}): Uint8Array {
  const files = unzipSync(bytes);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as ArchiveParts['manifest'];
  delete files['manifest.json'];
  const parts: ArchiveParts = { files, manifest };
  edit(parts);
  if (options.relist !== false) {
    parts.manifest.files = Object.fromEntries(
      Object.entries(parts.files).map(([name, content]) => [name, { bytes: content.byteLength, sha256: createHash('sha256').update(content).digest('hex') }]),
    );
  }
  return zipSync({ ...parts.files, 'manifest.json': strToU8(JSON.stringify(parts.manifest)) });
}

export function readJson<T = unknown>(files: Record<string, Uint8Array>, name: string): T {
  return JSON.parse(new TextDecoder().decode(files[name])) as T;
}

export function writeJson(files: Record<string, Uint8Array>, name: string, value: unknown): void {
  files[name] = strToU8(JSON.stringify(value));
}

/** Sets an entry's declared uncompressed size in its local header and central directory record (the CRC is left stale). */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const target = strToU8(name);
  const matches = (at: number, nameAt: number, length: number) =>
    length === target.length && target.every((b, k) => out[nameAt + k] === b) && at >= 0;
  let patched = 0;
  for (let at = 0; at + 4 <= out.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && matches(at, at + 30, view.getUint16(at + 26, true))) {
      view.setUint32(at + 22, size, true);
      patched++;
    } else if (signature === 0x02014b50 && matches(at, at + 46, view.getUint16(at + 28, true))) {
      view.setUint32(at + 24, size, true);
      patched++;
    }
  }
  if (patched !== 2) throw new Error(`patchDeclaredSize: found ${patched} headers for ${name}, expected 2`);
  return out;
}

/** Deterministic noise (a linear congruential generator), so a "random bytes" test cannot flake. */
export function noise(length: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
