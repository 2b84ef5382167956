/**
 * Colours that belong to a run or a group, not to a position in the selection: selecting another run
 * never repaints the ones already on screen, and a run keeps its colour between sessions.
 *
 * Runs: hue = id × the golden angle (≈137.5°) mod 360. Consecutive ids (a sweep's runs) land ≈137.5°
 * apart, and any id is at least ~20° from the next few ids, so neighbours in a sweep stay distinct.
 * Groups: the hue comes from a hash of the group's key (FNV-1a, 32 bit), so the same grouping gives
 * the same colours every time.
 *
 * Saturation and lightness are mid values that read on both the light and the dark theme; yellows and
 * greens are darkened a little because they wash out on white.
 */
export const goldenAngleDegrees = 180 * (3 - Math.sqrt(5));

export function runHue(runId: number): number {
  return mod360(runId * goldenAngleDegrees);
}

export function keyHue(key: string): number {
  return fnv1a32(key) % 360;
}

export function runColor(runId: number, alpha = 1): string {
  return hueColor(runHue(runId), alpha);
}

export function groupColor(key: string, alpha = 1): string {
  return hueColor(keyHue(key), alpha);
}

/** A CSS colour in the legacy comma syntax, which every canvas and Chart.js's colour parser accept. */
export function hueColor(hue: number, alpha = 1): string {
  const lightness = hue >= 45 && hue <= 160 ? 40 : 50;
  const h = Math.round(hue * 10) / 10;
  return alpha >= 1 ? `hsl(${h}, 70%, ${lightness}%)` : `hsla(${h}, 70%, ${lightness}%, ${alpha})`;
}

/** FNV-1a over the string's UTF-16 code units, as an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mod360(degrees: number): number {
  return ((degrees % 360) + 360) % 360;
}

/** A colour made by hueColor at another opacity (for the faint raw curve and the band). */
export function withAlpha(color: string, alpha: number): string {
  const match = /^hsla?\(([^,]+), ([^,]+), ([^,)]+)(?:, [^)]+)?\)$/.exec(color);
  if (!match) throw new RangeError(`withAlpha: expected a colour from hueColor, got ${JSON.stringify(color)}`);
  return `hsla(${match[1]}, ${match[2]}, ${match[3]}, ${alpha})`;
}
