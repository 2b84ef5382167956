import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store';
import { LabError } from '../api/labErrors';
import { ArchiveError } from './archiveError';
import {
  dumpDatabase, experimentRowsByUid, noise, patchDeclaredSize, readJson, rewriteArchive, sampleExperiment, step, writeJson,
} from './archiveFixtures.testkit';
import { exportExperiment } from './exportExperiment';
import { importArchive } from './importArchive';
import { databaseOf } from '../store/storeDatabase.testkit';

let source: Store;
let target: Store;
let archive: Uint8Array;
let sample: ReturnType<typeof sampleExperiment>;

beforeEach(async () => {
  source = openStore(':memory:');
  sample = sampleExperiment(source);
  archive = (await exportExperiment(source, sample.experiment.id, { appVersion: '1.2.3' })).bytes;
  target = openStore(':memory:');
  // Rows already there, so the imported experiment and runs cannot get the same local ids by chance.
  const other = target.createExperiment({ name: 'already here' });
  target.createRun(other.id, { ...sample.sgd.spec, seed: 99 });
  target.createRun(other.id, { ...sample.sgd.spec, seed: 98 });
});
afterEach(() => {
  source.close();
  target.close();
});

describe('importArchive', () => {
  it('round trip: the imported rows equal the exported ones, uids kept, new local ids', () => {
    const result = importArchive(target, archive);
    expect(result).toMatchObject({ alreadyPresent: false, runCount: 2 });
    expect(result.experiment).toMatchObject({ uid: sample.experiment.uid, name: 'Paired "comparison", v1', tags: ['paired', 'mnist'], runCount: 2 });
    expect(result.experiment.id).not.toBe(sample.experiment.id);

    const before = experimentRowsByUid(databaseOf(source), sample.experiment.uid);
    const after = experimentRowsByUid(databaseOf(target), sample.experiment.uid);
    expect(after).toEqual(before);
    // Spot checks against the fixture itself, so equal-but-wrong rows on both sides cannot pass.
    expect(after.runs).toHaveLength(2);
    expect(after.stepMetrics).toHaveLength(7);
    expect(after.epochMetrics).toHaveLength(2);
    expect(after.traceValues).toHaveLength(13);
    const cbSteps = after.stepMetrics.filter((r) => r.run_uid === sample.curveball.uid);
    expect(cbSteps.map((r) => r.loss)).toEqual([2, null, Infinity]);
    expect(after.traceValues.find((r) => r.run_uid === sample.curveball.uid && r.name === 'beta' && r.step === 2)?.value).toBe(-Infinity);
    expect(after.runs.find((r) => r.uid === sample.sgd.uid)).toMatchObject({ notes: 'baseline, "plain"', tags: '["baseline"]', status: 'completed' });

    const imported = target.listRuns({ experimentId: result.experiment.id });
    expect(imported.map((r) => r.uid)).toEqual([sample.sgd.uid, sample.curveball.uid]);
    expect(imported[0]).toMatchObject({ spec: sample.sgd.spec, storedSteps: 4, bestValAccuracy: 0.75, pid: null });
  });

  it('writes nothing when the experiment is already there, and says so', () => {
    const first = importArchive(target, archive);
    const dump = dumpDatabase(databaseOf(target));
    const second = importArchive(target, archive);
    expect(second).toEqual({ experiment: first.experiment, runCount: 2, alreadyPresent: true });
    expect(dumpDatabase(databaseOf(target))).toEqual(dump);
  });

  it('stores runs that were queued or running as interrupted', async () => {
    const queued = source.createRun(sample.experiment.id, { ...sample.sgd.spec, seed: 7 });
    const running = source.createRun(sample.experiment.id, { ...sample.sgd.spec, seed: 8 });
    source.markRunStarted(running.id, { backend: 'cpu', totalSteps: 10 });
    const bytes = (await exportExperiment(source, sample.experiment.id, { appVersion: '1.2.3' })).bytes;
    const result = importArchive(target, bytes);
    const runs = target.listRuns({ experimentId: result.experiment.id });
    const byUid = new Map(runs.map((r) => [r.uid, r]));
    expect(byUid.get(queued.uid)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/queued when its experiment was exported/) });
    expect(byUid.get(running.uid)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/running/), backend: 'cpu' });
    expect(byUid.get(running.uid)!.endedAt).not.toBeNull();
    expect(byUid.get(sample.sgd.uid)!.status).toBe('completed');
  });

  it('refuses runs that are already in the database under another experiment, writing nothing', () => {
    importArchive(target, archive);
    const renamed = rewriteArchive(archive, ({ files, manifest }) => {
      const experiment = readJson<Record<string, unknown>>(files, 'experiment.json');
      writeJson(files, 'experiment.json', { ...experiment, uid: 'another-experiment' });
      manifest.experiment = { uid: 'another-experiment', name: 'copy' };
    });
    const dump = dumpDatabase(databaseOf(target));
    expect(() => importArchive(target, renamed)).toThrow(/runs\.json: run .* is already in this database, in experiment \d+ \("Paired/);
    expect(dumpDatabase(databaseOf(target))).toEqual(dump);
  });

  it('imports into an archive from an older schema: columns it lacks take their defaults', () => {
    const old = rewriteArchive(archive, ({ files, manifest }) => {
      const runs = readJson<Record<string, unknown>[]>(files, 'runs.json');
      writeJson(files, 'runs.json', runs.map(({ notes: _n, tags: _t, total_steps: _s, ...rest }) => ({ ...rest, from_the_future: 'ignored' })));
      manifest.schemaVersion = 1;
    });
    const result = importArchive(target, old);
    expect(target.listRuns({ experimentId: result.experiment.id }).map((r) => [r.notes, r.tags, r.totalSteps])).toEqual([
      ['', [], null],
      ['', [], null],
    ]);
  });
});

describe('importArchive: an archive of an experiment that is already here', () => {
  const exportAgain = async () => (await exportExperiment(source, sample.experiment.id, { appVersion: '1.2.3' })).bytes;

  /** The LabError of importing `bytes`, checking that the database did not change. */
  function conflictOf(bytes: Uint8Array): LabError {
    const dump = dumpDatabase(databaseOf(target));
    let error: unknown;
    try {
      importArchive(target, bytes);
    } catch (e) {
      error = e;
    }
    expect(dumpDatabase(databaseOf(target))).toEqual(dump);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('conflict');
    expect((error as Error).message).toMatch(/is already in this database as experiment \d+, but the archive differs from it \(.*\); nothing was written\. To keep both, import the archive as a copy \(asCopy; curvelab import --as-copy\)$/);
    return error as LabError;
  }

  it('says how a later export differs (notes, a new run, more steps) instead of ignoring it', async () => {
    importArchive(target, archive);
    source.updateExperiment(sample.experiment.id, { notes: 'revised' });
    expect(conflictOf(await exportAgain()).message).toContain('(experiment.json: the column notes differs)');
    source.updateExperiment(sample.experiment.id, { notes: sample.experiment.notes });
    expect(importArchive(target, await exportAgain()).alreadyPresent).toBe(true);

    const run = source.createRun(sample.experiment.id, { ...sample.sgd.spec, seed: 4 });
    expect(conflictOf(await exportAgain()).message).toContain(`(runs.json: run ${run.uid} is not in the database's copy)`);
    source.deleteRun(run.id);

    const journal = source.recordRun(sample.sgd.id, { flushIntervalMs: 60_000 });
    journal.record(step(4, 2, 0.5, 0.75, {}));
    journal.close();
    expect(conflictOf(await exportAgain()).message).toMatch(new RegExp(`\\(metrics/${sample.sgd.uid}/step_metrics\\.json: 1 of its rows is not in the database as the archive has it\\)`));
  });

  it('finds a changed run column and a changed metric value', () => {
    importArchive(target, archive);
    const renamedTags = rewriteArchive(archive, ({ files }) => {
      const runs = readJson<Record<string, unknown>[]>(files, 'runs.json');
      writeJson(files, 'runs.json', runs.map((run, i) => (i === 1 ? { ...run, tags: ['other'] } : run)));
    });
    expect(conflictOf(renamedTags).message).toContain(`(runs.json: run ${sample.curveball.uid}: the column tags differs)`);
    const changedLoss = rewriteArchive(archive, ({ files }) => {
      const name = `metrics/${sample.curveball.uid}/step_metrics.json`;
      const file = readJson<{ columns: string[]; rows: unknown[][] }>(files, name);
      file.rows[2]![2] = '-Infinity'; // was Infinity
      writeJson(files, name, file);
    });
    expect(conflictOf(changedLoss).message).toContain(`(metrics/${sample.curveball.uid}/step_metrics.json: 1 of its rows is not in the database as the archive has it)`);
  });

  it('is already present when all it holds is here: runs added here since, runs stored as interrupted', async () => {
    const running = source.createRun(sample.experiment.id, { ...sample.sgd.spec, seed: 8 });
    source.markRunStarted(running.id, { backend: 'cpu', totalSteps: 10 });
    const bytes = await exportAgain();
    const first = importArchive(target, bytes);
    target.createRun(first.experiment.id, { ...sample.sgd.spec, seed: 9 });
    expect(importArchive(target, bytes)).toMatchObject({ alreadyPresent: true, experiment: { id: first.experiment.id } });
  });

  it('imports it as a copy when asked: a new experiment "(copy)" with new uids and the same rows', async () => {
    const original = importArchive(target, archive);
    source.updateExperiment(sample.experiment.id, { notes: 'revised' });
    const copy = importArchive(target, await exportAgain(), { asCopy: true });
    expect(copy).toMatchObject({ alreadyPresent: false, runCount: 2, experiment: { name: 'Paired "comparison", v1 (copy)', notes: 'revised' } });
    expect(copy.experiment.uid).not.toBe(sample.experiment.uid);
    expect(copy.experiment.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The first import is untouched.
    expect(target.getExperiment(original.experiment.id)).toMatchObject({ uid: sample.experiment.uid, notes: 'first line\nsecond, with comma' });

    const db = databaseOf(target);
    const copied = experimentRowsByUid(db, copy.experiment.uid);
    const source_ = experimentRowsByUid(databaseOf(source), sample.experiment.uid);
    const runUids = copied.runs.map((r) => r.uid as string);
    expect(runUids).toHaveLength(2);
    for (const uid of runUids) expect([sample.sgd.uid, sample.curveball.uid]).not.toContain(uid);
    // The same runs and rows, uids aside: match each copied run to its source by its seed.
    const bySeed = (rows: typeof copied) => (r: Record<string, unknown>) => JSON.parse(rows.runs.find((run) => run.uid === r.run_uid)!.spec as string).seed as number;
    const strip = ({ uid: _u, run_uid: _r, ...rest }: Record<string, unknown>) => rest;
    expect(copied.runs.map(strip).sort((a, b) => String(a.spec).localeCompare(String(b.spec)))).toEqual(source_.runs.map(strip).sort((a, b) => String(a.spec).localeCompare(String(b.spec))));
    for (const table of ['stepMetrics', 'epochMetrics', 'traceValues'] as const) {
      const key = (rows: typeof copied) => rows[table].map((r) => ({ seed: bySeed(rows)(r), ...strip(r) }));
      expect(key(copied)).toEqual(expect.arrayContaining(key(source_)));
      expect(copied[table]).toHaveLength(source_[table].length);
    }
    // A copy can be copied again: each import as a copy is a new experiment.
    expect(importArchive(target, archive, { asCopy: true }).experiment.id).not.toBe(copy.experiment.id);
  });

  it('keeps a copy\'s name within the longest an experiment may have', () => {
    const long = rewriteArchive(archive, ({ files, manifest }) => {
      writeJson(files, 'experiment.json', { ...readJson<Record<string, unknown>>(files, 'experiment.json'), name: 'n'.repeat(200) });
      manifest.experiment = { ...(manifest.experiment as object), name: 'n'.repeat(200) };
    });
    expect(importArchive(target, long, { asCopy: true }).experiment.name).toBe(`${'n'.repeat(193)} (copy)`);
  });
});

describe('importArchive: the final train evaluation (schema version 3)', () => {
  it('travels with the runs', () => {
    const result = importArchive(target, archive);
    expect(target.listRuns({ experimentId: result.experiment.id }).map((r) => [r.optimizer, r.trainEvalLoss, r.trainEvalAccuracy])).toEqual([
      ['sgd', 0.625, 0.875],
      ['curveball', null, null],
    ]);
  });

  it('an archive made before it (schema version 2, runs without its columns) imports, the runs without one', () => {
    const old = rewriteArchive(archive, ({ files, manifest }) => {
      const runs = readJson<Record<string, unknown>[]>(files, 'runs.json');
      writeJson(files, 'runs.json', runs.map(({ train_eval_loss: _l, train_eval_accuracy: _a, ...rest }) => rest));
      manifest.schemaVersion = 2;
    });
    const result = importArchive(target, old);
    expect(target.listRuns({ experimentId: result.experiment.id }).map((r) => [r.optimizer, r.status, r.valLoss, r.trainEvalLoss, r.trainEvalAccuracy])).toEqual([
      ['sgd', 'completed', 0.5, null, null],
      ['curveball', 'diverged', null, null, null],
    ]);
  });
});

describe('importArchive rejects a bad archive and leaves the database unchanged', () => {
  /** Replaces one run's rows, keeping the manifest's checksums right so the row checks are what fails. */
  const editRuns = (edit: (runs: Record<string, unknown>[]) => void) =>
    rewriteArchive(archive, ({ files }) => {
      const runs = readJson<Record<string, unknown>[]>(files, 'runs.json');
      edit(runs);
      writeJson(files, 'runs.json', runs);
    });
  const stepsEntry = () => `metrics/${sample.sgd.uid}/step_metrics.json`;
  const editSteps = (edit: (file: { columns: string[]; rows: unknown[][] }) => void) =>
    rewriteArchive(archive, ({ files }) => {
      const file = readJson<{ columns: string[]; rows: unknown[][] }>(files, stepsEntry());
      edit(file);
      writeJson(files, stepsEntry(), file);
    });
  const zeros = new Uint8Array(20 * 2 ** 20);

  const cases: [string, () => Uint8Array, RegExp, Parameters<typeof importArchive>[2]?][] = [
    ['random bytes', () => noise(4096), /^not a usable CurveLab archive: not a zip archive$/],
    ['an empty file', () => new Uint8Array(0), /not a zip archive/],
    ['a truncated archive (cut in half)', () => archive.slice(0, archive.length >> 1), /truncated/],
    ['an archive cut short by 1 byte', () => archive.slice(0, archive.length - 1), /truncated/],
    ['a missing manifest', () => zipSync({ 'experiment.json': strToU8('{}') }), /manifest\.json is missing/],
    ['a zip of other things', () => zipSync({ 'readme.txt': strToU8('hi') }), /readme\.txt: is not listed|manifest\.json is missing/],
    ['manifest formatVersion 99', () => rewriteArchive(archive, ({ manifest }) => void (manifest.formatVersion = 99)), /formatVersion is 99; this CurveLab reads version 1 \(the archive comes from a newer CurveLab\)/],
    ['another format', () => rewriteArchive(archive, ({ manifest }) => void (manifest.format = 'zip-of-stuff')), /manifest\.json: format is "zip-of-stuff"/],
    ['a manifest that is not JSON', () => zipSync({ 'manifest.json': strToU8('{ nope') }), /manifest\.json: is not valid JSON/],
    ['a newer schema version', () => rewriteArchive(archive, ({ manifest }) => void (manifest.schemaVersion = 999)), /schema version 999, newer than this one's/],
    ['an entry named ../evil.json', () => rewriteArchive(archive, ({ files }) => void (files['../evil.json'] = strToU8('{}'))), /entry \.\.\/evil\.json: refused: a '\.\.' segment/],
    ['an entry named /etc/x', () => rewriteArchive(archive, ({ files }) => void (files['/etc/x'] = strToU8('x'))), /entry \/etc\/x: refused: an absolute path/],
    ['an entry with a backslash', () => rewriteArchive(archive, ({ files }) => void (files['csv\\x.csv'] = strToU8('x'))), /refused: a backslash/],
    ['an entry with a drive letter', () => rewriteArchive(archive, ({ files }) => void (files['C:x.csv'] = strToU8('x'))), /refused: a drive letter/],
    ['an unlisted entry', () => rewriteArchive(archive, ({ files }) => void (files['csv/extra.csv'] = strToU8('a\r\n')), { relist: false }), /csv\/extra\.csv: is not listed in manifest\.json/],
    ['a listed entry the format does not have', () => rewriteArchive(archive, ({ files }) => void (files['notes.txt'] = strToU8('x'))), /notes\.txt: is listed in manifest\.json but is not part of the archive format/],
    ['a listed entry that is missing', () => rewriteArchive(archive, ({ files }) => void delete files['csv/runs.csv'], { relist: false }), /csv\/runs\.csv: is listed in manifest\.json but missing/],
    [
      'a zip bomb: an entry declaring more than the per-entry limit',
      () => rewriteArchive(archive, ({ files }) => void (files['csv/bomb.csv'] = zeros)),
      /csv\/bomb\.csv: declares 20971520 bytes uncompressed, more than the limit of 1048576/,
      { limits: { maxEntryBytes: 2 ** 20 } },
    ],
    [
      'a zip bomb: entries that together pass the total limit',
      () => archive,
      /entries declare more than the limit of 1000 bytes uncompressed in all/,
      { limits: { maxTotalBytes: 1000 } },
    ],
    ['too many entries', () => archive, /it has 14 entries, more than the limit of 5/, { limits: { maxEntries: 5 } }],
    ['an archive over the size limit', () => archive, /the file is \d+ bytes, more than the limit of 100/, { limits: { maxArchiveBytes: 100 } }],
    [
      'a zip bomb whose header declares a small size but inflates large',
      () => patchDeclaredSize(zipSync({ 'manifest.json': zeros }), 'manifest.json', 1000),
      /manifest\.json: inflates to more than the 1000 bytes its header declares/,
    ],
    ['a runs.json row with a wrong type', () => editRuns((runs) => void (runs[1]!.optimizer = 42)), /runs\.json: \[1\]: optimizer: .*expected string/],
    ['a run with an unknown status', () => editRuns((runs) => void (runs[0]!.status = 'paused')), /runs\.json: \[0\]: status/],
    ['a run without its uid', () => editRuns((runs) => void delete runs[0]!.uid), /runs\.json: \[0\]: column uid is missing/],
    ['a run spec without its dataset', () => editRuns((runs) => void delete (runs[0]!.spec as Record<string, unknown>).dataset), /runs\.json: \[0\]: spec\.dataset/],
    ['a duplicated run uid', () => editRuns((runs) => void (runs[1]!.uid = runs[0]!.uid)), /runs\.json: \[1\]: run uid .* appears twice/],
    // Values are checked as the API checks them: they reach entry names, CSV cells and the trainer.
    ['a run spec whose seed is a path', () => editRuns((runs) => void ((runs[0]!.spec as Record<string, unknown>).seed = '../../evil')), /runs\.json: \[0\]: spec\.seed: /],
    ['a run spec whose seed is out of range', () => editRuns((runs) => void ((runs[1]!.spec as Record<string, unknown>).seed = -1)), /runs\.json: \[1\]: spec\.seed: expected an integer from 0/],
    ['a run spec with an option its optimizer lacks', () => editRuns((runs) => void ((runs[0]!.spec as Record<string, unknown>).optimizerOptions = { rm: 1 })), /runs\.json: \[0\]: spec\.optimizerOptions\.rm: sgd has no option "rm"/],
    ['a run spec with a key the API does not know', () => editRuns((runs) => void ((runs[0]!.spec as Record<string, unknown>).outDir = '../../')), /runs\.json: \[0\]: spec\.outDir/],
    ['run tags the API would refuse', () => editRuns((runs) => void (runs[0]!.tags = ['ok', ''])), /runs\.json: \[0\]: tags\.1/],
    [
      'an experiment name longer than the API takes',
      () => rewriteArchive(archive, ({ files }) => writeJson(files, 'experiment.json', { ...readJson<Record<string, unknown>>(files, 'experiment.json'), name: 'x'.repeat(201) })),
      /experiment\.json: name: /,
    ],
    ['a metric row with a wrong type', () => editSteps((f) => void (f.rows[2]![0] = 'two')), /step_metrics\.json: rows\[2\], column step: .*expected number/],
    ['a metric row with a column too many', () => editSteps((f) => void f.rows[1]!.push(1)), /rows\[1\] has 9 values; expected 8/],
    ['a metric row repeating a key', () => editSteps((f) => void (f.rows[1]![0] = 0)), /rows\[1\] repeats the key \[0\]/],
    ['a metric file without a required column', () => editSteps((f) => { f.columns.shift(); f.rows.forEach((r) => r.shift()); }), /column step is missing/],
    ['NULL in a NOT NULL column', () => editSteps((f) => void (f.rows[0]![4] = null)), /rows\[0\], column seconds/],
    [
      'metric rows of a run that runs.json does not have',
      () => rewriteArchive(archive, ({ files }) => void (files['metrics/no-such-run/step_metrics.json'] = files[stepsEntry()]!)),
      /metrics\/no-such-run\/step_metrics\.json: holds rows of run no-such-run, which runs\.json does not have/,
    ],
    [
      'a checksum mismatch',
      () =>
        rewriteArchive(
          archive,
          ({ files }) => {
            const csv = files['csv/runs.csv']!.slice();
            csv[0] = csv[0] === 0x52 ? 0x53 : 0x52; // same size, one byte changed
            files['csv/runs.csv'] = csv;
          },
          { relist: false },
        ),
      /csv\/runs\.csv: does not match the SHA-256 checksum/,
    ],
    ['a size that differs from the manifest', () => rewriteArchive(archive, ({ files }) => void (files['csv/runs.csv'] = strToU8('short')), { relist: false }), /csv\/runs\.csv: declares 5 bytes, but manifest\.json lists \d+/],
    ['counts that differ from the rows', () => rewriteArchive(archive, ({ manifest }) => void ((manifest.counts as Record<string, number>).stepMetrics = 8)), /counts\.stepMetrics is 8, but the archive holds 7/],
    ['an experiment uid that differs from the manifest', () => rewriteArchive(archive, ({ manifest }) => void ((manifest.experiment as Record<string, string>).uid = 'other')), /experiment\.json: uid .* differs/],
  ];

  it.each(cases)('%s', (_, build, message, options) => {
    importArchive(target, archive); // a database with the experiment in it already: nothing may change either way
    const bytes = build();
    const dump = dumpDatabase(databaseOf(target));
    let error: unknown;
    try {
      importArchive(target, bytes, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(message);
    expect(dumpDatabase(databaseOf(target))).toEqual(dump);
  });

  it('rejects each bad archive on an empty database too, leaving it empty', () => {
    const empty = openStore(':memory:');
    try {
      const dump = dumpDatabase(databaseOf(empty));
      for (const [, build, , options] of cases) {
        expect(() => importArchive(empty, build(), options)).toThrow(ArchiveError);
        expect(dumpDatabase(databaseOf(empty))).toEqual(dump);
      }
    } finally {
      empty.close();
    }
  });
});
