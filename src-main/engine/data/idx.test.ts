import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';
import { readIdxPair } from './idx';

// Three 2×2 images, written out byte by byte: magic 00 00 08 03, then n = 3, rows = 2, cols = 2 as
// big-endian uint32, then the pixels row-major.
const IMAGES = [
  [0x00, 0x00, 0x08, 0x03, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2],
  [0, 255, 10, 20],
  [30, 40, 50, 60],
  [255, 254, 1, 2],
].flat();
const LABELS = [0x00, 0x00, 0x08, 0x01, 0, 0, 0, 3, 7, 2, 9];

const tmp = useTempDir('idx');
const writeBytes = (name: string, bytes: ArrayLike<number>): Promise<string> => tmp.write(name, bytes);

describe('readIdxPair', () => {
  it('reads raw images and labels with their dimensions and pixels', async () => {
    const pair = await readIdxPair(await writeBytes('im', IMAGES), await writeBytes('lb', LABELS), 10);
    expect(pair.images).toMatchObject({ n: 3, rows: 2, cols: 2 });
    expect(Array.from(pair.images.pixels)).toEqual([0, 255, 10, 20, 30, 40, 50, 60, 255, 254, 1, 2]);
    expect(Array.from(pair.labels)).toEqual([7, 2, 9]);
    expect(pair.numClasses).toBe(10);
  });

  it('detects gzip by its magic bytes, not by the name', async () => {
    const images = await writeBytes('images-no-suffix', gzipSync(Uint8Array.from(IMAGES)));
    const labels = await writeBytes('labels.gz', gzipSync(Uint8Array.from(LABELS)));
    const rawNamedGz = await writeBytes('raw-but-named.gz', IMAGES);
    const pair = await readIdxPair(images, labels);
    expect(Array.from(pair.images.pixels)).toEqual([0, 255, 10, 20, 30, 40, 50, 60, 255, 254, 1, 2]);
    expect(Array.from(pair.labels)).toEqual([7, 2, 9]);
    expect((await readIdxPair(rawNamedGz, labels)).images.n).toBe(3);
  });

  it('infers the number of classes from the largest label when none is given', async () => {
    const pair = await readIdxPair(await writeBytes('im', IMAGES), await writeBytes('lb', LABELS));
    expect(pair.numClasses).toBe(10); // largest label 9
  });

  it('rejects a bad magic number, naming the expected one', async () => {
    const labelsAsImages = await writeBytes('swapped', LABELS);
    await expectFormatError(
      readIdxPair(labelsAsImages, await writeBytes('lb', LABELS)),
      labelsAsImages,
      'bad magic number 0x00000801',
      'expected 0x00000803',
    );
    const notIdx = await writeBytes('text', [...Buffer.from('hello world, not idx')]);
    await expectFormatError(readIdxPair(notIdx, await writeBytes('lb2', LABELS)), notIdx, 'not an IDX file: bad magic number: expected 0x00000803');
    const message = await readIdxPair(notIdx, await writeBytes('lb3', LABELS)).catch((error: Error) => error.message);
    // Neither the text nor its bytes in hex ("hell" is 0x68656c6c).
    for (const content of ['hello', 'hell', '68656c6c']) expect(message).not.toContain(content);
  });

  it('rejects a data type other than unsigned bytes', async () => {
    const floats = await writeBytes('floats', [0, 0, 0x0d, 0x03, ...IMAGES.slice(4)]);
    await expectFormatError(
      readIdxPair(floats, await writeBytes('lb', LABELS)),
      floats,
      'wrong data type code 0x0d (float32)',
    );
  });

  it('rejects truncated data, saying how many bytes were expected and found', async () => {
    const truncated = await writeBytes('short', IMAGES.slice(0, -2));
    // 16-byte header + 3×2×2 pixels = 28 bytes; the file has 26.
    await expectFormatError(
      readIdxPair(truncated, await writeBytes('lb', LABELS)),
      truncated,
      'truncated',
      'expected 28 bytes',
      'found 26',
    );
    const shortHeader = await writeBytes('header', IMAGES.slice(0, 10));
    await expectFormatError(readIdxPair(shortHeader, await writeBytes('lb2', LABELS)), shortHeader, 'expected a 16-byte header, found only 10 bytes');
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(Uint8Array.from(IMAGES));
    const cut = await writeBytes('cut.gz', gz.subarray(0, gz.length - 6));
    await expectFormatError(readIdxPair(cut, await writeBytes('lb', LABELS)), cut, 'gzip data is corrupt or truncated');
  });

  it('rejects image and label counts that differ', async () => {
    const twoLabels = await writeBytes('two', [0, 0, 8, 1, 0, 0, 0, 2, 1, 2]);
    await expectFormatError(
      readIdxPair(await writeBytes('im', IMAGES), twoLabels),
      twoLabels,
      'image/label count mismatch: 2 labels',
      'has 3 images',
    );
  });

  it('rejects a label out of range', async () => {
    const bad = await writeBytes('bad', [0, 0, 8, 1, 0, 0, 0, 3, 1, 12, 3]);
    await expectFormatError(
      readIdxPair(await writeBytes('im', IMAGES), bad, 10),
      bad,
      'label 12 at index 1 is out of range: expected 0..9',
    );
  });

  it('names a missing file', async () => {
    const missing = path.join(tmp.path, 'nope');
    await expectFormatError(readIdxPair(missing, await writeBytes('lb', LABELS)), missing, 'no such file');
  });
});
