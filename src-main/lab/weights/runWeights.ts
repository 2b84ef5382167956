import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ModelWeights } from '../../engine/weights/modelWeights';
import { encodeWeightsFile, weightsMetadataKeys } from '../../engine/weights/weightsFile';
import type { RunSpec } from '../../shared/runSpec';
import { LabError } from '../api/labErrors';
import type { Store } from '../store';
import { writeFileAtomically } from '../../engine/writeFileAtomically';

/**
 * A run's final weights, kept beside the database in `<database>.weights/<run uid>.safetensors`: the uid,
 * not the id, since ids are reused after a delete. The worker that trains the run writes the file as the
 * run ends (before its `done` event); the Lab API's exportWeights and `curvelab export-weights` read it.
 * An in-memory database keeps no weights (null).
 */
export function runWeightsFile(databaseFile: string, runUid: string): string | null {
  return databaseFile === ':memory:' || databaseFile === '' ? null : `${databaseFile}.weights/${runUid}.safetensors`;
}

/**
 * The trainer's onFinalWeights for a run trained with `spec` (kept in the file's metadata) whose weights
 * go to `path`, written atomically. Weights are a by-product: a failure to write them (a full disk, a
 * network without a PyTorch layout) leaves the run as it ended, without weights, and is told to `warn`.
 */
export function keepRunWeights(path: string, spec: RunSpec, warn: (message: string) => void): (weights: () => ModelWeights) => void {
  return (weights) => {
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomically(path, encodeWeightsFile(weights(), { [weightsMetadataKeys.runSpec]: JSON.stringify(spec) }));
    } catch (error) {
      warn(`the run's weights were not kept in ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** A run's weights file to hand out: `not-found` for no such run, or a run whose weights were not kept. */
export function readRunWeights(store: Store, runId: number): { fileName: string; bytes: Uint8Array } {
  const run = store.getRun(runId);
  if (!run) throw new LabError('not-found', `no run with id ${runId}`);
  const path = runWeightsFile(store.file, run.uid);
  if (path === null || !existsSync(path)) {
    const why =
      run.status === 'queued' || run.status === 'running'
        ? 'it has not ended yet'
        : `none were kept (the lab keeps the final weights of the runs its own workers and \`curvelab train\` train, in ${store.file}.weights; not those of runs trained by remote workers, imported from archives, or that failed)`;
    throw new LabError('not-found', `run ${runId} has no weights: ${why}`);
  }
  return { fileName: `run-${runId}.safetensors`, bytes: readFileSync(path) };
}

/** Deletes the weights files of these runs (those that have one). */
export function removeRunWeights(databaseFile: string, runUids: readonly string[]): void {
  for (const uid of runUids) {
    const path = runWeightsFile(databaseFile, uid);
    if (path !== null) rmSync(path, { force: true });
  }
}
