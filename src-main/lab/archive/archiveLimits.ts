/**
 * Caps on what an import will read, checked against the zip's declared sizes before anything is
 * inflated (and enforced again while inflating, so a header that lies cannot blow memory), and on the
 * structure of its JSON, counted before each entry is parsed (JSON.parse cannot be stopped once begun).
 */
export interface ArchiveLimits {
  /** The archive file itself, compressed. */
  maxArchiveBytes: number;
  /** Zip entries, the manifest included. */
  maxEntries: number;
  /** One entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
  /** Objects and arrays open at once in one JSON entry (a run's spec nests its model's layers). */
  maxJsonDepth: number;
  /** Values (objects, arrays, list items) in all JSON entries together. */
  maxJsonValues: number;
  /** Objects and arrays in all JSON entries together: each metric row is one. */
  maxJsonContainers: number;
}

const MiB = 2 ** 20;

/**
 * Generous for the largest experiment the lab is sized for, 50 runs × 20,000 steps: each run's entries
 * (step rows ≈ 1.5 MB, trace rows ≈ 3–6 MB, steps.csv ≈ 3–5 MB) are far below the per-entry cap, and
 * the whole (≈ 0.5 GB uncompressed) is a quarter of the total cap. Import inflates one entry at a time.
 * Its JSON holds some 15 million metric rows and 100 million values; the caps on them keep a hostile
 * archive (256 MiB of `[],[],…` inflated from 300 KB) from costing more to parse than that experiment.
 */
export const defaultArchiveLimits: Readonly<ArchiveLimits> = {
  maxArchiveBytes: 1024 * MiB,
  maxEntries: 10_000,
  maxEntryBytes: 256 * MiB,
  maxTotalBytes: 2048 * MiB,
  maxJsonDepth: 128,
  maxJsonValues: 128_000_000,
  maxJsonContainers: 16_000_000,
};

export function resolveArchiveLimits(limits: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...defaultArchiveLimits, ...limits };
}
