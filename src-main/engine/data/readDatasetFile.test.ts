import { execFileSync } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCifarBatch } from './cifar';
import { readCsvTable } from './csv';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';
import { readIdxPair } from './idx';
import { loadDataset } from './loadDataset';
import { readDatasetFile } from './readDatasetFile';

const MiB = 2 ** 20;
const tmp = useTempDir('read');

/** `bytes` zero bytes after `head`, gzipped: a few KiB on disk however many MiB they inflate to. */
function zerosGzipped(head: Uint8Array, bytes: number): Buffer {
  const raw = Buffer.alloc(head.length + bytes);
  raw.set(head);
  return gzipSync(raw, { level: 9 });
}

/** An IDX images header declaring n images of rows × cols. */
function idxImagesHeader(n: number, rows: number, cols: number): Uint8Array {
  const header = new DataView(new ArrayBuffer(16));
  header.setUint32(0, 0x00000803);
  header.setUint32(4, n);
  header.setUint32(8, rows);
  header.setUint32(12, cols);
  return new Uint8Array(header.buffer);
}

describe('readDatasetFile: only regular files', () => {
  it('refuses a link to /dev/zero at once instead of reading for ever, and a FIFO instead of waiting for a writer', async () => {
    const zero = path.join(tmp.path, 'zero.csv');
    await symlink('/dev/zero', zero);
    await expectFormatError(readDatasetFile(zero), zero, 'not a regular file (a device, FIFO or socket)');
    await expectFormatError(readCsvTable(zero, { target: 'label' }), zero, 'not a regular file');
    // The source itself is refused before any loader opens it, naming it as given.
    await expect(loadDataset(zero, { target: 'label' })).rejects.toThrow(`Dataset "${zero}": not a regular file or folder (a device, FIFO or socket)`);

    const fifo = path.join(tmp.path, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await expectFormatError(readDatasetFile(fifo), fifo, 'not a regular file (a device, FIFO or socket)');
    await expect(loadDataset(fifo, { target: 'label' })).rejects.toThrow('not a regular file or folder');
  });

  it('says what is wrong with a missing file and a directory', async () => {
    await expectFormatError(readDatasetFile(path.join(tmp.path, 'none.csv')), path.join(tmp.path, 'none.csv'), 'cannot read the file (no such file)');
    await expectFormatError(readDatasetFile(tmp.path), tmp.path, 'cannot read the file (it is a directory)');
  });
});

describe('readDatasetFile: capped reading and inflating', () => {
  it('reads a file at the cap and refuses one above it before reading it', async () => {
    const file = await tmp.write('exact.bin', new Uint8Array(1000).fill(7));
    expect((await readDatasetFile(file, 1000)).length).toBe(1000);
    await expectFormatError(readDatasetFile(file, 999), file, 'the file is 1000 bytes, more than the 999 bytes a dataset file may hold here');
  });

  it('stops inflating a gzip bomb at the cap: 64 MiB of zeros in 64 KiB, refused at 1 MiB', async () => {
    const bomb = zerosGzipped(new Uint8Array(0), 64 * MiB);
    expect(bomb.length).toBeLessThan(100_000);
    const file = await tmp.write('bomb.gz', bomb);
    const started = performance.now();
    await expectFormatError(readDatasetFile(file, MiB), file, 'its gzip data inflates to more than 1,048,576 bytes (1.0 MiB), the most a dataset file may hold here');
    expect(performance.now() - started).toBeLessThan(2000);
    // Within the cap it inflates as before.
    expect(Array.from(await readDatasetFile(await tmp.write('small.gz', gzipSync(Buffer.from([1, 2, 3]))), MiB))).toEqual([1, 2, 3]);
  });

  it('caps every reader: a gzipped CSV of millions of rows, an IDX file declaring 60,000 images, CIFAR batches', async () => {
    const rows = Buffer.from(`x,label\n${'0,0\n'.repeat(4 * MiB / 4)}`);
    const csv = await tmp.write('rows.csv.gz', gzipSync(rows));
    await expectFormatError(readCsvTable(csv, { target: 'label', maxBytes: MiB }), csv, 'inflates to more than 1,048,576 bytes');
    await expectFormatError(loadDataset(csv, { target: 'label', maxFileBytes: MiB }), csv, 'inflates to more than 1,048,576 bytes');

    // An IDX header that is honest about 60,000 28×28 images (47 MB), and a labels file beside it.
    const images = await tmp.write('train-images-idx3-ubyte.gz', zerosGzipped(idxImagesHeader(60_000, 28, 28), 60_000 * 28 * 28));
    const labels = await tmp.write('train-labels-idx1-ubyte', new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]));
    await expectFormatError(readIdxPair(images, labels, 10, MiB), images, 'inflates to more than 1,048,576 bytes');
    await expectFormatError(loadDataset(images, { maxFileBytes: MiB }), images, 'inflates to more than 1,048,576 bytes');

    const batch = await tmp.write('data_batch_1.bin', zerosGzipped(new Uint8Array(0), 3073 * 1000));
    await expectFormatError(readCifarBatch(batch, 'cifar-10', MiB), batch, 'inflates to more than 1,048,576 bytes');
  });
});
