import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../../engine/data/datasetFiles.testkit';
import { loadDataset } from '../../engine/data/loadDataset';
import { DatasetRegistry } from '../datasets/datasetRegistry';
import { openStore } from '../store';
import { DatasetRefusedError, WorkerDatasets } from './workerDatasets';

// Counts the loads (hashing a copy loads it whole) while loading as before.
vi.mock('../../engine/data/loadDataset', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../engine/data/loadDataset')>();
  return { ...original, loadDataset: vi.fn(original.loadDataset) };
});

const tmp = useTempDir('worker-datasets');
/** The lab's side: its registry gives the content hash a job names. */
const store = openStore(':memory:');
const registry = new DatasetRegistry(store, join(tmpdir(), 'curvelab-no-uploads'));
afterAll(() => store.close());

/** A small CSV whose content depends on `k`: two features, a label and a second integer column. */
function csv(k: number): string {
  const rows = Array.from({ length: 20 }, (_, i) => `${i * k},${(i * 7) % 5},${i % 2},${(i + k) % 3}`);
  return ['a,b,label,other', ...rows].join('\n');
}

/** The dataset as the lab registered it (its hash is the registry's), as a job names it. */
async function labDataset(file: string, target: string) {
  const info = await registry.addPath(file, { target });
  return { hash: info.contentHash, name: info.name, source: '/on/the/lab/only.csv', target };
}

describe('WorkerDatasets.resolve', () => {
  it('takes the embedded MNIST when its content is the one the lab registered', async () => {
    await registry.ensureEmbedded();
    const mnist = registry.list()[0]!;
    const datasets = new WorkerDatasets({ paths: [], cacheDir: tmp.path });
    expect(await datasets.resolve({ hash: mnist.contentHash, name: mnist.name, source: 'mnist', target: null })).toBe('mnist');
  });

  it('finds the copy with the content hash among the paths it was given, hashing each copy once', async () => {
    const a = await tmp.write('a.csv', csv(1));
    const b = await tmp.write('b.csv', csv(2));
    const datasets = new WorkerDatasets({ paths: [a, b], cacheDir: tmp.path });
    const [wantedA, wantedB] = [await labDataset(a, 'label'), await labDataset(b, 'label')];
    vi.mocked(loadDataset).mockClear();
    expect(await datasets.resolve(wantedB)).toBe(b);
    expect(await datasets.resolve(wantedB)).toBe(b);
    expect(await datasets.resolve(wantedA)).toBe(a);
    expect(vi.mocked(loadDataset).mock.calls.map((call) => call[0])).toEqual([a, b]);
  });

  it("uses the lab's own path when this machine has it (a shared filesystem)", async () => {
    const shared = await tmp.write('shared/points.csv', csv(3));
    const wanted = { ...(await labDataset(shared, 'label')), source: shared };
    expect(await new WorkerDatasets({ paths: [], cacheDir: tmp.path }).resolve(wanted)).toBe(resolve(shared));
  });

  it('refuses when no copy has the hash, naming each copy tried with its hash or problem, and how to give one', async () => {
    const a = await tmp.write('a.csv', csv(1));
    const notData = await tmp.write('notes.txt', 'hello');
    // The same file with another target column is other data: another hash.
    const wanted = await labDataset(a, 'other');
    const datasets = new WorkerDatasets({ paths: [a, notData], cacheDir: tmp.path });
    const refusal = await datasets.resolve({ ...wanted, target: 'label' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DatasetRefusedError);
    const message = (refusal as Error).message;
    const aWithLabel = (await registry.addPath(a, { target: 'label' })).contentHash;
    expect(message).toContain(`dataset "${wanted.name}": no copy this worker can reach has content hash ${wanted.hash}`);
    expect(message).toContain(`${a} (content hash ${aWithLabel})`);
    expect(message).toMatch(new RegExp(`${notData.replaceAll('.', '\\.')} \\(does not load: Unknown kind of dataset file`));
    expect(message).toContain('/on/the/lab/only.csv (not on this machine)');
    expect(message).toContain('Give the worker a copy with --dataset PATH, or let it download the lab\'s with --lab URL --token T');
  });

  it('fails with a plain error, to be tried again, when the lab it would download from cannot be reached', async () => {
    const datasets = new WorkerDatasets({ paths: [], lab: { url: 'http://127.0.0.1:9/', token: 't' }, cacheDir: tmp.path });
    const failure = await datasets.resolve({ hash: 'a'.repeat(64), name: 'points', source: '/on/the/lab/only.csv', target: null }).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(DatasetRefusedError);
    expect((failure as Error).message).toMatch(/^dataset "points": the lab at http:\/\/127\.0\.0\.1:9 could not be reached/);
  });
});
