import { readdir, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { DatasetInfo } from '../api/labApi';
import { resolveDatasetSource } from '../../engine/data/datasetSources';
import { imageFolderFiles } from '../../engine/data/imageFolderSource';

/**
 * The files that make up a registered dataset, as the lab hands them to a remote worker that has no
 * copy (GET /api/datasets/by-hash/<hash>): what the worker downloads, and the one thing it loads from
 * its copy. Paths are relative and `/`-separated, so the copy has the same layout on any machine.
 */
export interface DatasetFilesListing {
  name: string;
  /** What to load in a copy: `.` (the folder itself) or one of `files`' paths (a CSV or an IDX images file). */
  source: string;
  files: { path: string; size: number }[];
}

/** A listing and, on the lab's machine only, the folder its paths are relative to. */
export interface DatasetFiles extends DatasetFilesListing {
  dir: string;
}

/**
 * The files of a registered dataset: its source file (an IDX images file with its labels file), every
 * file of its source folder (an upload folder too), or an image folder's images and settings file.
 * Null for the embedded MNIST, which every worker has. Throws the loader's UserInputError when the
 * source is gone or is no longer a dataset.
 */
export async function listDatasetFiles(dataset: Pick<DatasetInfo, 'name' | 'source'>): Promise<DatasetFiles | null> {
  const resolved = await resolveDatasetSource(dataset.source);
  switch (resolved.kind) {
    case 'embedded-mnist':
      return null;
    case 'csv':
      return listFiles(dataset.name, dirname(resolved.file), [resolved.file], resolved.file);
    case 'idx-file':
      return listFiles(dataset.name, dirname(resolved.files.images), [resolved.files.images, resolved.files.labels], resolved.files.images);
    case 'idx-directory':
    case 'cifar': {
      // The data may sit one level down (the folder an official CIFAR archive unpacks to): paths start there.
      const dir = resolve(dataset.source);
      const entries = await readdir(resolved.dir);
      const files: string[] = [];
      for (const name of entries.sort()) {
        const file = resolve(resolved.dir, name);
        if ((await stat(file)).isFile()) files.push(file);
      }
      return listFiles(dataset.name, dir, files, dir);
    }
    case 'image-folder': {
      const files = [...imageFolderFiles(resolved), ...(resolved.settingsFile === null ? [] : [resolved.settingsFile])];
      return listFiles(dataset.name, resolved.dir, files, resolved.dir);
    }
  }
}

async function listFiles(name: string, dir: string, files: string[], source: string): Promise<DatasetFiles> {
  const path = (file: string): string => relative(dir, file).split(sep).join('/') || '.';
  return {
    name,
    source: path(source),
    dir,
    files: await Promise.all(files.map(async (file) => ({ path: path(file), size: (await stat(file)).size }))),
  };
}

/** The registered dataset with that content hash, listed; null when there is none, or it is the embedded MNIST. */
export async function datasetFilesByHash(registry: { findByHash(hash: string): DatasetInfo | undefined }, hash: string): Promise<DatasetFiles | null> {
  const dataset = registry.findByHash(hash);
  return dataset ? listDatasetFiles(dataset) : null;
}

