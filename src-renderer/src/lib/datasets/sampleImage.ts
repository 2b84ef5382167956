/**
 * One preview sample's pixels (0–255, row-major height × width × channels) as the RGBA bytes a canvas
 * ImageData takes: grey images repeat their one channel, colour images keep the first three, and
 * anything else shows its first channel in grey. Alpha is always opaque.
 */
export function hwcToRgba(pixels: readonly number[], height: number, width: number, channels: number): Uint8ClampedArray<ArrayBuffer> {
  const count = height * width;
  if (pixels.length !== count * channels) {
    throw new Error(`sample has ${pixels.length} values, expected ${height}×${width}×${channels} = ${count * channels}`);
  }
  const rgba = new Uint8ClampedArray(count * 4);
  const colour = channels >= 3;
  for (let p = 0; p < count; p++) {
    const at = p * channels;
    const first = pixels[at]!;
    rgba[p * 4] = first;
    rgba[p * 4 + 1] = colour ? pixels[at + 1]! : first;
    rgba[p * 4 + 2] = colour ? pixels[at + 2]! : first;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
