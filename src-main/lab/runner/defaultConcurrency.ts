import { availableParallelism } from 'node:os';

/** Backends that drive one device: runs on them take turns. tfjs-node is also unsafe in several workers. */
const oneAtATimeBackends = new Set(['webgpu', 'tensorflow']);

/** Runs that train at once when nobody said how many: one per core on a CPU backend, one on a GPU. */
export function defaultConcurrency(backendName: string): number {
  return oneAtATimeBackends.has(backendName) ? 1 : availableParallelism();
}
