import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors';
import { describeDatasetSources, resolveDatasetSource } from './datasetSources';
import { useTempDir } from './datasetFiles.testkit';

const tmp = useTempDir('sources');

async function rejection(source: string): Promise<UserInputError> {
  const error = await resolveDatasetSource(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserInputError);
  return error as UserInputError;
}

describe('resolveDatasetSource', () => {
  it('knows the embedded mnist by name', async () => {
    expect(await resolveDatasetSource('mnist')).toEqual({ kind: 'embedded-mnist' });
    expect(await resolveDatasetSource('MNIST')).toEqual({ kind: 'embedded-mnist' });
  });

  it('finds the four MNIST files in a folder, raw, gzipped or spelled with a dot', async () => {
    for (const name of ['train-images-idx3-ubyte.gz', 'train-labels.idx1-ubyte', 't10k-images.idx3-ubyte.gz', 't10k-labels-idx1-ubyte']) {
      await tmp.write(`fashion/${name}`, []);
    }
    const dir = path.join(tmp.path, 'fashion');
    expect(await resolveDatasetSource(dir)).toEqual({
      kind: 'idx-directory',
      dir,
      train: { images: path.join(dir, 'train-images-idx3-ubyte.gz'), labels: path.join(dir, 'train-labels.idx1-ubyte') },
      test: { images: path.join(dir, 't10k-images.idx3-ubyte.gz'), labels: path.join(dir, 't10k-labels-idx1-ubyte') },
    });
  });

  it('names the missing files of an incomplete MNIST folder', async () => {
    await tmp.write('partial/train-images-idx3-ubyte', []);
    await tmp.write('partial/train-labels-idx1-ubyte', []);
    const error = await rejection(path.join(tmp.path, 'partial'));
    expect(error.message).toContain('it looks like MNIST but lacks t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte');
  });

  it('recognises CIFAR-10 batches, also inside the archive folder, and names missing batches', async () => {
    for (const name of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      await tmp.write(`c10/cifar-10-batches-bin/${name}`, []);
    }
    const inner = path.join(tmp.path, 'c10', 'cifar-10-batches-bin');
    const resolved = await resolveDatasetSource(path.join(tmp.path, 'c10'));
    expect(resolved).toMatchObject({ kind: 'cifar', variant: 'cifar-10', dir: inner, testFile: path.join(inner, 'test_batch.bin') });
    expect(resolved.kind === 'cifar' && resolved.trainFiles.map((f) => path.basename(f))).toEqual([
      'data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin',
    ]);
    await tmp.write('c10b/data_batch_1.bin', []);
    expect((await rejection(path.join(tmp.path, 'c10b'))).message).toContain(
      'looks like CIFAR-10 but lacks data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin',
    );
  });

  it('recognises CIFAR-100 train.bin and test.bin', async () => {
    await tmp.write('c100/train.bin', []);
    await tmp.write('c100/test.bin', []);
    expect(await resolveDatasetSource(path.join(tmp.path, 'c100'))).toMatchObject({
      kind: 'cifar',
      variant: 'cifar-100',
      trainFiles: [path.join(tmp.path, 'c100', 'train.bin')],
    });
  });

  it('takes a single IDX images file and finds its labels beside it', async () => {
    const images = await tmp.write('emnist-letters-train-images-idx3-ubyte.gz', []);
    const labels = await tmp.write('emnist-letters-train-labels-idx1-ubyte', []);
    expect(await resolveDatasetSource(images)).toEqual({ kind: 'idx-file', files: { images, labels }, numClasses: undefined });
    const standard = await tmp.write('train-images-idx3-ubyte', []);
    const standardLabels = await tmp.write('train-labels-idx1-ubyte.gz', []);
    expect(await resolveDatasetSource(standard)).toEqual({
      kind: 'idx-file',
      files: { images: standard, labels: standardLabels },
      numClasses: 10,
    });
  });

  it('says what is wrong with a lone IDX file', async () => {
    const orphan = await tmp.write('t10k-images-idx3-ubyte', []);
    expect((await rejection(orphan)).message).toContain(
      `its labels file is missing; expected ${path.join(tmp.path, 't10k-labels-idx1-ubyte')} or ${path.join(tmp.path, 't10k-labels-idx1-ubyte.gz')}`,
    );
    const labels = await tmp.write('x-labels-idx1-ubyte', []);
    expect((await rejection(labels)).message).toContain('is an IDX labels file: pass the images file');
  });

  it('takes .csv and .csv.gz files', async () => {
    const csv = await tmp.write('iris.CSV', 'a\n');
    expect(await resolveDatasetSource(csv)).toEqual({ kind: 'csv', file: csv });
  });

  it('rejects unknown names, unknown files and unrelated folders, listing what is accepted', async () => {
    const unknown = await rejection('cifar11');
    expect(unknown.message).toContain('Unknown dataset "cifar11"');
    expect(unknown.message).toContain(describeDatasetSources());
    const text = await tmp.write('notes.txt', 'hi');
    expect((await rejection(text)).message).toContain(`Unknown kind of dataset file "${text}"`);
    await tmp.write('empty/readme.md', '');
    const folder = await rejection(path.join(tmp.path, 'empty'));
    expect(folder.message).toContain('no MNIST, Fashion-MNIST, CIFAR-10 or CIFAR-100 files found in it');
    expect(folder.message).toContain('data_batch_1.bin');
  });
});

describe('resolveDatasetSource: archives', () => {
  it('refuses a .tar.gz, naming it, the tar command and the folder it unpacks to, read from its first header', async () => {
    for (const name of ['data_batch_1.bin', 'test_batch.bin']) await tmp.write(`build/cifar-10-batches-bin/${name}`, 'x');
    const archive = path.join(tmp.path, 'downloads', 'cifar-10-binary.tar.gz');
    await mkdir(path.dirname(archive));
    execFileSync('tar', ['czf', archive, '-C', path.join(tmp.path, 'build'), 'cifar-10-batches-bin']);
    const downloads = path.join(tmp.path, 'downloads');
    const expected = [
      `Dataset file "${archive}" is an archive: CurveLab reads the files it holds, not the archive itself. Extract it first:`,
      `  tar xzf ${archive} -C ${downloads}`,
      `then pass the folder it makes: --dataset ${path.join(downloads, 'cifar-10-batches-bin')} (see docs/datasets.md)`,
    ].join('\n');
    expect((await rejection(archive)).message).toBe(expected);
    // The folder it was downloaded to, holding only the archive, gets the same answer.
    expect((await rejection(downloads)).message).toBe(expected);
  });

  it('says where the files of a plain tar with files at its top land, and gives the unzip command for a .zip', async () => {
    await tmp.write('flat/train-images-idx3-ubyte', 'x');
    const tar = path.join(tmp.path, 'my data.tar');
    execFileSync('tar', ['cf', tar, '-C', path.join(tmp.path, 'flat'), 'train-images-idx3-ubyte']);
    const message = (await rejection(tar)).message;
    expect(message).toContain(`  tar xf '${tar}' -C ${tmp.path}\n`);
    expect(message).toContain(`then pass the folder it makes: --dataset ${tmp.path} (see docs/datasets.md)`);
    const zip = await tmp.write('photos.ZIP', 'PK');
    expect((await rejection(zip)).message).toContain(
      `  unzip ${zip} -d ${tmp.path}\nthen pass the folder it makes (a folder of IDX or CIFAR files, or of class subfolders of images)`,
    );
  });
});
