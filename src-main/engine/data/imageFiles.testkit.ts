/**
 * Test support (imported only by *.test.ts): small PNG and JPEG files written with sharp, the library
 * the image-folder reader decodes with, from pixels set by hand.
 */
import sharp from 'sharp';

/** An image from raw row-major pixels of `channels` bytes each (1: a greyscale PNG; 4: with alpha). */
export function rawImage(pixels: number[], width: number, height: number, channels: 1 | 3 | 4, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const raw = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  const image = channels === 1 ? raw.toColourspace('b-w') : raw;
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
}

/** An image of width × height pixels, all `colour` ([grey], [r, g, b] or [r, g, b, alpha], 0–255). */
export function solidImage(width: number, height: number, colour: number[], format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const pixels = Array.from({ length: width * height }, () => colour).flat();
  return rawImage(pixels, width, height, colour.length as 1 | 3 | 4, format);
}
