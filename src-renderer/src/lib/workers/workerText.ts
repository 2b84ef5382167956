/** How the queue's workers read in the status bar and the Workers panel. */
import type { WorkerInfo } from '$api/labApi';

export type WorkerRun = WorkerInfo['runs'][number];

/** `Runs train on 2 workers via redis://10.0.0.5:6379`; the count is left out while it is not known. */
export function workersSummary(count: number | null, address: string): string {
  const workers = count === null ? 'workers' : `${count} worker${count === 1 ? '' : 's'}`;
  return `Runs train on ${workers} via ${address}`;
}

/** `linux x64 · 8 CPUs · 31.3 GB` */
export function workerMachineText(worker: WorkerInfo): string {
  return `${worker.platform} ${worker.arch} · ${worker.cpus} CPU${worker.cpus === 1 ? '' : 's'} · ${worker.memoryGb.toFixed(1)} GB`;
}

/** `step 40 / 100`; `step 40` while the total is not known; `starting` before the worker reports a step. */
export function workerRunProgress(run: WorkerRun): string {
  if (run.step === null) return 'starting';
  return run.totalSteps === null ? `step ${run.step}` : `step ${run.step} / ${run.totalSteps}`;
}

/** The command that connects a worker to the queue at `address`. */
export function workerCommand(address: string): string {
  return `curvelab worker --redis ${address}`;
}

/** By name, then id: the panel's rows keep their places from one poll to the next. */
export function sortWorkers(workers: readonly WorkerInfo[]): WorkerInfo[] {
  return [...workers].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }) || a.id.localeCompare(b.id));
}
