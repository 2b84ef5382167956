import { jobHeapMb } from '../../engine/memoryLimits';
import { runOneShotWorker } from '../oneShotWorker';
import { ArchiveError } from './archiveError';
import { resolveArchiveLimits, type ArchiveLimits } from './archiveLimits';
import { snapshotArchiveSchema, type ArchiveSchemaSnapshot } from './archiveSchemaSnapshot';
import type { ArchiveSchema, CheckedArchive } from './checkArchive';

/** What an archive check worker is given (its workerData): the bytes in shared memory, so nothing is copied. */
export interface ArchiveCheckJob {
  schema: ArchiveSchemaSnapshot;
  bytes: Uint8Array;
  limits: ArchiveLimits;
}

/** What it answers (its one message): the checked archive, the ArchiveError's parts, or a failure that is not the archive's. */
export type ArchiveCheckAnswer =
  | { ok: true; checked: CheckedArchive }
  | { ok: false; refused: { entry: string | undefined; problem: string } }
  | { ok: false; crashed: string };

export interface ArchiveCheckOptions {
  /** Caps on sizes and entry counts (defaults: defaultArchiveLimits). */
  limits?: Partial<ArchiveLimits>;
  /** The worker's V8 heap, resourceLimits.maxOldGenerationSizeMb (default jobHeapMb()). */
  heapMb?: number;
}

/**
 * checkArchive in a fresh worker thread with resourceLimits on its heap: inflating, checksumming and
 * parsing every entry of a large or hostile archive takes seconds, which the lab's thread spends
 * answering requests and recording runs instead. Rejects with the worker's ArchiveError (same entry,
 * same message), or an ArchiveError when the check needs more heap than it may take.
 */
export async function checkArchiveInWorker(schema: ArchiveSchema, bytes: Uint8Array, options: ArchiveCheckOptions = {}): Promise<CheckedArchive> {
  const heapMb = options.heapMb ?? jobHeapMb();
  const job: ArchiveCheckJob = { schema: snapshotArchiveSchema(schema), bytes: inSharedMemory(bytes), limits: resolveArchiveLimits(options.limits) };
  const answer = await runOneShotWorker<ArchiveCheckAnswer>({
    url: archiveCheckWorkerUrl(),
    workerData: job,
    heapMb,
    what: 'archive check',
    outOfMemory: () => new ArchiveError(undefined, `checking it took more than the ${heapMb} MB of memory an archive check may take`),
  });
  if (answer.ok) return answer.checked;
  if ('refused' in answer) throw new ArchiveError(answer.refused.entry, answer.refused.problem);
  throw new Error(`the archive check failed: ${answer.crashed}`);
}

/** Bytes decoded from base64 straight into memory a worker shares, so that checking them in one copies nothing. */
export function sharedBytesFromBase64(base64: string): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(base64, 'base64')));
  // byteLength is an upper bound (characters that are not base64 are skipped): keep what was written.
  return bytes.subarray(0, Buffer.from(bytes.buffer).write(base64, 'base64'));
}

/** The bytes themselves when already shared (workerData then shares, not copies, them); else one copy into shared memory. */
function inSharedMemory(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

/**
 * The file an archive check worker starts from: from sources (this module's URL ends in .ts), the
 * bootstrap that registers tsx first; from a build, `archiveCheckWorker.js` beside the bundle, which the
 * builds (scripts/compiledCli.mjs, electron.vite.config.ts) make as an entry of its own.
 */
function archiveCheckWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./archiveCheckWorkerBootstrap.mjs', import.meta.url) : new URL('./archiveCheckWorker.js', import.meta.url);
}
