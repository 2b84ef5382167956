import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../errors';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';
import { resolveDatasetSource } from './datasetSources';
import { readImageFolder, readImageSettings, MAX_IMAGE_VALUES } from './imageFolder';
import { rawImage, solidImage } from './imageFiles.testkit';
import type { ImageFolderSource } from './imageFolderSource';
import { loadDataset } from './loadDataset';

const tmp = useTempDir('images');

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

async function imageSource(dir: string): Promise<ImageFolderSource> {
  const source = await resolveDatasetSource(path.join(tmp.path, dir));
  if (source.kind !== 'image-folder') throw new Error(`expected an image folder, got ${source.kind}`);
  return source;
}

/** Every pixel of each image as [r, g, b] (or [grey]) lists, image by image. */
function pixelsOf(pixels: Uint8Array, channels: number, pixelsPerImage: number): number[][][] {
  const images: number[][][] = [];
  for (let i = 0; i < pixels.length / (channels * pixelsPerImage); i++) {
    images.push(Array.from({ length: pixelsPerImage }, (_, p) => Array.from(pixels.subarray((i * pixelsPerImage + p) * channels, (i * pixelsPerImage + p + 1) * channels))));
  }
  return images;
}

describe('image folders: layout and labels', () => {
  it('labels by the sorted class folder names, reads train/ and val/ as the two splits, and standardises per channel', async () => {
    // Classes sort by code point: "Zebra" < "apple" < "banana". Train: one blue apple, two red bananas, one red Zebra.
    await tmp.write('fruit/train/banana/b2.png', await solidImage(4, 3, RED));
    await tmp.write('fruit/train/banana/b1.png', await solidImage(4, 3, RED));
    await tmp.write('fruit/train/apple/a.png', await solidImage(4, 3, BLUE));
    await tmp.write('fruit/train/Zebra/z.png', await solidImage(4, 3, RED));
    await tmp.write('fruit/train/apple/.DS_Store', 'finder');
    await tmp.write('fruit/val/apple/v.jpg', await solidImage(4, 3, BLUE, 'jpeg'));
    await tmp.write('fruit/README.md', 'loose files at the top are not images of a class');
    const dataset = await loadDataset(path.join(tmp.path, 'fruit'));
    expect(dataset).toMatchObject({ name: 'fruit', task: 'classification', inputShape: [3, 4, 3], numClasses: 3, augment: false });
    expect(dataset.classNames).toEqual(['Zebra', 'apple', 'banana']);
    expect(Array.from(dataset.train.y)).toEqual([0, 1, 2, 2]);
    expect(Array.from(dataset.validation.y)).toEqual([1]);
    // Scaled to [0, 1], training R is 1, 0, 1, 1 (mean 3/4, std √3/4), G constant 0 (only centred), B 0, 1, 0, 0.
    const { mean, std, names } = dataset.normalization!;
    expect(names).toEqual(['R', 'G', 'B']);
    expect(mean[0]).toBeCloseTo(3 / 4, 6);
    expect(std[0]).toBeCloseTo(Math.sqrt(3) / 4, 6);
    expect([mean[1], std[1]]).toEqual([0, 1]);
    expect(mean[2]).toBeCloseTo(1 / 4, 6);
    // A red pixel standardised: R (1 − 3/4)/(√3/4) = 1/√3, B (0 − 1/4)/(√3/4) = −1/√3.
    const red = Array.from(dataset.train.x.subarray(0, 3));
    expect(red[0]).toBeCloseTo(1 / Math.sqrt(3), 5);
    expect(red[1]).toBe(0);
    expect(red[2]).toBeCloseTo(-1 / Math.sqrt(3), 5);
    // The validation JPEG is blue (254 or 255 after JPEG's colour conversion): B ≈ (1 − 1/4)/(√3/4) = √3.
    expect(dataset.validation.x[2]).toBeCloseTo(Math.sqrt(3), 1);
  });

  it('holds out a seeded validation set when there is no validation folder', async () => {
    for (let i = 0; i < 10; i++) await tmp.write(`shapes/${i % 2 ? 'odd' : 'even'}/${i}.png`, await solidImage(2, 2, [25 * i, 25 * i, 25 * i]));
    const dataset = await loadDataset(path.join(tmp.path, 'shapes'), { validationFraction: 0.2, seed: 3 });
    expect([dataset.train.n, dataset.validation.n]).toEqual([8, 2]);
    expect(dataset.inputShape).toEqual([2, 2, 1]);
    // Undo the standardisation: grey level 25·i identifies image i, whose label is its folder's (even 0, odd 1).
    const { mean, std } = dataset.normalization!;
    const indices = (x: Float32Array): number[] => Array.from(x.filter((_, j) => j % 4 === 0), (v) => Math.round(((v * std[0] + mean[0]) * 255) / 25));
    const all = [...indices(dataset.train.x), ...indices(dataset.validation.x)];
    expect([...all].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...Array.from(dataset.train.y), ...Array.from(dataset.validation.y)]).toEqual(all.map((i) => i % 2));
    const again = await loadDataset(path.join(tmp.path, 'shapes'), { validationFraction: 0.2, seed: 3 });
    expect(Array.from(again.validation.x)).toEqual(Array.from(dataset.validation.x));
  });

  it('refuses a folder that breaks the layout, naming the entry', async () => {
    const refused = async (dir: string, entry: string, ...fragments: string[]) =>
      expectFormatError(resolveDatasetSource(path.join(tmp.path, dir)), path.join(tmp.path, entry), ...fragments);
    const png = await solidImage(2, 2, RED);

    await tmp.write('empty/cat/c.png', png);
    await tmp.write('empty/dog/.keep', ''); // hidden files do not count
    await refused('empty', 'empty/dog', 'an empty class folder');

    await tmp.write('text/cat/c.png', png);
    await tmp.write('text/dog/d.png', png);
    await tmp.write('text/dog/labels.txt', 'dog');
    await refused('text', 'text/dog/labels.txt', 'not a PNG or JPEG image by its name');

    await tmp.write('nested/cat/c.png', png);
    await tmp.write('nested/dog/puppies/p.png', png);
    await tmp.write('nested/dog/d.png', png);
    await refused('nested', 'nested/dog/puppies', 'a folder inside a class folder');

    await tmp.write('loose/cat/c.png', png);
    await tmp.write('loose/dog/d.png', png);
    await tmp.write('loose/stray.jpg', png);
    await refused('loose', 'loose/stray.jpg', 'an image outside the class folders');

    await tmp.write('single/cat/c.png', png);
    await refused('single', 'single', 'only one class folder (cat): a classifier needs at least two');

    await tmp.write('extra/train/cat/c.png', png);
    await tmp.write('extra/train/dog/d.png', png);
    await tmp.write('extra/validation/cow/w.png', png);
    await refused('extra', 'extra/validation/cow', `a validation class that ${path.join(tmp.path, 'extra', 'train')} lacks; its classes are cat, dog`);
  });

  it('is not taken for an image folder when no class folder holds an image', async () => {
    await tmp.write('docs/notes/readme.txt', 'no images here');
    const error = await resolveDatasetSource(path.join(tmp.path, 'docs')).catch((e: unknown) => e);
    expect((error as Error).message).toContain('no MNIST, Fashion-MNIST, CIFAR-10 or CIFAR-100 files found in it, nor class subfolders of PNG or JPEG images');
  });
});

describe('image folders: decoding', () => {
  it('gives the pixels as written: RGB kept, transparency on white, grey images as one channel, JPEG within its rounding', async () => {
    // A 2×1 image with a red and a fully transparent (stored black) pixel, and a two-colour JPEG.
    await tmp.write('colour/a/alpha.png', await rawImage([255, 0, 0, 255, 0, 0, 0, 0], 2, 1, 4));
    await tmp.write('colour/b/photo.jpeg', await rawImage([0, 0, 255, 128, 128, 128], 2, 1, 3, 'jpeg'));
    const colour = await readImageFolder(await imageSource('colour'));
    expect(colour.shape).toEqual([1, 2, 3]);
    const [alpha, photo] = pixelsOf(colour.pixels, 3, 2);
    expect(alpha).toEqual([RED, [255, 255, 255]]);
    photo.flat().forEach((value, i) => expect(Math.abs(value - [0, 0, 255, 128, 128, 128][i]), `JPEG value ${i}`).toBeLessThanOrEqual(2));

    // A greyscale PNG and an RGB PNG whose pixels are all grey: one channel.
    await tmp.write('grey/a/one-channel.png', await solidImage(2, 1, [51]));
    await tmp.write('grey/b/rgb-but-grey.png', await rawImage([200, 200, 200, 7, 7, 7], 2, 1, 3));
    const grey = await readImageFolder(await imageSource('grey'));
    expect(grey.shape).toEqual([1, 2, 1]);
    expect(Array.from(grey.pixels)).toEqual([51, 51, 200, 7]);

    // One colour image among grey ones: three channels, the grey ones R = G = B.
    await tmp.write('grey/c/colour.png', await solidImage(2, 1, BLUE));
    const mixed = await readImageFolder(await imageSource('grey'));
    expect(mixed.shape).toEqual([1, 2, 3]);
    expect(pixelsOf(mixed.pixels, 3, 2)).toEqual([[[51, 51, 51], [51, 51, 51]], [[200, 200, 200], [7, 7, 7]], [BLUE, BLUE]]);
  });

  it('refuses images of another size unless a size is stated, then resizes every image to it', async () => {
    await tmp.write('sizes/a/wide.png', await rawImage([...RED, ...RED, ...BLUE, ...BLUE, ...RED, ...RED, ...BLUE, ...BLUE], 4, 2, 3));
    await tmp.write('sizes/b/small.png', await solidImage(3, 5, [10, 20, 30]));
    const small = path.join(tmp.path, 'sizes', 'b', 'small.png');
    await expectFormatError(
      readImageFolder(await imageSource('sizes')),
      small,
      `the image is 3 wide × 5 high, but ${path.join(tmp.path, 'sizes', 'a', 'wide.png')} is 4 wide × 2 high: images must share one size`,
      '"imageSize": [height, width]',
    );

    await tmp.write('sizes/curvelab-images.json', JSON.stringify({ imageSize: [2, 2] }));
    const resized = await readImageFolder(await imageSource('sizes'));
    expect(resized.shape).toEqual([2, 2, 3]);
    const [wide, solid] = pixelsOf(resized.pixels, 3, 4);
    // Halving the width with a triangle filter two input pixels wide on each side (edges repeated): the left
    // output pixel weighs its inputs x = −1 (= 0), 0, 1, 2 by 1/8, 3/8, 3/8, 1/8: R 255·7/8 ≈ 223, B 255/8 ≈ 32.
    expect(wide).toEqual([[223, 0, 32], [32, 0, 223], [223, 0, 32], [32, 0, 223]]);
    expect(solid).toEqual(Array.from({ length: 4 }, () => [10, 20, 30]));

    // One channel stated: grey by BT.601 luma, 0.299 R + 0.587 G + 0.114 B.
    await tmp.write('sizes/curvelab-images.json', JSON.stringify({ imageSize: [2, 2], channels: 1 }));
    const grey = await readImageFolder(await imageSource('sizes'));
    expect(grey.shape).toEqual([2, 2, 1]);
    expect(Array.from(grey.pixels.subarray(4))).toEqual(Array(4).fill(Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)));
  });

  it('refuses a corrupt or foreign file, naming it', async () => {
    const png = await solidImage(4, 4, RED);
    await tmp.write('bad/a/good.png', png);
    const garbage = await tmp.write('bad/b/garbage.png', 'this is not an image');
    await expectFormatError(readImageFolder(await imageSource('bad')), garbage, 'not a PNG or JPEG file');

    await tmp.write('bad/b/garbage.png', png.subarray(0, png.length - 30));
    await expectFormatError(readImageFolder(await imageSource('bad')), garbage, 'not a readable PNG or JPEG image');

    await tmp.write('bad/b/garbage.png', []);
    await expectFormatError(loadDataset(path.join(tmp.path, 'bad')), garbage, 'the file is empty');
  });

  it('refuses a folder that would decode to more values than it loads at once, before decoding it all', async () => {
    // Six images stated at 4096 × 4096: 6 · 4096² · 3 = 301,989,888 values, over 2^28.
    for (let i = 0; i < 6; i++) await tmp.write(`huge/${i % 2 ? 'a' : 'b'}/${i}.png`, await solidImage(1, 1, RED));
    await tmp.write('huge/curvelab-images.json', JSON.stringify({ imageSize: [4096, 4096] }));
    expect(6 * 4096 * 4096 * 3).toBeGreaterThan(MAX_IMAGE_VALUES);
    await expectFormatError(readImageFolder(await imageSource('huge')), path.join(tmp.path, 'huge'), '6 images of 4096×4096×3 are 301,989,888 values', 'state a smaller "imageSize"');
  });

  it('checks curvelab-images.json, naming the file and the field', async () => {
    const check = async (text: string, fragment: string) => {
      const file = await tmp.write('settings.json', text);
      await expectFormatError(readImageSettings(file), file, fragment);
    };
    await check('{"imageSize": [32, 32]', 'not valid JSON');
    const secret = await tmp.write('secret.json', 'API_KEY=sk-live-0123456789\n');
    expect(await readImageSettings(secret).catch((error: Error) => error.message)).not.toMatch(/API_KEY|sk-live/);
    await check('[32, 32]', 'expected an object such as {"imageSize": [32, 32], "channels": 3}');
    await check('{"size": [32, 32]}', 'unknown field "size"; the fields are imageSize and channels');
    await check('{"imageSize": [32]}', 'imageSize: expected [height, width], integers from 1 to 4096, got [32]');
    await check('{"imageSize": [0, 32]}', 'imageSize: expected [height, width]');
    await check('{"channels": 4}', 'channels: expected 1 (grey) or 3 (RGB), got 4');
    const file = await tmp.write('settings.json', '{"imageSize": [24, 32], "channels": 1}');
    expect(await readImageSettings(file)).toEqual({ imageSize: [24, 32], channels: 1 });
  });

  it('is refused as a DatasetFormatError for a settings file that does not parse, through loadDataset', async () => {
    await tmp.write('set/a/x.png', await solidImage(1, 1, RED));
    await tmp.write('set/b/y.png', await solidImage(1, 1, BLUE));
    await tmp.write('set/curvelab-images.json', '{');
    await expect(loadDataset(path.join(tmp.path, 'set'))).rejects.toBeInstanceOf(DatasetFormatError);
  });
});
