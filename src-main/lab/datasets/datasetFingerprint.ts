import { createHash } from 'node:crypto';
import type { DatasetInfo } from '../api/labApi';
import type { Dataset } from '../../engine/data/dataset';
import type { DatasetSource } from '../../engine/data/datasetSources';

/**
 * A hash of what a run trains on: both splits' inputs and targets as loaded (after scaling and
 * standardisation, which are deterministic), plus the shapes. Two files with the same content give
 * the same hash wherever they are; an archive's manifest records it so an import can tell whether
 * this machine has the same data.
 */
export function datasetContentHash(dataset: Dataset): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ task: dataset.task, inputShape: dataset.inputShape, classes: dataset.numClasses, targets: dataset.targetSize }));
  for (const split of [dataset.train, dataset.validation]) {
    for (const array of [split.x, split.y]) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  return hash.digest('hex');
}

export function datasetFormat(source: DatasetSource): DatasetInfo['format'] {
  switch (source.kind) {
    case 'embedded-mnist':
      return 'embedded-mnist';
    case 'idx-directory':
    case 'idx-file':
      return 'idx';
    case 'cifar':
      return source.variant;
    case 'csv':
      return 'csv';
    case 'image-folder':
      return 'image-folder';
  }
}
