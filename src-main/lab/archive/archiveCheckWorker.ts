/**
 * An archive check worker (worker_threads): runs checkArchive on the archive its workerData holds (an
 * ArchiveCheckJob), posts the checked archive or why it was refused, and ends. Started by
 * checkArchiveInWorker, a fresh worker per archive, with resourceLimits on its heap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArchiveError } from './archiveError';
import { archiveSchemaOf } from './archiveSchemaSnapshot';
import { checkArchive } from './checkArchive';
import type { ArchiveCheckAnswer, ArchiveCheckJob } from './checkArchiveInWorker';

function answer(job: ArchiveCheckJob): ArchiveCheckAnswer {
  try {
    return { ok: true, checked: checkArchive(archiveSchemaOf(job.schema), job.bytes, job.limits) };
  } catch (error) {
    if (error instanceof ArchiveError) return { ok: false, refused: { entry: error.entry, problem: error.problem } };
    return { ok: false, crashed: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (!port) throw new Error('archiveCheckWorker.ts runs only as a worker thread (started by checkArchiveInWorker)');
port.postMessage(answer(workerData as ArchiveCheckJob));
port.close();
