import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDataset } from '../../engine/data/loadDataset';
import { useTempDir } from '../../engine/data/datasetFiles.testkit';
import { rawImage, solidImage } from '../../engine/data/imageFiles.testkit';
import { UserInputError } from '../../engine/errors';
import { LabError } from '../api/labErrors';
import { openStore, type Store } from '../store';
import { inThreadDatasetLoader } from './datasetLoading';
import { DatasetRegistry } from './datasetRegistry';

// Counts the loads (each one reads and parses every file of a dataset) while loading as before.
vi.mock('../../engine/data/loadDataset', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../engine/data/loadDataset')>();
  return { ...original, loadDataset: vi.fn(original.loadDataset) };
});

const tmp = useTempDir('datasets');
let store: Store;
let registry: DatasetRegistry;
beforeEach(() => {
  store = openStore(':memory:');
  // Loaded in this thread, so that the mock above counts the loads (workerDatasetLoader.test.ts loads in workers).
  registry = new DatasetRegistry(store, join(tmp.path, 'uploads'), inThreadDatasetLoader());
});
afterEach(() => store.close());

/** 20 rows: two features and an integer label; the label is 1 exactly when a > b. */
const csvRows = Array.from({ length: 20 }, (_, i) => [i * 0.5, 10 - i, i * 0.5 > 10 - i ? 1 : 0]);
const csvText = ['a,b,label', ...csvRows.map((r) => r.join(','))].join('\n');

function idx3(images: number[][], rows: number, cols: number): Uint8Array {
  const header = new DataView(new ArrayBuffer(16));
  header.setUint32(0, 0x00000803);
  header.setUint32(4, images.length);
  header.setUint32(8, rows);
  header.setUint32(12, cols);
  return new Uint8Array([...new Uint8Array(header.buffer), ...images.flat()]);
}

function idx1(labels: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(8));
  header.setUint32(0, 0x00000801);
  header.setUint32(4, labels.length);
  return new Uint8Array([...new Uint8Array(header.buffer), ...labels]);
}

describe('DatasetRegistry', () => {
  it('registers a CSV with its shapes and classes, and previews the original values', async () => {
    const file = await tmp.write('points.csv', csvText);
    const dataset = await registry.addPath(file, { target: 'label' });
    expect(dataset).toMatchObject({
      source: file, origin: 'path', target: 'label', format: 'csv', task: 'classification',
      inputShape: [2], classes: 2, trainSize: 18, validationSize: 2,
    });
    expect(store.datasets.list()).toHaveLength(1);
    const preview = await registry.preview(dataset.id, 100);
    if (preview.kind !== 'table') throw new Error('expected a table');
    expect(preview.columns).toEqual(['a', 'b', 'label']);
    expect(preview.rows).toHaveLength(18);
    // Every previewed row is one of the file's rows (the validation split takes two out), un-standardised.
    const written = new Set(csvRows.map((r) => `${r[0]}|${r[1]}|${r[2]}`));
    for (const row of preview.rows) expect(written.has(`${row[0]}|${row[1]}|${row[2]}`), JSON.stringify(row)).toBe(true);
  });

  it('previews IDX images as their original bytes with their labels', async () => {
    const train = [[0, 255, 17, 128], [1, 2, 3, 4], [250, 0, 0, 9]];
    const test = [[5, 6, 7, 8]];
    await tmp.write('digits/train-images-idx3-ubyte', idx3(train, 2, 2));
    await tmp.write('digits/train-labels-idx1-ubyte', idx1([3, 1, 4]));
    await tmp.write('digits/t10k-images-idx3-ubyte', idx3(test, 2, 2));
    await tmp.write('digits/t10k-labels-idx1-ubyte', idx1([5]));
    const dataset = await registry.addPath(join(tmp.path, 'digits'), { name: 'tiny digits' });
    expect(dataset).toMatchObject({ name: 'tiny digits', format: 'idx', inputShape: [2, 2, 1], classes: 10, trainSize: 3, validationSize: 1 });
    const preview = await registry.preview(dataset.id, 2);
    expect(preview).toEqual({
      kind: 'images', height: 2, width: 2, channels: 1,
      samples: [{ label: '3', pixels: train[0] }, { label: '1', pixels: train[1] }],
    });
  });

  it('registers a folder of images in class subfolders with its class names, and previews the pixels labelled by them', async () => {
    await tmp.write('pets/train/dog/d.png', await rawImage([255, 0, 0, 0, 0, 255], 2, 1, 3));
    await tmp.write('pets/train/cat/c.png', await solidImage(2, 1, [9, 99, 199]));
    await tmp.write('pets/val/cat/v.png', await solidImage(2, 1, [1, 2, 3]));
    const dataset = await registry.addPath(join(tmp.path, 'pets'), {});
    expect(dataset).toMatchObject({ name: 'pets', format: 'image-folder', inputShape: [1, 2, 3], classes: 2, classNames: ['cat', 'dog'], trainSize: 2, validationSize: 1 });
    expect(await registry.preview(dataset.id, 2)).toEqual({
      kind: 'images', height: 1, width: 2, channels: 3,
      samples: [{ label: 'cat', pixels: [9, 99, 199, 9, 99, 199] }, { label: 'dog', pixels: [255, 0, 0, 0, 0, 255] }],
    });
  });

  it('the same content at another path has the same hash; adding the same path twice keeps one row', async () => {
    const a = await tmp.write('a/points.csv', csvText);
    const b = await tmp.write('b/points.csv', csvText);
    const first = await registry.addPath(a, { target: 'label' });
    const second = await registry.addPath(b, { target: 'label' });
    expect(second.contentHash).toBe(first.contentHash);
    expect(second.id).not.toBe(first.id);
    expect((await registry.addPath(a, { target: 'label' })).id).toBe(first.id);
    const changed = await tmp.write('c/points.csv', csvText.replace('0,10,0', '0,11,0'));
    expect((await registry.addPath(changed, { target: 'label' })).contentHash).not.toBe(first.contentHash);
  });

  it('a file that does not load is refused naming it, and nothing is registered', async () => {
    const file = await tmp.write('broken.csv', 'a,b,label\n1,2\n');
    await expect(registry.addPath(file, { target: 'label' })).rejects.toThrow(UserInputError);
    await expect(registry.addPath(file, { target: 'label' })).rejects.toThrow('broken.csv');
    await expect(registry.addPath(join(tmp.path, 'nowhere'), {})).rejects.toThrow('nowhere');
    expect(store.datasets.list()).toEqual([]);
  });

  it('uploads are saved in their own folder and registered; a bad upload leaves no files behind', async () => {
    const uploaded = await registry.addUpload([{ fileName: 'points.csv', base64: Buffer.from(csvText).toString('base64') }], { target: 'label' });
    expect(uploaded).toMatchObject({ origin: 'upload', name: 'points.csv', classes: 2 });
    expect(uploaded.source.startsWith(join(tmp.path, 'uploads'))).toBe(true);
    const refused = registry.addUpload([{ fileName: 'bad.csv', base64: Buffer.from('a,label\n1\n').toString('base64') }], { target: 'label' });
    await expect(refused).rejects.toThrow(UserInputError);
    // The message names the file as the user knows it, not the folder it was saved in.
    await expect(refused).rejects.toThrow(/^bad\.csv: /);
    expect(await readdir(join(tmp.path, 'uploads'))).toHaveLength(1);
    await expect(registry.addUpload([{ fileName: '..', base64: '' }], {})).rejects.toThrow(LabError);
  });

  it('registers the embedded mnist once; it cannot be removed, others can', async () => {
    await registry.ensureEmbedded();
    await registry.ensureEmbedded();
    const [mnist] = registry.list();
    expect(registry.list()).toHaveLength(1);
    expect(mnist).toMatchObject({ source: 'mnist', origin: 'embedded', format: 'embedded-mnist', inputShape: [28, 28, 1], classes: 10, trainSize: 8000, validationSize: 2000 });
    expect(() => registry.remove(mnist!.id)).toThrow(expect.objectContaining({ code: 'conflict' }));
    const csv = await registry.addPath(await tmp.write('p.csv', csvText), { target: 'label' });
    registry.remove(csv.id);
    expect(registry.list().map((d) => d.id)).toEqual([mnist!.id]);
    expect(() => registry.get(csv.id)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('checks a relative path against its shapes and then registers it with one load', async () => {
    const file = join(tmp.path, 'relative.csv');
    await writeFile(file, csvText);
    const source = relative(process.cwd(), file);
    vi.mocked(loadDataset).mockClear();
    expect(await registry.shapes(source, 'label')).toEqual({ inputShape: [2], outputSize: 2 });
    expect(await registry.ensureRegistered(source, 'label')).toBe(true);
    expect(await registry.ensureRegistered(file, 'label')).toBe(false);
    expect(vi.mocked(loadDataset)).toHaveBeenCalledTimes(1);
  });

  it("gives the sizes of a dataset's splits, loaded or registered, for the subsets a run may take", async () => {
    const file = join(tmp.path, 'sizes.csv');
    await writeFile(file, csvText);
    vi.mocked(loadDataset).mockClear();
    // 20 rows, a tenth held out for validation.
    expect(await registry.splitSizes(file, 'label')).toEqual({ trainSize: 18, validationSize: 2 });
    await registry.ensureRegistered(file, 'label');
    expect(await registry.splitSizes(file, 'label')).toEqual({ trainSize: 18, validationSize: 2 });
    expect(vi.mocked(loadDataset)).toHaveBeenCalledTimes(1);
  });
});

describe('DatasetRegistry: a file that is not a dataset', () => {
  it('is refused naming the file and what was expected, never quoting it (a link to someone’s ~/.env)', async () => {
    const secret = await tmp.write('home/.env', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\nDB_PASSWORD=hunter2\n');
    const link = join(tmp.path, 'innocent.csv');
    await symlink(secret, link);
    for (const target of [undefined, 'label', 'AWS_SECRET_ACCESS_KEY']) {
      const error = await registry.addPath(link, target === undefined ? {} : { target }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserInputError);
      const message = (error as Error).message;
      expect(message).toContain('innocent.csv');
      for (const content of ['wJalrXUtnFEMI', 'hunter2', 'DB_PASSWORD']) expect(message).not.toContain(content);
    }
    expect(store.datasets.list()).toEqual([]);
  });
});

describe('DatasetRegistry: upload errors', () => {
  it('never show where the lab keeps uploads, whatever fails', async () => {
    // The upload folder cannot be made: its parent is a file.
    const blocked = new DatasetRegistry(store, join(await tmp.write('not-a-folder', 'x'), 'uploads'), inThreadDatasetLoader());
    const error = await blocked.addUpload([{ fileName: 'points.csv', base64: Buffer.from(csvText).toString('base64') }], { target: 'label' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'storage', message: "the uploaded files could not be saved on the lab's machine (ENOTDIR)" });
    expect((error as Error).message).not.toContain(tmp.path);
    // Two files of one name: refused by name, before anything is written.
    const twice = await registry.addUpload([{ fileName: 'a.csv', base64: '' }, { fileName: 'dir/a.csv', base64: '' }], {}).catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 'invalid-request', field: 'files.1.fileName', message: 'uploadDataset: files.1.fileName: "a.csv" is sent twice' });
    expect(await readdir(join(tmp.path, 'uploads'))).toEqual([]);
  });
});
