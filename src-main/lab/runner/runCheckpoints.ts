import { CheckpointFolder } from '../../engine/checkpoint/checkpointFolder';
import type { TrainJob } from '../../engine/train/runJob';
import { defaultCheckpointEvery } from '../../shared/checkpointEvery';
import type { RunSpec } from '../../shared/runSpec';

/**
 * A run's checkpoints, kept beside the database in `<database>.checkpoints/<run uid>/` (the uid, not the
 * id, since ids are reused after a delete): what the lab's workers and `curvelab train` write, and what a
 * resumed run goes on from. An in-memory database keeps none (null). Remote workers (`curvelab worker`)
 * do not see this folder: their runs keep no checkpoints, and a retried job trains from the start.
 */
export function runCheckpointFolder(databaseFile: string, runUid: string): string | null {
  return databaseFile === ':memory:' || databaseFile === '' ? null : `${databaseFile}.checkpoints/${runUid}`;
}

/**
 * The job's checkpoints for a run: its folder, how often (its spec's, else the default), and the newest
 * step it may go on from (its step rows stored: resumeStep); none for an in-memory database. `runUid` is a
 * function (null until known) for a run whose row is made as it starts.
 */
export function runCheckpoints(databaseFile: string, runUid: string | (() => string | null), spec: RunSpec, storedSteps = 0): TrainJob['checkpoints'] {
  if (runCheckpointFolder(databaseFile, '') === null) return undefined;
  const folderOf = (uid: string | null): string | null => (uid === null ? null : runCheckpointFolder(databaseFile, uid));
  const folder = typeof runUid === 'string' ? folderOf(runUid)! : () => folderOf(runUid());
  return { folder, every: spec.checkpointEvery ?? defaultCheckpointEvery, resumeAtMost: storedSteps };
}

/**
 * The step a run resumed now goes on from: its newest checkpoint's (its rows after it are to go) of at
 * most `storedSteps` steps, since a crash may have lost the rows of the last steps before a checkpoint
 * (the lab has them written as each checkpoint is, but a crash can come between); 0 when it has none.
 * Read from the file names: if that one turns out to be damaged, the worker goes on from an older one and
 * writes the steps between again (rows are keyed by step, so nothing is written twice).
 */
export function resumeStep(databaseFile: string, runUid: string, storedSteps: number): number {
  const folder = runCheckpointFolder(databaseFile, runUid);
  return folder === null ? 0 : (new CheckpointFolder(folder).files().find((f) => f.step <= storedSteps)?.step ?? 0);
}

/** Deletes the checkpoints of these runs. */
export function removeRunCheckpoints(databaseFile: string, runUids: readonly string[]): void {
  for (const uid of runUids) {
    const folder = runCheckpointFolder(databaseFile, uid);
    if (folder !== null) new CheckpointFolder(folder).remove();
  }
}
