/**
 * A folder of images in class subfolders, the layout torchvision's ImageFolder and Keras's
 * image_dataset_from_directory read: <dir>/<class>/<image>, or <dir>/train/<class>/<image> beside
 * <dir>/val (or validation, or test)/<class>/<image>. Resolving lists and checks names only; imageFolder.ts
 * decodes the images.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetFormatError } from '../errors';

export interface LabelledImage {
  file: string;
  label: number;
}

export interface ImageFolderSource {
  kind: 'image-folder';
  dir: string;
  /** The class folders' names, sorted: label i is classNames[i]. */
  classNames: string[];
  train: LabelledImage[];
  /** The validation folder's images, or null: a validation set is then held out from `train`. */
  validation: LabelledImage[] | null;
  /** The optional settings file beside the class folders (imageSize, channels), or null. */
  settingsFile: string | null;
}

export const IMAGE_SETTINGS_FILE = 'curvelab-images.json';
/** Decoding is asynchronous but not free (about a millisecond an image): a folder larger than this is refused at once. */
export const MAX_IMAGES = 200_000;
const IMAGE_NAME = /\.(png|jpe?g)$/i;
const TRAIN_FOLDER = 'train';
const VALIDATION_FOLDERS = ['val', 'validation', 'test'];
/** Files operating systems leave in folders, skipped like hidden (dot) files. */
const SYSTEM_FILES = new Set(['Thumbs.db', 'desktop.ini']);

/** What one folder of class folders holds, by name. */
interface ClassFolders {
  root: string;
  /** Class name → its image files, both sorted. */
  classes: Map<string, string[]>;
  /** Entries that break the layout, with the reason: images outside a class folder, other files, nested folders. */
  strays: { file: string; problem: string }[];
}

/**
 * The image dataset in `dir`, or undefined when no class subfolder of it holds a PNG or JPEG image
 * (the folder is then no image dataset at all, and the caller says what it accepts). A folder that is
 * one but breaks the layout is refused, naming the entry.
 */
export async function resolveImageFolder(dir: string): Promise<ImageFolderSource | undefined> {
  const top = await readdir(dir, { withFileTypes: true });
  const topFolders = new Set(await folderNames(dir, top));
  const validationName = VALIDATION_FOLDERS.find((name) => topFolders.has(name));
  const split = topFolders.has(TRAIN_FOLDER) && validationName !== undefined;
  const train = await readClassFolders(split ? path.join(dir, TRAIN_FOLDER) : dir);
  if (![...train.classes.values()].some((files) => files.length > 0)) return undefined;
  checkLayout(train);
  const classNames = [...train.classes.keys()];
  if (classNames.length < 2) {
    throw new DatasetFormatError(dir, `only one class folder (${classNames[0]}): a classifier needs at least two, one folder per class`);
  }
  let validation: LabelledImage[] | null = null;
  if (split) {
    const folders = await readClassFolders(path.join(dir, validationName));
    checkLayout(folders);
    for (const name of folders.classes.keys()) {
      if (!train.classes.has(name)) {
        throw new DatasetFormatError(
          path.join(folders.root, name),
          `a validation class that ${train.root} lacks; its classes are ${classNames.join(', ')}`,
        );
      }
    }
    validation = labelled(folders, classNames);
    if (validation.length === 0) throw new DatasetFormatError(folders.root, 'no class folders of PNG or JPEG images in it');
  }
  const images = labelled(train, classNames);
  const count = images.length + (validation?.length ?? 0);
  if (count > MAX_IMAGES) {
    throw new DatasetFormatError(dir, `${count.toLocaleString('en-US')} images, more than the ${MAX_IMAGES.toLocaleString('en-US')} CurveLab reads from a folder`);
  }
  const settings = top.find((entry) => entry.name === IMAGE_SETTINGS_FILE && !entry.isDirectory());
  return { kind: 'image-folder', dir, classNames, train: images, validation, settingsFile: settings ? path.join(dir, settings.name) : null };
}

/** Every image file of the dataset, validation included, in label order. */
export function imageFolderFiles(source: ImageFolderSource): string[] {
  return [...source.train, ...(source.validation ?? [])].map((image) => image.file);
}

async function readClassFolders(root: string): Promise<ClassFolders> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders = new Set(await folderNames(root, entries));
  const classes = new Map<string, string[]>();
  const strays: ClassFolders['strays'] = [];
  for (const entry of visible(entries)) {
    const file = path.join(root, entry.name);
    if (folders.has(entry.name)) {
      classes.set(entry.name, await classImages(file, strays));
    } else if (IMAGE_NAME.test(entry.name)) {
      strays.push({ file, problem: 'an image outside the class folders: move it into the folder of its class (<folder>/<class>/<image>)' });
    }
  }
  return { root, classes: new Map([...classes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), strays };
}

async function classImages(dir: string, strays: ClassFolders['strays']): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = new Set(await folderNames(dir, entries));
  const images: string[] = [];
  for (const entry of visible(entries)) {
    const file = path.join(dir, entry.name);
    if (folders.has(entry.name)) strays.push({ file, problem: 'a folder inside a class folder: images must sit directly in the folder of their class' });
    else if (IMAGE_NAME.test(entry.name)) images.push(file);
    else strays.push({ file, problem: 'not a PNG or JPEG image by its name (.png, .jpg, .jpeg): convert it, or move it out of the class folders' });
  }
  return images.sort();
}

function checkLayout(folders: ClassFolders): void {
  const stray = folders.strays[0];
  if (stray !== undefined) throw new DatasetFormatError(stray.file, stray.problem);
  for (const [name, files] of folders.classes) {
    if (files.length === 0) {
      throw new DatasetFormatError(path.join(folders.root, name), 'an empty class folder: each class folder needs at least one PNG or JPEG image');
    }
  }
}

function labelled(folders: ClassFolders, classNames: string[]): LabelledImage[] {
  return [...folders.classes].flatMap(([name, files]) => files.map((file) => ({ file, label: classNames.indexOf(name) })));
}

function visible(entries: Dirent[]): Dirent[] {
  return entries.filter((entry) => !entry.name.startsWith('.') && !SYSTEM_FILES.has(entry.name));
}

/** The visible entries that are folders, following symbolic links. */
async function folderNames(dir: string, entries: Dirent[]): Promise<string[]> {
  const names: string[] = [];
  for (const entry of visible(entries)) {
    const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path.join(dir, entry.name)).catch(() => undefined))?.isDirectory());
    if (isFolder) names.push(entry.name);
  }
  return names;
}
