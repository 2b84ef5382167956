import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { EMBEDDED_MNIST_NAME } from '../../engine/data/datasetSources';
import { loadDataset } from '../../engine/data/loadDataset';
import { UserInputError } from '../../engine/errors';
import { datasetContentHash } from '../datasets/datasetFingerprint';
import type { DatasetFilesListing } from '../datasets/datasetFiles';
import type { RunJobPayload } from './queueProtocol';

export type JobDataset = RunJobPayload['dataset'];

export interface WorkerDatasetsOptions {
  /** Dataset files and folders on this machine (`--dataset PATH`): a job's dataset is looked for among them by content hash. */
  paths: string[];
  /** The lab to download a dataset from when no local copy has its hash (`--lab URL --token T`). */
  lab?: { url: string; token?: string };
  /** Where downloaded datasets are kept, one folder per content hash. */
  cacheDir: string;
}

/** No copy this worker can reach has the content the job names: the message says which were tried and how to give one. */
export class DatasetRefusedError extends UserInputError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetRefusedError';
  }
}

/** A copy's content hash, or why it has none (it does not exist, or does not load). */
type CopyHash = { hash: string } | { problem: string };

/** A download kept in the cache: the listing the lab gave (what to load) beside the files. */
const listingFile = 'listing.json';
const dataFolder = 'data';

/**
 * Where a remote worker finds a job's dataset: a local copy whose content hash (datasetContentHash of
 * the data as loaded with the job's target and the default seed, as the lab's registry hashes it)
 * equals the one the job names, and nothing else. The copies, in order: the embedded MNIST; the paths
 * the worker was given; the path the lab reads, when it exists here too (a shared filesystem); an
 * earlier download; a download from the lab over HTTP with its access token, kept only when its hash
 * matches. Each copy is hashed once per worker (loading a dataset is the expensive part).
 */
export class WorkerDatasets {
  private readonly hashes = new Map<string, Promise<CopyHash>>();
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(private readonly options: WorkerDatasetsOptions) {}

  /** A local source to train on whose content hash is `dataset.hash`; throws DatasetRefusedError when there is none. */
  async resolve(dataset: JobDataset): Promise<string> {
    const tried: string[] = [];
    for (const source of await this.localCopies(dataset)) {
      const copy = await this.hashOf(source, dataset.target);
      if ('hash' in copy && copy.hash === dataset.hash) return source;
      tried.push(`${source} (${'hash' in copy ? `content hash ${copy.hash}` : copy.problem})`);
    }
    const lab = this.options.lab;
    if (lab && !isEmbedded(dataset.source)) {
      let downloads = this.downloads.get(dataset.hash);
      if (!downloads) {
        downloads = this.download(dataset, lab);
        this.downloads.set(dataset.hash, downloads);
        downloads.catch(() => this.downloads.delete(dataset.hash));
      }
      try {
        return await downloads;
      } catch (error) {
        if (!(error instanceof DatasetRefusedError)) throw error;
        tried.push(`the lab at ${lab.url}: ${error.message}`);
      }
    }
    throw new DatasetRefusedError(
      `dataset "${dataset.name}": no copy this worker can reach has content hash ${dataset.hash}; tried ${tried.length > 0 ? tried.join(', ') : 'nothing'}. ` +
        `Give the worker a copy with --dataset PATH${lab ? '' : ', or let it download the lab\'s with --lab URL --token T'}`,
    );
  }

  /** The copies on this machine, in the order they are tried. */
  private async localCopies(dataset: JobDataset): Promise<string[]> {
    if (isEmbedded(dataset.source)) return [EMBEDDED_MNIST_NAME];
    const copies = this.options.paths.map((path) => resolve(path));
    if (!copies.includes(resolve(dataset.source))) copies.push(resolve(dataset.source));
    const downloaded = await this.downloadedCopy(dataset.hash);
    if (downloaded !== null) copies.push(downloaded);
    return copies;
  }

  private hashOf(source: string, target: string | null): Promise<CopyHash> {
    const key = `${source}\u0000${target ?? ''}`;
    let hashing = this.hashes.get(key);
    if (!hashing) {
      hashing = contentHash(source, target);
      this.hashes.set(key, hashing);
      hashing.catch(() => this.hashes.delete(key)); // an I/O failure may pass: the next job looks again
    }
    return hashing;
  }

  /** What an earlier download left in the cache for this hash, or null. */
  private async downloadedCopy(hash: string): Promise<string | null> {
    try {
      const listing = parseListing(JSON.parse(await readFile(join(this.options.cacheDir, hash, listingFile), 'utf8')));
      return listing && join(this.options.cacheDir, hash, dataFolder, listing.source);
    } catch {
      return null;
    }
  }

  /**
   * Downloads the lab's files of the dataset into a fresh folder, checks the copy's hash, and only then
   * moves it to cacheDir/<hash>. A copy with another hash is deleted and refused. Transport failures (the
   * lab is down) are plain errors, so that the job is tried again later.
   */
  private async download(dataset: JobDataset, lab: { url: string; token?: string }): Promise<string> {
    const base = new URL(`api/datasets/by-hash/${dataset.hash}`, lab.url.endsWith('/') ? lab.url : `${lab.url}/`);
    const headers: Record<string, string> = lab.token ? { Authorization: `Bearer ${lab.token}` } : {};
    const listing = parseListing(await (await labRequest(base, headers, dataset)).json().catch(() => null));
    if (!listing) throw new DatasetRefusedError(`its answer for ${base.pathname} is not a dataset listing`);

    const partial = join(this.options.cacheDir, `${dataset.hash}.download-${randomBytes(4).toString('hex')}`);
    try {
      for (const file of listing.files) {
        const url = new URL(`${base.pathname}/files/${file.path.split('/').map(encodeURIComponent).join('/')}`, base);
        const target = join(partial, dataFolder, ...file.path.split('/'));
        await mkdir(dirname(target), { recursive: true });
        const body = (await labRequest(url, headers, dataset)).body;
        if (!body) throw new DatasetRefusedError(`${file.path}: an empty answer`);
        await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), createWriteStream(target));
        const size = (await stat(target)).size;
        if (size !== file.size) throw new DatasetRefusedError(`${file.path}: received ${size} bytes, the listing says ${file.size}`);
      }
      const copy = await contentHash(join(partial, dataFolder, listing.source), dataset.target);
      if (!('hash' in copy) || copy.hash !== dataset.hash) {
        throw new DatasetRefusedError(`its copy ${'hash' in copy ? `has content hash ${copy.hash}` : copy.problem}; deleted`);
      }
      await writeFile(join(partial, listingFile), JSON.stringify(listing));
      const kept = join(this.options.cacheDir, dataset.hash);
      await rm(kept, { recursive: true, force: true });
      await rename(partial, kept);
      return join(kept, dataFolder, listing.source);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
}

function isEmbedded(source: string): boolean {
  return source.trim().toLowerCase() === EMBEDDED_MNIST_NAME;
}

/** The content hash of a copy as the lab's registry computes it (its target, the default seed), or why there is none. */
async function contentHash(source: string, target: string | null): Promise<CopyHash> {
  if (!isEmbedded(source) && !(await stat(source).catch(() => null))) return { problem: 'not on this machine' };
  try {
    return { hash: datasetContentHash(await loadDataset(source, target === null ? {} : { target })) };
  } catch (error) {
    if (error instanceof UserInputError) return { problem: `does not load: ${error.message.split('\n')[0]}` };
    throw error;
  }
}

/** One request to the lab: a refusal (no such dataset, a wrong token) is the lab's answer; anything else is transport. */
async function labRequest(url: URL, headers: Record<string, string>, dataset: JobDataset): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    throw new Error(`dataset "${dataset.name}": the lab at ${url.origin} could not be reached (${(error as Error).message})`, { cause: error });
  }
  if (response.ok) return response;
  const message = (await response.json().catch(() => null) as { error?: { message?: unknown } } | null)?.error?.message;
  const why = typeof message === 'string' ? message : `${response.status} ${response.statusText}`;
  if (response.status === 401 || response.status === 403) throw new DatasetRefusedError(`it refused the worker's token (${why}): give the lab's token with --token T or CURVELAB_TOKEN`);
  if (response.status === 404) throw new DatasetRefusedError(why);
  throw new Error(`dataset "${dataset.name}": the lab at ${url.origin} answered ${why}`);
}

const safeSegment = z.string().regex(/^(?!\.\.?$)[^/\\\u0000]+$/);
const listingSchema = z.object({
  name: z.string(),
  source: z.string(),
  files: z.array(z.object({ path: z.string().refine((p) => p.split('/').every((s) => safeSegment.safeParse(s).success)), size: z.number().int().nonnegative() })),
});

/** A lab's listing, if it is one whose paths stay inside the copy's folder and whose source is one of its files (or the folder). */
function parseListing(value: unknown): DatasetFilesListing | null {
  const parsed = listingSchema.safeParse(value);
  if (!parsed.success) return null;
  const listing = parsed.data;
  return listing.source === '.' || listing.files.some((f) => f.path === listing.source) ? listing : null;
}
