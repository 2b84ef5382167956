import { readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../engine/data/datasetFiles.testkit';
import { datasetFilesByHash, listDatasetFiles } from '../lab/datasets/datasetFiles';
import { DatasetRegistry } from '../lab/datasets/datasetRegistry';
import { DatasetRefusedError, WorkerDatasets } from '../lab/queue/workerDatasets';
import { openStore, type Store } from '../lab/store';
import { startLabServer, type LabServer } from './labServer';
import { createFakeLabHost, rawRequest } from './labServerTestKit';

const token = 'worker-token-123';
const auth = { Authorization: `Bearer ${token}` };
/** A folder dataset that is listed and served, not loaded (its files are not real IDX data). */
const digitsHash = 'd'.repeat(64);
const idxNames = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'];
const pointsCsv = ['a,b,label', ...Array.from({ length: 30 }, (_, i) => `${i / 3},${(i * 7) % 11},${i % 3}`)].join('\n');

const tmp = useTempDir('dataset-routes');
let store: Store;
let registry: DatasetRegistry;
let server: LabServer;
let pointsHash: string;

beforeEach(async () => {
  store = openStore(':memory:');
  registry = new DatasetRegistry(store, join(tmp.path, 'uploads'));
  await registry.ensureEmbedded();
  pointsHash = (await registry.addPath(await tmp.write('lab/points.csv', pointsCsv), { target: 'label' })).contentHash;
  for (const name of idxNames) await tmp.write(`lab/digits/${name}`, `bytes of ${name}`);
  await tmp.write('lab/digits/README', 'digits, by hand');
  await tmp.write('lab/secret.txt', 'not for the workers');
  const digits = join(tmp.path, 'lab', 'digits');
  const host = {
    ...createFakeLabHost(),
    datasetFiles: (hash: string) => (hash === digitsHash ? listDatasetFiles({ name: 'digits', source: digits }) : datasetFilesByHash(registry, hash)),
  };
  server = await startLabServer(host, { host: '127.0.0.1', port: 0, staticDir: join(tmp.path, 'renderer'), token });
});
afterEach(async () => {
  await server.close();
  store.close();
});

function get(path: string, headers: Record<string, string> = auth) {
  return rawRequest(server.port, { path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } });
}

describe('GET /api/datasets/by-hash/…', () => {
  it('lists a registered dataset by its content hash and serves its file, with the access token only', async () => {
    expect((await get(`/api/datasets/by-hash/${pointsHash}`, {})).status).toBe(401);
    expect((await get(`/api/datasets/by-hash/${pointsHash}/files/points.csv`, {})).status).toBe(401);
    const listing = await get(`/api/datasets/by-hash/${pointsHash}`);
    expect(listing.status).toBe(200);
    expect(listing.json()).toEqual({ name: 'points', source: 'points.csv', files: [{ path: 'points.csv', size: Buffer.byteLength(pointsCsv) }] });
    const file = await get(`/api/datasets/by-hash/${pointsHash}/files/points.csv`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.text).toBe(pointsCsv);
  });

  it('serves every file of a folder dataset by the paths of its listing', async () => {
    const listing = (await get(`/api/datasets/by-hash/${digitsHash}`)).json() as { source: string; files: { path: string }[] };
    expect(listing.source).toBe('.');
    expect(listing.files.map((f) => f.path)).toEqual(['README', ...idxNames]);
    for (const { path } of listing.files) {
      expect((await get(`/api/datasets/by-hash/${digitsHash}/files/${path}`)).text).toBe(readFileSync(join(tmp.path, 'lab', 'digits', path), 'utf8'));
    }
  });

  it.each([
    '..%2Fsecret.txt',
    '%2e%2e%2fsecret.txt',
    '..%5Csecret.txt',
    '%2F..%2Fsecret.txt',
    'README%2F..%2F..%2Fsecret.txt',
    `${'..%2F'.repeat(12)}etc%2Fpasswd`,
    '.',
    'README%00',
  ])('serves no file the listing does not name: %s', async (path) => {
    const res = await get(`/api/datasets/by-hash/${digitsHash}/files/${path}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('not for the workers');
    expect(res.text).not.toContain('root:');
  });

  it('answers a raw ../ path (normalised by the URL parser) with a 404 too', async () => {
    const res = await get(`/api/datasets/by-hash/${digitsHash}/files/../../../secret.txt`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('not for the workers');
  });

  it('refuses an unknown hash, the embedded MNIST, a malformed hash and other methods', async () => {
    expect((await get(`/api/datasets/by-hash/${'0'.repeat(64)}`)).json()).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining(`no dataset with content hash ${'0'.repeat(64)} is registered`) },
    });
    expect((await get(`/api/datasets/by-hash/${registry.list()[0]!.contentHash}`)).status).toBe(404);
    expect((await get('/api/datasets/by-hash/abc')).status).toBe(404);
    const post = await rawRequest(server.port, { method: 'POST', path: `/api/datasets/by-hash/${pointsHash}`, headers: { Host: `127.0.0.1:${server.port}`, ...auth } });
    expect(post.status).toBe(405);
  });

  it('serves nothing from a lab that gives no dataset files', async () => {
    const bare = await startLabServer(createFakeLabHost(), { host: '127.0.0.1', port: 0, staticDir: tmp.path, token });
    try {
      const res = await rawRequest(bare.port, { path: `/api/datasets/by-hash/${pointsHash}`, headers: { Host: `127.0.0.1:${bare.port}`, ...auth } });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('a worker downloading a dataset from the lab (WorkerDatasets over this route)', () => {
  const job = () => ({ hash: pointsHash, name: 'points', source: '/only/on/the/lab/points.csv', target: 'label' });

  it('downloads, verifies and keeps the copy; a later worker uses it without the lab', async () => {
    const cacheDir = join(tmp.path, 'cache');
    const source = await new WorkerDatasets({ paths: [], lab: { url: server.url, token }, cacheDir }).resolve(job());
    expect(source).toBe(join(cacheDir, pointsHash, 'data', 'points.csv'));
    expect(readFileSync(source, 'utf8')).toBe(pointsCsv);
    await server.close();
    expect(await new WorkerDatasets({ paths: [], lab: { url: server.url, token }, cacheDir }).resolve(job())).toBe(source);
  });

  it("refuses and deletes a download whose content is not the registered one (the lab's file changed since)", async () => {
    await writeFile(join(tmp.path, 'lab', 'points.csv'), pointsCsv.replace('0,0,0', '0,0,1'));
    const cacheDir = join(tmp.path, 'cache');
    const refusal = await new WorkerDatasets({ paths: [], lab: { url: server.url, token }, cacheDir }).resolve(job()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DatasetRefusedError);
    expect((refusal as Error).message).toMatch(new RegExp(`the lab at ${server.url}: its copy has content hash [0-9a-f]{64}; deleted`));
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses with what the lab said: a wrong token, a hash the lab does not have', async () => {
    const cacheDir = join(tmp.path, 'cache');
    const wrongToken = await new WorkerDatasets({ paths: [], lab: { url: server.url, token: 'nope' }, cacheDir }).resolve(job()).catch((error: unknown) => error);
    expect(wrongToken).toBeInstanceOf(DatasetRefusedError);
    expect((wrongToken as Error).message).toContain("it refused the worker's token");
    const unknown = await new WorkerDatasets({ paths: [], lab: { url: server.url, token }, cacheDir })
      .resolve({ ...job(), hash: '1'.repeat(64) })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(DatasetRefusedError);
    expect((unknown as Error).message).toContain(`the lab at ${server.url}: no dataset with content hash ${'1'.repeat(64)} is registered in this lab`);
  });
});
