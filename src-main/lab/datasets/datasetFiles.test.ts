import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../engine/data/datasetFiles.testkit';
import { UserInputError } from '../../engine/errors';
import { openStore } from '../store';
import { datasetFilesByHash, listDatasetFiles } from './datasetFiles';
import { DatasetRegistry } from './datasetRegistry';

const tmp = useTempDir('dataset-files');

// Listing looks only at names and sizes, so the files need not hold real data.
const idxNames = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'];

describe('listDatasetFiles', () => {
  it('lists a CSV source as its one file, relative to its folder', async () => {
    const file = await tmp.write('tables/points.csv', 'a,label\n1,0\n');
    expect(await listDatasetFiles({ name: 'points', source: file })).toEqual({
      name: 'points',
      source: 'points.csv',
      dir: join(tmp.path, 'tables'),
      files: [{ path: 'points.csv', size: 12 }],
    });
  });

  it('lists an IDX images file with the labels file beside it', async () => {
    const images = await tmp.write('one/fashion-images-idx3-ubyte', 'abcd');
    await tmp.write('one/fashion-labels-idx1-ubyte', 'ab');
    await tmp.write('one/unrelated.txt', 'not part of it');
    expect(await listDatasetFiles({ name: 'fashion', source: images })).toMatchObject({
      source: 'fashion-images-idx3-ubyte',
      files: [
        { path: 'fashion-images-idx3-ubyte', size: 4 },
        { path: 'fashion-labels-idx1-ubyte', size: 2 },
      ],
    });
  });

  it("lists every file of a source folder (not its subfolders' files), the folder itself to be loaded", async () => {
    for (const [i, name] of idxNames.entries()) await tmp.write(`digits/${name}`, 'x'.repeat(i + 1));
    await tmp.write('digits/README', 'where these came from');
    await tmp.write('digits/old/train-images-idx3-ubyte', 'stale');
    const listing = await listDatasetFiles({ name: 'digits', source: join(tmp.path, 'digits') });
    expect(listing).toEqual({
      name: 'digits',
      source: '.',
      dir: join(tmp.path, 'digits'),
      files: [
        { path: 'README', size: 21 },
        ...idxNames.map((path, i) => ({ path, size: i + 1 })),
      ],
    });
  });

  it("keeps the CIFAR archive's own folder in the paths when the source is the folder above it", async () => {
    const names = ['batches.meta.txt', 'data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
    for (const name of names) await tmp.write(`cifar/cifar-10-batches-bin/${name}`, 'b');
    const listing = await listDatasetFiles({ name: 'CIFAR-10', source: join(tmp.path, 'cifar') });
    expect(listing?.source).toBe('.');
    expect(listing?.dir).toBe(join(tmp.path, 'cifar'));
    expect(listing?.files.map((f) => f.path)).toEqual(names.map((name) => `cifar-10-batches-bin/${name}`));
  });

  it('lists the images of an image folder, in their class folders, and its settings file', async () => {
    await tmp.write('photos/train/owl/b.png', 'bb');
    await tmp.write('photos/train/owl/a.jpg', 'a');
    await tmp.write('photos/train/cat/c.jpeg', 'ccc');
    await tmp.write('photos/val/cat/v.png', 'v');
    await tmp.write('photos/curvelab-images.json', '{}');
    await tmp.write('photos/NOTES.txt', 'not part of it');
    expect(await listDatasetFiles({ name: 'photos', source: join(tmp.path, 'photos') })).toEqual({
      name: 'photos',
      source: '.',
      dir: join(tmp.path, 'photos'),
      files: [
        { path: 'train/cat/c.jpeg', size: 3 },
        { path: 'train/owl/a.jpg', size: 1 },
        { path: 'train/owl/b.png', size: 2 },
        { path: 'val/cat/v.png', size: 1 },
        { path: 'curvelab-images.json', size: 2 },
      ],
    });
  });

  it('gives nothing for the embedded MNIST, and the loader\'s error for a source that is gone', async () => {
    expect(await listDatasetFiles({ name: 'MNIST', source: 'mnist' })).toBeNull();
    await expect(listDatasetFiles({ name: 'gone', source: join(tmp.path, 'gone.csv') })).rejects.toThrow(UserInputError);
  });
});

describe('datasetFilesByHash', () => {
  it('lists the registered dataset with that content hash; nothing for an unknown hash or the embedded MNIST', async () => {
    const store = openStore(':memory:');
    try {
      const registry = new DatasetRegistry(store, join(tmp.path, 'uploads'));
      await registry.ensureEmbedded();
      const file = await tmp.write('points.csv', ['x,label', ...Array.from({ length: 12 }, (_, i) => `${i},${i % 2}`)].join('\n'));
      const points = await registry.addPath(file, { target: 'label' });
      expect(registry.findByHash(points.contentHash)).toEqual(points);
      expect(await datasetFilesByHash(registry, points.contentHash)).toMatchObject({ name: points.name, source: 'points.csv', files: [{ path: 'points.csv' }] });
      expect(await datasetFilesByHash(registry, 'e'.repeat(64))).toBeNull();
      expect(await datasetFilesByHash(registry, registry.list()[0]!.contentHash)).toBeNull();
    } finally {
      store.close();
    }
  });
});
