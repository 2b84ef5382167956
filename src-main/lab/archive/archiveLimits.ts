/**
 * Caps on what an import will read, checked against the zip's declared sizes before anything is
 * inflated (and enforced again while inflating, so a header that lies cannot blow memory).
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
}

const MiB = 2 ** 20;

/**
 * Generous for the largest experiment the lab is sized for, 50 runs × 20,000 steps: each run's entries
 * (step rows ≈ 1.5 MB, trace rows ≈ 3–6 MB, steps.csv ≈ 3–5 MB) are far below the per-entry cap, and
 * the whole (≈ 0.5 GB uncompressed) is a quarter of the total cap. Import inflates one entry at a time.
 */
export const defaultArchiveLimits: Readonly<ArchiveLimits> = {
  maxArchiveBytes: 1024 * MiB,
  maxEntries: 10_000,
  maxEntryBytes: 256 * MiB,
  maxTotalBytes: 2048 * MiB,
};

export function resolveArchiveLimits(limits: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return { ...defaultArchiveLimits, ...limits };
}
