import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../engine/data/datasetFiles.testkit';
import { UserInputError } from '../../engine/errors';
import { loadRunDataset } from '../../engine/data/loadDataset';
import { loadRunDatasetInWorker, workerDatasetLoader } from './workerDatasetLoader';

const tmp = useTempDir('dataset-worker');
const MiB = 2 ** 20;

/** The longest the main thread's event loop waited while `work` ran: it stays free while a worker loads. */
async function longestStall<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  const [result] = await Promise.allSettled([work]);
  clearInterval(ticker);
  return { result, stallMs };
}

describe('workerDatasetLoader', () => {
  it('loads a dataset in a worker thread: the summary and a preview, as the file has them', async () => {
    const file = await tmp.write('points.csv', 'a,b,label\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n9,10,1\n11,12,0\n13,14,1\n15,16,0\n17,18,1\n19,20,0\n');
    const loader = workerDatasetLoader();
    expect(await loader.summary(file, 'label')).toMatchObject({
      name: 'points', format: 'csv', task: 'classification', inputShape: [2], classes: 2, classNames: null, trainSize: 9, validationSize: 1,
    });
    const preview = await loader.preview(file, 'label', 3);
    if (preview.kind !== 'table') throw new Error('expected a table');
    expect(preview.columns).toEqual(['a', 'b', 'label']);
    for (const [a, b] of preview.rows) expect(b).toBe((a as number) + 1);
  });

  it('brings the loader’s UserInputError back as one, with its message', async () => {
    const file = await tmp.write('bad.csv', 'a,label\n1\n');
    const error = await workerDatasetLoader().summary(file, 'label').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(`${file}: line 2: ragged row with 1 cells, expected 2 as in the header`);
  });

  it('a dataset that needs more heap than the worker has fails its own load, and the main thread never stalls', async () => {
    // A header of 3,000,000 column names (a 9 MiB line, a 14 KiB gzip): as strings, far more than a 16 MiB heap holds.
    const file = await tmp.write('wide.csv.gz', gzipSync(Buffer.from(`${'ab,'.repeat(3_000_000)}label\n`), { level: 9 }));
    const { result, stallMs } = await longestStall(workerDatasetLoader({ heapMb: 16 }).summary(file, 'label'));
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toBe(`${file}: too large to load here: loading it took more than the 16 MB of memory a dataset may take`);
    expect(stallMs).toBeLessThan(1000);
    // The next load works as ever.
    const small = await tmp.write('small.csv', 'x,label\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n');
    expect(await workerDatasetLoader({ heapMb: 16 }).summary(small, 'label')).toMatchObject({ trainSize: 9, validationSize: 1 });
  });

  it('caps decompression in the worker: a gzip bomb is refused at maxFileBytes', async () => {
    const file = await tmp.write('bomb.csv.gz', gzipSync(Buffer.alloc(64 * MiB), { level: 9 }));
    const error = await workerDatasetLoader({ maxFileBytes: MiB }).summary(file, 'label').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(`${file}: its gzip data inflates to more than 1,048,576 bytes (1.0 MiB), the most a dataset file may hold here`);
  });
});

describe('loadRunDatasetInWorker', () => {
  it('brings back the dataset a run loads, as loadRunDataset makes it in this thread (the validation split from the seed)', async () => {
    const file = await tmp.write('run.csv', `a,b,label\n${Array.from({ length: 40 }, (_, i) => `${i},${i * i},${i % 3}`).join('\n')}\n`);
    const spec = { dataset: file, target: 'label', seed: 5 };
    const [inWorker, here] = await Promise.all([loadRunDatasetInWorker(spec), loadRunDataset(spec)]);
    expect(inWorker.train.x).toBeInstanceOf(Float32Array);
    expect(inWorker).toEqual(here);
    // Another seed holds out other rows: the seed reached the worker.
    const other = await loadRunDatasetInWorker({ ...spec, seed: 6 });
    expect(other.validation.x).not.toEqual(here.validation.x);
  });

  it('fails with the loader’s UserInputError, as a run’s would', async () => {
    const error = await loadRunDatasetInWorker({ dataset: 'no-such-dataset', seed: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(/no-such-dataset/);
  });
});
