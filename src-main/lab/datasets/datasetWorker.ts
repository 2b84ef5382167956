/**
 * A dataset worker (worker_threads): loads the one dataset its workerData names (a DatasetJob), posts
 * its summary, a preview or the whole dataset, or why it failed, and ends. Started by workerDatasetLoader, a fresh worker
 * per job, with resourceLimits: a dataset too large for them fails this job alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRunDataset } from '../../engine/data/loadDataset';
import { UserInputError } from '../../engine/errors';
import { inThreadDatasetLoader } from './datasetLoading';
import type { DatasetJob, DatasetJobAnswer } from './workerDatasetLoader';

async function answer(job: DatasetJob): Promise<DatasetJobAnswer> {
  const limits = job.maxFileBytes === undefined ? {} : { maxFileBytes: job.maxFileBytes };
  const loader = inThreadDatasetLoader(limits);
  try {
    switch (job.kind) {
      case 'summary':
        return { ok: true, value: await loader.summary(job.source, job.target) };
      case 'preview':
        return { ok: true, value: await loader.preview(job.source, job.target, job.count) };
      case 'run':
        return { ok: true, value: await loadRunDataset({ dataset: job.source, ...(job.target === null ? {} : { target: job.target }), seed: job.seed }, limits) };
    }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error), userError: error instanceof UserInputError };
  }
}

const port = parentPort;
if (!port) throw new Error('datasetWorker.ts runs only as a worker thread (started by workerDatasetLoader)');
void answer(workerData as DatasetJob).then((result) => {
  port.postMessage(result);
  port.close();
});
