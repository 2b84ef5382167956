import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { ArchiveFile, DatasetInfo, DatasetPreview } from '../api/labApi';
import { LabError, storageLabError } from '../api/labErrors';
import { UserInputError } from '../../engine/errors';
import { EMBEDDED_MNIST_NAME } from '../../engine/data/datasetSources';
import type { ModelIO } from '../../engine/train/buildModel';
import type { Store } from '../store';
import { inThreadDatasetLoader, type DatasetLoader, type DatasetSummary } from './datasetLoading';
import { workerDatasetLoader } from './workerDatasetLoader';

const DEFAULT_PREVIEW_COUNT = 32;
/** Summaries of datasets loaded but not (yet) registered, kept for the next check or registration. */
const CACHE_SIZE = 8;

/**
 * The datasets the lab knows: registering one loads it fully (so a bad file is refused at once, with
 * the loader's message naming the file) and records its shapes and content hash. A run request is
 * checked against the shapes of its dataset (registered, or loaded to see); runs load their data
 * themselves, in their worker.
 *
 * Loading reads whole files into memory, so it happens in a worker thread of its own (the `loader`,
 * workerDatasetLoader by default), never on the thread that records runs: a dataset too large for its
 * limits fails its own request, and nothing else.
 */
export class DatasetRegistry {
  private readonly summaries = new Map<string, Promise<DatasetSummary>>();

  constructor(
    private readonly store: Store,
    /** Where uploaded files are kept (one folder per upload). */
    private readonly uploadsDir: string,
    private readonly loader: DatasetLoader = workerDatasetLoader(),
  ) {}

  /** Registers the embedded MNIST digits the first time the lab opens a database. */
  async ensureEmbedded(): Promise<void> {
    if (this.store.datasets.findBySource(EMBEDDED_MNIST_NAME)) return;
    // Bundled and small (10,000 digits): loaded here, rather than in a worker started for every new database.
    const summary = await inThreadDatasetLoader().summary(EMBEDDED_MNIST_NAME, null);
    this.addRow(EMBEDDED_MNIST_NAME, { origin: 'embedded', name: 'MNIST (embedded, 10,000 digits)' }, summary);
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
    try {
      await mkdir(dir, { recursive: true }).catch(savingFailed);
      const names = new Set<string>();
      for (const [i, file] of files.entries()) {
        const name = basename(file.fileName.replaceAll('\\', '/'));
        if (name === '' || name === '.' || name === '..') {
          throw new LabError('invalid-request', `uploadDataset: files.${i}.fileName: not a file name: ${JSON.stringify(file.fileName)}`, `files.${i}.fileName`);
        }
        if (names.has(name)) throw new LabError('invalid-request', `uploadDataset: files.${i}.fileName: ${JSON.stringify(name)} is sent twice`, `files.${i}.fileName`);
        names.add(name);
        await writeFile(join(dir, name), Buffer.from(file.base64, 'base64'), { flag: 'wx' }).catch(savingFailed);
      }
      const source = files.length === 1 ? join(dir, basename(files[0]!.fileName.replaceAll('\\', '/'))) : dir;
      const fallbackName = files.length === 1 ? basename(files[0]!.fileName) : files.map((f) => f.fileName).join(', ');
      return await this.register(source, { origin: 'upload', name: options.name ?? fallbackName, ...(options.target ? { target: options.target } : {}) });
    } catch (error) {
      // Where the folder could not be made there is nothing to remove: the first failure is the one to tell.
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      throw withUploadNames(error, dir, this.uploadsDir);
    }
  }

  /**
   * The shapes a model for a run spec's dataset must fit: the registered row's, else the loaded
   * dataset's (its summary is kept, so registering it next does not load it again). Registers nothing;
   * throws the loader's UserInputError for a dataset that does not load.
   */
  async shapes(source: string, target: string | null): Promise<ModelIO> {
    const { inputShape, classes } = this.registered(source, target) ?? (await this.summary(canonicalSource(source), target));
    return { inputShape, outputSize: classes };
  }

  /** The sizes of its training and validation splits (what a run's subsets may take), found as shapes() finds its shapes. */
  async splitSizes(source: string, target: string | null): Promise<{ trainSize: number; validationSize: number }> {
    const { trainSize, validationSize } = this.registered(source, target) ?? (await this.summary(canonicalSource(source), target));
    return { trainSize, validationSize };
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
    this.summaries.delete(cacheKey(dataset.source, dataset.target));
  }

  async preview(id: number, count = DEFAULT_PREVIEW_COUNT): Promise<DatasetPreview> {
    const dataset = this.get(id);
    return this.loader.preview(dataset.source, dataset.target, count);
  }

  get(id: number): DatasetInfo {
    const dataset = this.store.datasets.get(id);
    if (!dataset) throw new LabError('not-found', `no dataset with id ${id}`);
    return dataset;
  }

  private registered(source: string, target: string | null): DatasetInfo | undefined {
    return this.store.datasets.findBySource(canonicalSource(source), target);
  }

  private async register(source: string, options: { origin: DatasetInfo['origin']; name?: string; target?: string }): Promise<DatasetInfo> {
    return this.addRow(source, options, await this.summary(source, options.target ?? null));
  }

  private addRow(source: string, options: { origin: DatasetInfo['origin']; name?: string; target?: string }, summary: DatasetSummary): DatasetInfo {
    const { name, ...fromData } = summary;
    return this.store.datasets.add({ ...fromData, name: options.name ?? (name || basename(source)), source, origin: options.origin, target: options.target ?? null });
  }

  private summary(source: string, target: string | null): Promise<DatasetSummary> {
    const key = cacheKey(source, target);
    let loading = this.summaries.get(key);
    if (!loading) {
      loading = this.loader.summary(source, target);
      this.summaries.set(key, loading);
      loading.catch(() => this.summaries.delete(key));
      while (this.summaries.size > CACHE_SIZE) this.summaries.delete(this.summaries.keys().next().value!);
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
 * The loaders name the file they failed on, which for an upload is a folder the user never saw (and
 * that says where the lab keeps its files): say the file's own name instead, in every error.
 */
function withUploadNames(error: unknown, dir: string, uploadsDir: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(uploadsDir)) return error;
  const message = error.message.replaceAll(`${dir}${sep}`, '').replaceAll(dir, 'the uploaded files').replaceAll(uploadsDir, "the lab's upload folder");
  if (error instanceof LabError) return new LabError(error.code, message, error.field);
  return error instanceof UserInputError ? new UserInputError(message) : new Error(message);
}

/** Saving an upload failed: say how, but not where (the lab's folders are not the client's to know). */
function savingFailed(error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code ?? 'an error';
  throw storageLabError(code === 'ENOSPC' ? 'disk-full' : 'io', `the uploaded files could not be saved on the lab's machine (${code})`);
}

function cacheKey(source: string, target: string | null): string {
  return `${source}\u0000${target ?? ''}`;
}
