import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { ArchiveFile, DatasetInfo, DatasetPreview } from '../api/labApi';
import { LabError } from '../api/labErrors';
import type { Dataset } from '../../engine/data/dataset';
import { UserInputError } from '../../engine/errors';
import { EMBEDDED_MNIST_NAME, resolveDatasetSource } from '../../engine/data/datasetSources';
import { loadDataset } from '../../engine/data/loadDataset';
import { datasetIO, type ModelIO } from '../../engine/train/buildModel';
import type { Store } from '../store';
import { datasetContentHash, datasetFormat } from './datasetFingerprint';
import { datasetPreview } from './datasetPreview';

const DEFAULT_PREVIEW_COUNT = 32;
/** Datasets kept loaded for previews (the last few looked at). */
const CACHE_SIZE = 2;

/**
 * The datasets the lab knows: registering one loads it fully (so a bad file is refused at once, with
 * the loader's message naming the file), records its shapes and content hash, and keeps it cached for
 * previews. A run request is checked against the shapes of its dataset (registered, or loaded to see);
 * runs load their data themselves, in their worker.
 */
export class DatasetRegistry {
  private readonly cache = new Map<string, Promise<Dataset>>();

  constructor(
    private readonly store: Store,
    /** Where uploaded files are kept (one folder per upload). */
    private readonly uploadsDir: string,
  ) {}

  /** Registers the embedded MNIST digits the first time the lab opens a database. */
  async ensureEmbedded(): Promise<void> {
    if (this.store.datasets.findBySource(EMBEDDED_MNIST_NAME)) return;
    await this.register(EMBEDDED_MNIST_NAME, { origin: 'embedded', name: 'MNIST (embedded, 10,000 digits)' });
  }

  list(): DatasetInfo[] {
    return this.store.datasets.list();
  }

  /** A file or folder on this machine. */
  async addPath(path: string, options: { name?: string; target?: string }): Promise<DatasetInfo> {
    return this.register(resolve(path), { origin: 'path', ...options });
  }

  /** Files sent by a client: saved in their own folder, then registered like a path; removed again if they do not load. */
  async addUpload(files: ArchiveFile[], options: { name?: string; target?: string }): Promise<DatasetInfo> {
    const dir = join(this.uploadsDir, randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      for (const [i, file] of files.entries()) {
        const name = basename(file.fileName.replaceAll('\\', '/'));
        if (name === '' || name === '.' || name === '..') {
          throw new LabError('invalid-request', `uploadDataset: files.${i}.fileName: not a file name: ${JSON.stringify(file.fileName)}`, `files.${i}.fileName`);
        }
        await writeFile(join(dir, name), Buffer.from(file.base64, 'base64'), { flag: 'wx' });
      }
      const source = files.length === 1 ? join(dir, basename(files[0]!.fileName.replaceAll('\\', '/'))) : dir;
      const fallbackName = files.length === 1 ? basename(files[0]!.fileName) : files.map((f) => f.fileName).join(', ');
      return await this.register(source, { origin: 'upload', name: options.name ?? fallbackName, ...(options.target ? { target: options.target } : {}) });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw withUploadNames(error, dir);
    }
  }

  /**
   * The shapes a model for a run spec's dataset must fit: the registered row's, else the loaded
   * dataset's (kept in the cache, so registering it next does not load it again). Registers nothing;
   * throws the loader's UserInputError for a dataset that does not load.
   */
  async shapes(source: string, target: string | null): Promise<ModelIO> {
    const registered = this.registered(source, target);
    if (registered) return { inputShape: registered.inputShape, outputSize: registered.classes };
    return datasetIO(await this.load(canonicalSource(source), target));
  }

  /** The sizes of its training and validation splits (what a run's subsets may take), found as shapes() finds its shapes. */
  async splitSizes(source: string, target: string | null): Promise<{ trainSize: number; validationSize: number }> {
    const registered = this.registered(source, target);
    if (registered) return { trainSize: registered.trainSize, validationSize: registered.validationSize };
    const dataset = await this.load(canonicalSource(source), target);
    return { trainSize: dataset.train.n, validationSize: dataset.validation.n };
  }

  /** The registered row of a run spec's dataset, if there is one. */
  find(source: string, target: string | null): DatasetInfo | undefined {
    return this.registered(source, target);
  }

  /** The newest registered dataset with that content hash (what a remote worker asks the lab for). */
  findByHash(hash: string): DatasetInfo | undefined {
    return this.list().filter((dataset) => dataset.contentHash === hash).at(-1);
  }

  /** Registers a run spec's dataset as addDataset would, unless it is registered; true when it was added. */
  async ensureRegistered(source: string, target: string | null): Promise<boolean> {
    if (this.registered(source, target)) return false;
    await this.addPath(source, target === null ? {} : { target });
    return true;
  }

  remove(id: number): void {
    const dataset = this.get(id);
    if (dataset.origin === 'embedded') throw new LabError('conflict', 'the embedded mnist dataset is built in and cannot be removed');
    this.store.datasets.remove(id);
    this.cache.delete(cacheKey(dataset.source, dataset.target));
  }

  async preview(id: number, count = DEFAULT_PREVIEW_COUNT): Promise<DatasetPreview> {
    const dataset = this.get(id);
    return datasetPreview(await this.load(dataset.source, dataset.target), count);
  }

  get(id: number): DatasetInfo {
    const dataset = this.store.datasets.get(id);
    if (!dataset) throw new LabError('not-found', `no dataset with id ${id}`);
    return dataset;
  }

  private registered(source: string, target: string | null): DatasetInfo | undefined {
    return this.store.datasets.findBySource(canonicalSource(source), target);
  }

  private async register(
    source: string,
    options: { origin: DatasetInfo['origin']; name?: string; target?: string },
  ): Promise<DatasetInfo> {
    const target = options.target ?? null;
    const [resolved, dataset] = await Promise.all([resolveDatasetSource(source), this.load(source, target)]);
    return this.store.datasets.add({
      name: options.name ?? defaultName(source, dataset),
      source,
      origin: options.origin,
      target,
      format: datasetFormat(resolved),
      contentHash: datasetContentHash(dataset),
      task: dataset.task,
      inputShape: dataset.inputShape,
      classes: dataset.task === 'classification' ? dataset.numClasses : dataset.targetSize,
      classNames: dataset.classNames ?? null,
      trainSize: dataset.train.n,
      validationSize: dataset.validation.n,
    });
  }

  private load(source: string, target: string | null): Promise<Dataset> {
    const key = cacheKey(source, target);
    let loading = this.cache.get(key);
    if (!loading) {
      loading = loadDataset(source, target === null ? {} : { target });
      this.cache.set(key, loading);
      loading.catch(() => this.cache.delete(key));
      while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    return loading;
  }
}

/**
 * A run spec names a dataset as given; the registry keeps (and caches) a path resolved, the embedded
 * one by name, so a relative path checked and then registered is loaded once.
 */
function canonicalSource(source: string): string {
  return source.trim().toLowerCase() === EMBEDDED_MNIST_NAME ? EMBEDDED_MNIST_NAME : resolve(source);
}

/**
 * The loaders name the file they failed on, which for an upload is a folder the user never saw: say
 * the file's own name instead.
 */
function withUploadNames(error: unknown, dir: string): unknown {
  if (!(error instanceof UserInputError) || !error.message.includes(dir)) return error;
  const message = error.message.replaceAll(`${dir}${sep}`, '').replaceAll(dir, 'the uploaded files');
  return new UserInputError(message);
}

function cacheKey(source: string, target: string | null): string {
  return `${source}\u0000${target ?? ''}`;
}

function defaultName(source: string, dataset: Dataset): string {
  return dataset.name || basename(source);
}
