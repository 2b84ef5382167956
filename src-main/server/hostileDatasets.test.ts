import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { DatasetRegistry } from '../lab/datasets/datasetRegistry';
import { workerDatasetLoader } from '../lab/datasets/workerDatasetLoader';
import { openStore, type Store } from '../lab/store';
import { startLabServer, type LabServer } from './labServer';
import { callApi, createFakeLabApi, testToken } from './labServerTestKit';

/**
 * Datasets meant to take the lab down (a gzip bomb, a file that needs more memory than a load may take,
 * a device): each is refused in a dataset worker, naming the file as the user knows it, and the server
 * answers another call within a second meanwhile.
 */

const MiB = 2 ** 20;
const root = mkdtempSync(join(tmpdir(), 'curvelab-hostile-datasets-'));
const uploadsDir = join(root, 'uploads');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let store: Store;
let server: LabServer;
beforeEach(async () => {
  store = openStore(':memory:');
  // Small limits, so that each refusal comes fast: a 16 MB heap per load, 16 MiB per file.
  const registry = new DatasetRegistry(store, uploadsDir, workerDatasetLoader({ heapMb: 16, maxFileBytes: 16 * MiB }));
  const api = createFakeLabApi();
  api.addDataset = ({ path, ...options }) => registry.addPath(path, options);
  api.uploadDataset = ({ files, ...options }) => registry.addUpload(files, options);
  server = await startLabServer({ dispatch: createLabDispatch(api, () => {}), subscribe: () => () => {} }, { host: '127.0.0.1', port: 0, staticDir: root, token: testToken });
});
afterEach(async () => {
  await server.close();
  store.close();
});

/** A call's envelope, with the time another call took to be answered while it ran. */
async function callWhileServing(method: string, payload: unknown): Promise<{ envelope: unknown; otherMs: number }> {
  const hostile = callApi(server.port, method, JSON.stringify(payload));
  const started = performance.now();
  const other = await callApi(server.port, 'listExperiments');
  const otherMs = performance.now() - started;
  expect(other.json()).toEqual({ ok: true, value: [] });
  return { envelope: (await hostile).json(), otherMs };
}

const upload = (fileName: string, bytes: Uint8Array) => ({ files: [{ fileName, base64: Buffer.from(bytes).toString('base64') }], target: 'label' });

describe('hostile datasets are refused in their worker, and the lab keeps serving', () => {
  it('an upload that needs more memory than a load may take fails alone, naming the file, and leaves no files', async () => {
    // A header of 3,000,000 column names (9 MiB): a 14 KiB gzip that a 16 MB heap cannot hold as strings.
    const wide = gzipSync(Buffer.from(`${'ab,'.repeat(3_000_000)}label\n`), { level: 9 });
    const { envelope, otherMs } = await callWhileServing('uploadDataset', upload('wide.csv.gz', wide));
    expect(otherMs).toBeLessThan(1000);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'wide.csv.gz: too large to load here: loading it took more than the 16 MB of memory a dataset may take' },
    });
    expect(readdirSync(uploadsDir)).toEqual([]);
    expect(store.datasets.list()).toEqual([]);
  });

  it('a gzip bomb is inflated no further than the cap, and the error does not show where uploads are kept', async () => {
    const bomb = gzipSync(Buffer.from(`x,label\n${'0,0\n'.repeat(16 * MiB)}`), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const { envelope, otherMs } = await callWhileServing('uploadDataset', upload('rows.csv.gz', bomb));
    expect(otherMs).toBeLessThan(1000);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'rows.csv.gz: its gzip data inflates to more than 16,777,216 bytes (16.0 MiB), the most a dataset file may hold here' },
    });
    const twice = await callApi(server.port, 'uploadDataset', JSON.stringify({ files: [upload('a.csv', new Uint8Array([1])).files[0], upload('a.csv', new Uint8Array([2])).files[0]] }));
    expect(twice.json()).toEqual({ ok: false, error: { code: 'invalid-request', field: 'files.1.fileName', message: 'uploadDataset: files.1.fileName: "a.csv" is sent twice' } });
    expect(twice.text).not.toContain(uploadsDir);
    expect(readdirSync(uploadsDir)).toEqual([]);
  });

  it('a link to /dev/zero and a gzipped IDX file inflating past the cap are refused at once', async () => {
    const zero = join(root, 'zero.csv');
    symlinkSync('/dev/zero', zero);
    const { envelope, otherMs } = await callWhileServing('addDataset', { path: zero, target: 'label' });
    expect(otherMs).toBeLessThan(1000);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: `Dataset "${zero}": not a regular file or folder (a device, FIFO or socket); a dataset is read from files only` },
    });

    // An IDX header for 60,000 28×28 images, then 47 MB of zeros: 46 KiB gzipped.
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x803, 0);
    header.writeUInt32BE(60_000, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    const images = join(root, 'train-images-idx3-ubyte.gz');
    writeFileSync(images, gzipSync(Buffer.concat([header, Buffer.alloc(60_000 * 28 * 28)]), { level: 9 }));
    writeFileSync(join(root, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
    const idx = await callWhileServing('addDataset', { path: images });
    expect(idx.otherMs).toBeLessThan(1000);
    expect(idx.envelope).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: `${images}: its gzip data inflates to more than 16,777,216 bytes (16.0 MiB), the most a dataset file may hold here` },
    });
  });
});
