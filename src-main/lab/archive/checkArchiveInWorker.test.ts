import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../../engine/errors';
import type { ArchiveFile, ExperimentInfo } from '../api/labApi';
import { toLabError } from '../api/labDispatcher';
import { openStore, type Store } from '../store';
import { databaseOf } from '../store/storeDatabase.testkit';
import { openTestLab, type TestLab } from '../testLab.testkit';
import { ArchiveError } from './archiveError';
import { dumpDatabase, experimentRowsByUid, noise, rewriteArchive, sampleExperiment, writeJson } from './archiveFixtures.testkit';
import { defaultArchiveLimits } from './archiveLimits';
import { checkArchive } from './checkArchive';
import { checkArchiveInWorker, sharedBytesFromBase64 } from './checkArchiveInWorker';
import { exportExperiment } from './exportExperiment';
import { importCheckedArchive } from './importArchive';

const MiB = 2 ** 20;

/** `[[],[],…,[]]` of about `bytes`: cheap to inflate from a small zip, costly to parse. */
function emptyArrays(bytes: number): Uint8Array {
  return new TextEncoder().encode(`[${'[],'.repeat(Math.floor(bytes / 3))}[]]`);
}

/** The archive with its experiment.json replaced by `[[],[],…]` of `bytes`, listed with its true size and SHA-256. */
function hostileArchive(archive: Uint8Array, bytes: number): Uint8Array {
  return rewriteArchive(archive, ({ files }) => (files['experiment.json'] = emptyArrays(bytes)));
}

/** What a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('checkArchiveInWorker', () => {
  let source: Store;
  let target: Store;
  let archive: Uint8Array;
  let uid: string;
  beforeEach(async () => {
    source = openStore(':memory:');
    const { experiment } = sampleExperiment(source);
    uid = experiment.uid;
    archive = (await exportExperiment(source, experiment.id, { appVersion: '1.2.3' })).bytes;
    target = openStore(':memory:');
  });
  afterEach(() => {
    source.close();
    target.close();
  });

  it('answers what checkArchive answers in this thread, plain data only, and the write pass imports it', async () => {
    const checked = await checkArchiveInWorker(target.archive, archive);
    // toStrictEqual compares prototypes too: a class instance turned plain object by postMessage would differ.
    expect(checked).toStrictEqual(checkArchive(target.archive, archive, defaultArchiveLimits));
    expect(checked.metrics).toHaveLength(6);

    const result = importCheckedArchive(target, archive, checked);
    expect(result).toMatchObject({ alreadyPresent: false, runCount: 2 });
    expect(experimentRowsByUid(databaseOf(target), uid)).toEqual(experimentRowsByUid(databaseOf(source), uid));
  });

  it('checks bytes decoded into shared memory, as the lab passes them', async () => {
    const shared = sharedBytesFromBase64(Buffer.from(archive).toString('base64'));
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(shared).equals(archive)).toBe(true);
    expect((await checkArchiveInWorker(target.archive, shared)).experiment.uid).toBe(uid);
  });

  it("rejects with the worker's ArchiveError: the same entry and message", async () => {
    const badRuns = rewriteArchive(archive, ({ files }) => writeJson(files, 'runs.json', { runs: [] }));
    const refused = await rejection(checkArchiveInWorker(target.archive, badRuns));
    expect(refused).toBeInstanceOf(ArchiveError);
    expect(refused).toMatchObject({ entry: 'runs.json', message: 'archive entry runs.json: expected a JSON array of runs' });

    const notZip = await rejection(checkArchiveInWorker(target.archive, noise(4096)));
    expect(notZip).toBeInstanceOf(ArchiveError);
    expect(notZip).toMatchObject({ entry: undefined, message: 'not a usable CurveLab archive: not a zip archive' });
  });

  it('applies the limits it is given', async () => {
    const refused = await rejection(checkArchiveInWorker(target.archive, archive, { limits: { maxEntries: 3 } }));
    expect(refused).toBeInstanceOf(ArchiveError);
    expect((refused as ArchiveError).message).toMatch(/^not a usable CurveLab archive: it has \d+ entries, more than the limit of 3$/);
  });

  it('a check that runs out of its heap is a user error, and the next check runs', async () => {
    // 8 MB is less than loading the checks takes.
    const refused = await rejection(checkArchiveInWorker(target.archive, archive, { heapMb: 8 }));
    expect(refused).toBeInstanceOf(UserInputError);
    expect((refused as Error).message).toBe('not a usable CurveLab archive: checking it took more than the 8 MB of memory an archive check may take');
    expect(toLabError(refused).code).toBe('invalid-input');
    expect((await checkArchiveInWorker(target.archive, archive)).experiment.uid).toBe(uid);
  });

  it('refuses before parsing an entry whose parse might not fit in the heap left', async () => {
    // 2.8 million empty arrays, within every archive limit: some 120 MB once parsed, more than a 64 MB heap holds.
    // Running out of heap inside JSON.parse would abort the whole process, not only the worker.
    const refused = await rejection(checkArchiveInWorker(target.archive, hostileArchive(archive, 8 * MiB), { heapMb: 64 }));
    expect(refused).toBeInstanceOf(ArchiveError);
    expect((refused as ArchiveError).entry).toBe('experiment.json');
    expect((refused as Error).message).toMatch(
      /^archive entry experiment\.json: parsing it could take 419,43\d,\d{3} bytes \(400\.0 MiB\) of memory, more than the [\d,]+ bytes \([\d.]+ MiB\) this import has left$/,
    );
  });
});

describe("the lab's importArchive", () => {
  let lab: TestLab;
  let exported: ArchiveFile;
  beforeAll(async () => {
    lab = await openTestLab('curvelab-archive-worker-');
    const experiment = await lab.value<ExperimentInfo>('createExperiment', { name: 'imported again' });
    exported = await lab.value<ArchiveFile>('exportExperiment', { experimentId: experiment.id });
  });
  afterAll(() => lab.close());

  it('answers another request while a hostile archive is checked, then refuses it naming the entry, writing nothing', async () => {
    // 8 MiB of [],[],…: some hundreds of ms to check, within every archive limit.
    const hostile = hostileArchive(Buffer.from(exported.base64, 'base64'), 8 * MiB);
    const before = dumpDatabase(databaseOf(lab.lab.store));
    const settled: string[] = [];
    const importing = lab.call('importArchive', { base64: Buffer.from(hostile).toString('base64'), fileName: 'hostile.curvelab' });
    void importing.then(() => settled.push('importArchive'));
    const listing = lab.call('listRuns', {});
    void listing.then(() => settled.push('listRuns'));

    expect(await listing).toEqual({ ok: true, value: [] });
    expect(await importing).toEqual({ ok: false, error: { code: 'invalid-input', message: 'archive entry experiment.json: expected a JSON object' } });
    expect(settled).toEqual(['listRuns', 'importArchive']);
    expect(dumpDatabase(databaseOf(lab.lab.store))).toEqual(before);
  });

  it('imports a sound archive checked in the worker: as a copy beside the experiment it came from', async () => {
    const copy = await lab.value<{ experiment: ExperimentInfo; alreadyPresent: boolean }>('importArchive', { base64: exported.base64, asCopy: true });
    expect(copy).toMatchObject({ alreadyPresent: false, experiment: { name: 'imported again (copy)', runCount: 0 } });
    expect(await lab.value('importArchive', { base64: exported.base64 })).toMatchObject({ alreadyPresent: true, experiment: { name: 'imported again' } });
  });
});
