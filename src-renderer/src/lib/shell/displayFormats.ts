/** How numbers, shapes and times read on screen; `—` stands for "not known (yet)". */

export const missing = '—';

export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Accuracy in [0, 1] as a percentage with two decimals. */
export function formatAccuracy(value: number | null): string {
  return value === null || !Number.isFinite(value) ? missing : `${(value * 100).toFixed(2)}%`;
}

/** A loss with four significant digits (exponent form when very small or large). */
export function formatLoss(value: number | null): string {
  if (value === null) return missing;
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(3);
  return value.toPrecision(4);
}

/** 9.4 s · 3 min 05 s · 2 h 07 min */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return missing;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.floor(seconds);
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(wholeSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The first characters of a content hash: enough to tell datasets apart at a glance. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
