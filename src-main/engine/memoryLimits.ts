import { constants } from 'node:buffer';
import { totalmem } from 'node:os';

/**
 * The memory one job may take on this machine: the training of a run, or the loading of a dataset. Half
 * of the machine's, so that the lab and the rest of the machine keep the other half. A worker thread's
 * resourceLimits bound only its V8 heap; weights, activations and examples live in typed arrays outside
 * it, so what they will take is estimated and refused against this before anything is allocated.
 */
export function jobMemoryBytes(): number {
  return Math.floor(totalmem() / 2);
}

/**
 * The V8 heap a job's worker thread may grow (its resourceLimits.maxOldGenerationSizeMb), in MB: a job's
 * memory, or less where the process was started with --max-old-space-size (in its arguments or
 * NODE_OPTIONS): that flag caps every thread's heap, whatever a worker's resourceLimits ask.
 */
export function jobHeapMb(): number {
  const flag = maxOldSpaceFlagMb([...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)]);
  return Math.min(Math.floor(jobMemoryBytes() / 2 ** 20), flag ?? Infinity);
}

/** The last --max-old-space-size=N (or --max_old_space_size) among Node's arguments, in MB; null without one. */
export function maxOldSpaceFlagMb(args: readonly string[]): number | null {
  let found: number | null = null;
  for (const arg of args) {
    const match = /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(arg);
    if (match) found = Number(match[1]);
  }
  return found;
}

/**
 * The most one dataset file may hold, read and decompressed: its bytes become float32 examples (four
 * bytes for each image byte), so a fifth of a job's memory, and never more than one Buffer holds.
 */
export function maxDatasetFileBytes(): number {
  return Math.min(Math.floor(jobMemoryBytes() / 5), constants.MAX_LENGTH);
}

/** A byte count for messages: `12,345,678 bytes (11.8 MiB)`. */
export function describeBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit < 0 ? `${bytes} bytes` : `${bytes.toLocaleString('en-US')} bytes (${value.toFixed(1)} ${units[unit]})`;
}
