import { z } from 'zod';
import { uidPattern } from './entryNames';

export const archiveFormat = 'curvelab-experiment';
export const archiveFormatVersion = 1;

const count = z.number().int().nonnegative();

/** `manifest.json`: what the archive holds and where it came from; every other entry is listed with its size and SHA-256. */
export const manifestSchema = z.object({
  format: z.literal(archiveFormat),
  formatVersion: z.literal(archiveFormatVersion),
  appVersion: z.string(),
  createdAt: z.string(),
  /** The exporting database's `user_version`: an import refuses an archive from a newer schema. */
  schemaVersion: count,
  machine: z.object({ platform: z.string(), arch: z.string(), cpuModel: z.string(), cpus: count }),
  /** The distinct backends its runs trained on. */
  backends: z.array(z.string()),
  /** The datasets its runs name: the registered row's name and content hash where the source database had one. */
  datasets: z.array(z.object({ source: z.string(), name: z.string().optional(), contentHash: z.string().optional() })),
  experiment: z.object({ uid: z.string().regex(uidPattern), name: z.string() }),
  counts: z.object({ runs: count, stepMetrics: count, epochMetrics: count, traceValues: count }),
  files: z.record(z.string(), z.strictObject({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits') })),
});

export type ArchiveManifest = z.infer<typeof manifestSchema>;
