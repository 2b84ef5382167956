import type { DatasetInfo, DatasetPreview } from '../api/labApi';
import { resolveDatasetSource } from '../../engine/data/datasetSources';
import { loadDataset } from '../../engine/data/loadDataset';
import { datasetContentHash, datasetFormat } from './datasetFingerprint';
import { datasetPreview } from './datasetPreview';

/**
 * What the registry keeps of a dataset it loaded: the fields of its row that come from the data, and
 * `name`, the loader's own name for it ('' when it has none).
 */
export type DatasetSummary = Pick<
  DatasetInfo,
  'name' | 'format' | 'contentHash' | 'task' | 'inputShape' | 'classes' | 'classNames' | 'trainSize' | 'validationSize'
>;

/**
 * Loads datasets for the registry. Loading reads whole files into memory, so in the lab it happens in a
 * worker thread (workerDatasetLoader); this module is what that thread runs.
 */
export interface DatasetLoader {
  summary(source: string, target: string | null): Promise<DatasetSummary>;
  preview(source: string, target: string | null, count: number): Promise<DatasetPreview>;
}

/** Loads in the calling thread: what the dataset worker does, and the embedded MNIST (small, bundled) at a lab's first start. */
export function inThreadDatasetLoader(options: { maxFileBytes?: number } = {}): DatasetLoader {
  const load = (source: string, target: string | null) =>
    loadDataset(source, { ...(target === null ? {} : { target }), ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }) });
  return {
    async summary(source, target) {
      const [resolved, dataset] = await Promise.all([resolveDatasetSource(source), load(source, target)]);
      return {
        name: dataset.name,
        format: datasetFormat(resolved),
        contentHash: datasetContentHash(dataset),
        task: dataset.task,
        inputShape: dataset.inputShape,
        classes: dataset.task === 'classification' ? dataset.numClasses : dataset.targetSize,
        classNames: dataset.classNames ?? null,
        trainSize: dataset.train.n,
        validationSize: dataset.validation.n,
      };
    },
    async preview(source, target, count) {
      return datasetPreview(await load(source, target), count);
    },
  };
}
