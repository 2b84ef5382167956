import { describe, expect, it } from 'vitest';
import { parseCifarBatch, readCifarBatch, readCifarClassNames } from './cifar';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';

const PLANE = 1024;

/**
 * One record: label byte(s), then the red, green and blue planes (32×32 row-major each), every plane
 * filled with one value except the `marks`: [channel, row, col, value].
 */
function record(labels: number[], planeValues: [number, number, number], marks: Array<[number, number, number, number]> = []): number[] {
  const pixels = new Array<number>(3 * PLANE);
  for (let ch = 0; ch < 3; ch++) pixels.fill(planeValues[ch], ch * PLANE, (ch + 1) * PLANE);
  for (const [ch, row, col, value] of marks) pixels[ch * PLANE + row * 32 + col] = value;
  return [...labels, ...pixels];
}

const tmp = useTempDir('cifar');

describe('CIFAR-10 batches', () => {
  const twoRecords = [
    ...record([3], [10, 20, 30], [
      [0, 0, 1, 200], // red at row 0, col 1
      [1, 31, 0, 201], // green at row 31, col 0
      [2, 5, 7, 202], // blue at row 5, col 7
    ]),
    ...record([9], [1, 2, 3]),
  ];

  it('reads labels and converts channel-planar pixels to HWC', async () => {
    const file = await tmp.write('data_batch_1.bin', twoRecords);
    const batch = await readCifarBatch(file, 'cifar-10');
    expect(batch.n).toBe(2);
    expect(Array.from(batch.labels)).toEqual([3, 9]);
    expect(batch.images.length).toBe(2 * 3072);
    // HWC index of (row, col, channel) is (row·32 + col)·3 + channel.
    expect(Array.from(batch.images.subarray(0, 3))).toEqual([10, 20, 30]); // pixel (0,0)
    expect(Array.from(batch.images.subarray(3, 6))).toEqual([200, 20, 30]); // pixel (0,1): marked red
    expect(batch.images[2977]).toBe(201); // (31·32 + 0)·3 + 1
    expect(batch.images[2976]).toBe(10);
    expect(batch.images[503]).toBe(202); // (5·32 + 7)·3 + 2
    expect(Array.from(batch.images.subarray(3072, 3078))).toEqual([1, 2, 3, 1, 2, 3]); // second image
    expect(Array.from(batch.images.subarray(6141))).toEqual([1, 2, 3]); // its last pixel (31,31)
  });

  it('rejects a truncated file, saying the record size and the leftover bytes', () => {
    const cut = Uint8Array.from(twoRecords.slice(0, -1));
    expect(() => parseCifarBatch(cut, 'data_batch_2.bin', 'cifar-10')).toThrow(
      'data_batch_2.bin: truncated: 6145 bytes is not a multiple of the 3073-byte cifar-10 record',
    );
    expect(() => parseCifarBatch(cut, 'data_batch_2.bin', 'cifar-10')).toThrow('the last record has 3072 bytes');
  });

  it('rejects an empty file and a label out of range', async () => {
    const empty = await tmp.write('empty.bin', []);
    await expectFormatError(readCifarBatch(empty, 'cifar-10'), empty, 'the file is empty');
    const badLabel = await tmp.write('bad.bin', [...record([1], [0, 0, 0]), ...record([10], [0, 0, 0])]);
    await expectFormatError(readCifarBatch(badLabel, 'cifar-10'), badLabel, 'record 1: label 10 is out of range (expected 0..9)');
  });

  it('reads class names from batches.meta.txt when it has ten names', async () => {
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    await tmp.write('batches.meta.txt', `${names.join('\r\n')}\r\n\r\n`);
    expect(await readCifarClassNames(tmp.path, 'cifar-10')).toEqual(names);
    await tmp.write('batches.meta.txt', 'just\nthree\nnames\n');
    expect(await readCifarClassNames(tmp.path, 'cifar-10')).toBeUndefined();
  });

  it('has no class names without the meta file', async () => {
    expect(await readCifarClassNames(tmp.path, 'cifar-10')).toBeUndefined();
  });
});

describe('CIFAR-100', () => {
  it('uses the fine label (the second byte) of each 3074-byte record', async () => {
    const file = await tmp.write('train.bin', [
      ...record([4, 57], [7, 8, 9], [[2, 0, 0, 99]]),
      ...record([19, 99], [0, 0, 0]),
    ]);
    const batch = await readCifarBatch(file, 'cifar-100');
    expect(batch.n).toBe(2);
    expect(Array.from(batch.labels)).toEqual([57, 99]);
    expect(Array.from(batch.images.subarray(0, 6))).toEqual([7, 8, 99, 7, 8, 9]);
  });

  it('rejects fine labels ≥ 100, coarse labels ≥ 20 and a record cut short', () => {
    expect(() => parseCifarBatch(Uint8Array.from(record([4, 100], [0, 0, 0])), 'train.bin', 'cifar-100')).toThrow(
      'train.bin: record 0: fine label 100 is out of range (expected 0..99)',
    );
    expect(() => parseCifarBatch(Uint8Array.from(record([20, 5], [0, 0, 0])), 'train.bin', 'cifar-100')).toThrow(
      'record 0: coarse label 20 is out of range (expected 0..19)',
    );
    // A CIFAR-10 record (3073 bytes) read as CIFAR-100 is one byte short of a 3074-byte record.
    expect(() => parseCifarBatch(Uint8Array.from(record([1], [0, 0, 0])), 'train.bin', 'cifar-100')).toThrow(
      'not a multiple of the 3074-byte cifar-100 record (2 label bytes + 3072 pixel bytes)',
    );
  });
});
