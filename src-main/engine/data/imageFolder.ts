/**
 * Decodes the images of an image folder (imageFolderSource.ts) with sharp (libvips), into one array of
 * height × width × channels bytes per image, in the source's order (training images, then validation).
 *
 * One shape for all: the size stated in the folder's curvelab-images.json (`imageSize`: every image is
 * stretched to it with a triangle (bilinear) filter that averages when shrinking), or else the first
 * image's, which every other image must then have (nothing is resized behind the user's back). Channels: as stated (`channels` 1 or 3),
 * or else 1 when every image is grey (R = G = B in every pixel) and 3 otherwise; one channel is the
 * luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as Pillow and TensorFlow make grey). Transparent
 * pixels are laid on white, as image viewers show them; the EXIF orientation of photos is applied.
 */
import { DatasetFormatError, UserInputError } from '../errors';
import { IMAGE_SETTINGS_FILE, imageFolderFiles, type ImageFolderSource } from './imageFolderSource';
import { readDatasetFile } from './readDatasetFile';

export interface ImageSettings {
  /** [height, width]: every image is resized to it. */
  imageSize?: [number, number];
  channels?: 1 | 3;
}

export interface DecodedImages {
  /** [height, width, channels]. */
  shape: [number, number, number];
  /** One image after another, each height × width × channels bytes, row-major. */
  pixels: Uint8Array;
}

/** Decoded values a folder may give: 1 GiB as the 32-bit floats training uses (CIFAR-10 is 184 M). */
export const MAX_IMAGE_VALUES = 2 ** 28;
const MAX_SIDE = 4096;
/** A 100-megapixel photo still decodes; a decompression bomb does not. */
const MAX_INPUT_PIXELS = 100_000_000;
/** Larger files are not plausible training images (and would decode to far more than one needs). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** curvelab-images.json holds two small fields. */
const MAX_SETTINGS_BYTES = 64 * 1024;
/** libvips decodes on libuv's thread pool (4 threads by default): more at once would only queue. */
const PARALLEL_DECODES = 4;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

type Sharp = typeof import('sharp').default;

interface Decoded {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function readImageFolder(source: ImageFolderSource): Promise<DecodedImages> {
  const settings = source.settingsFile === null ? {} : await readImageSettings(source.settingsFile);
  const sharp = await loadSharp();
  const files = imageFolderFiles(source);
  // Every image decodes to RGB: whether all are grey is known only at the end.
  const decode = (file: string): Promise<Decoded> => decodeImage(sharp, file, settings.imageSize);

  const first = await decode(files[0]);
  const { height, width } = first;
  const values = files.length * height * width * (settings.channels ?? 3);
  if (values > MAX_IMAGE_VALUES) {
    throw new DatasetFormatError(
      source.dir,
      `${files.length.toLocaleString('en-US')} images of ${height}×${width}×${settings.channels ?? 3} are ${values.toLocaleString('en-US')} values, ` +
        `more than the ${MAX_IMAGE_VALUES.toLocaleString('en-US')} CurveLab loads at once: use fewer images, or state a smaller ` +
        `"imageSize" in ${IMAGE_SETTINGS_FILE} (see docs/datasets.md)`,
    );
  }
  const imageBytes = height * width * 3;
  const pixels = new Uint8Array(files.length * imageBytes);
  pixels.set(first.data, 0);
  let allGrey = settings.channels === undefined && isGrey(first.data);
  let next = 1;
  let failed = false;
  const decodeRest = async (): Promise<void> => {
    try {
      while (next < files.length && !failed) {
        const index = next++;
        const image = await decode(files[index]);
        if (image.width !== width || image.height !== height) {
          throw new DatasetFormatError(
            files[index],
            `the image is ${describeSize(image)}, but ${files[0]} is ${describeSize(first)}: images must share one size, ` +
              `or state one in ${IMAGE_SETTINGS_FILE} ("imageSize": [height, width]) to resize them all to it`,
          );
        }
        pixels.set(image.data, index * imageBytes);
        allGrey &&= isGrey(image.data);
      }
    } catch (error) {
      // The first failure stops the other decoders: the rest of a large folder is not decoded for nothing.
      failed = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_DECODES }, decodeRest));

  const channels = settings.channels ?? (allGrey ? 1 : 3);
  return { shape: [height, width, channels], pixels: channels === 1 ? luma(pixels) : pixels };
}

/** Reads and checks curvelab-images.json, naming the file and the field at fault. */
export async function readImageSettings(file: string): Promise<ImageSettings> {
  let json: unknown;
  try {
    // Read as a dataset file is (a regular file, capped): a link to /dev/zero must not be read for ever.
    json = JSON.parse(new TextDecoder().decode(await readDatasetFile(file, MAX_SETTINGS_BYTES)));
  } catch (error) {
    if (error instanceof DatasetFormatError) throw error;
    // Not the parser's message: it quotes the text, and the file may not be the user's to read.
    if (!(error instanceof SyntaxError)) throw new DatasetFormatError(file, `cannot read it (${error instanceof Error ? error.message : String(error)})`);
    throw new DatasetFormatError(file, 'not valid JSON: expected an object such as {"imageSize": [32, 32], "channels": 3}');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DatasetFormatError(file, 'expected an object such as {"imageSize": [32, 32], "channels": 3}');
  }
  const settings = json as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    if (key !== 'imageSize' && key !== 'channels') throw new DatasetFormatError(file, `unknown field "${key}"; the fields are imageSize and channels`);
  }
  const { imageSize, channels } = settings;
  const isSide = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_SIDE;
  if (imageSize !== undefined && !(Array.isArray(imageSize) && imageSize.length === 2 && imageSize.every(isSide))) {
    throw new DatasetFormatError(file, `imageSize: expected [height, width], integers from 1 to ${MAX_SIDE}, got ${JSON.stringify(imageSize)}`);
  }
  if (channels !== undefined && channels !== 1 && channels !== 3) {
    throw new DatasetFormatError(file, `channels: expected 1 (grey) or 3 (RGB), got ${JSON.stringify(channels)}`);
  }
  return settings as ImageSettings;
}

async function loadSharp(): Promise<Sharp> {
  try {
    return (await import('sharp')).default;
  } catch (error) {
    throw new UserInputError(
      `Reading a folder of images needs the sharp package, which did not load (${error instanceof Error ? error.message : String(error)}); ` +
        'run npm install in the CurveLab folder',
    );
  }
}

async function decodeImage(sharp: Sharp, file: string, size: [number, number] | undefined): Promise<Decoded> {
  const bytes = await readDatasetFile(file);
  if (bytes.length === 0) throw new DatasetFormatError(file, 'the file is empty');
  if (bytes.length > MAX_FILE_BYTES) throw new DatasetFormatError(file, `${bytes.length.toLocaleString('en-US')} bytes, more than the ${MAX_FILE_BYTES / 2 ** 20} MiB an image may have`);
  // Only these two formats are read: a renamed GIF, SVG or TIFF is refused before libvips sees it.
  if (!startsWith(bytes, PNG_SIGNATURE) && !startsWith(bytes, JPEG_SIGNATURE)) {
    throw new DatasetFormatError(file, 'not a PNG or JPEG file: its first bytes are neither signature');
  }
  try {
    let image = sharp(bytes, { autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS }).flatten({ background: '#ffffff' });
    if (size !== undefined) image = image.resize({ height: size[0], width: size[1], fit: 'fill', kernel: 'linear' });
    const { data, info } = await image.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return { width: info.width, height: info.height, data };
  } catch (error) {
    throw new DatasetFormatError(file, `not a readable PNG or JPEG image (${error instanceof Error ? error.message : String(error)})`);
  }
}

function describeSize({ width, height }: { width: number; height: number }): string {
  return `${width} wide × ${height} high`;
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

function isGrey(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i += 3) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  }
  return true;
}

/** RGB → grey by BT.601 luma; exact for grey pixels (the weights sum to 1). */
function luma(rgb: Uint8Array): Uint8Array {
  const grey = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]);
  return grey;
}
