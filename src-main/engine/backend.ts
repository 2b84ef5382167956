import { didYouMean } from '../shared/closestName';
import { UserInputError } from './errors';
import { tf } from './tf';

/**
 * Chooses the TF.js backend a run trains on: the best one that loads, unless the user names one. The
 * choice is reported in one short line (`cpu-blas (OpenBLAS 0.3.21, 2 threads)`: the `backend` of `train`
 * and `bench`, the UI's status bar), and every backend tried, with why the better ones did not load, in
 * `attempts` (`curvelab info`).
 *
 * Best first:
 *   tensorflow  tfjs-node-gpu with a CUDA device
 *   webgpu      tfjs-backend-webgpu on Dawn, on a hardware GPU (a software adapter is never picked on its own)
 *   tensorflow  tfjs-node on the CPU
 *   cpu-blas    CurveLab's native kernels (OpenBLAS / Accelerate) inside TF.js's CPU backend
 *   cpu         plain TF.js
 * The native packages are optional: where they cannot install or build, the report says so and why.
 * A software GPU adapter is refused unless CURVELAB_ALLOW_SOFTWARE_GPU=1, even when webgpu is named.
 */
export const knownBackends = ['tensorflow', 'webgpu', 'cpu-blas', 'cpu'] as const;
export type BackendName = (typeof knownBackends)[number];

export interface BackendAttempt {
  candidate: string;
  ok: boolean;
  detail: string;
}

export interface BackendReport {
  /** The backend TF.js runs on now. */
  name: string;
  /** One short line: what it is (`OpenBLAS 0.3.21, 2 threads`), and `requested` when it was named. */
  reason: string;
  attempts: BackendAttempt[];
}

export const BACKEND_ENV_VAR = 'CURVELAB_BACKEND';
/** Set to 1 to let the webgpu backend run on a software (CPU) adapter such as Mesa's lavapipe. */
export const ALLOW_SOFTWARE_GPU_ENV_VAR = 'CURVELAB_ALLOW_SOFTWARE_GPU';

interface Candidate {
  label: string;
  backend: BackendName;
  /** Loads and activates the backend; returns a short description, or throws why it cannot. */
  load(): Promise<string>;
}

const candidates: Candidate[] = [
  { label: 'tensorflow (tfjs-node-gpu, CUDA)', backend: 'tensorflow', load: () => loadTensorflow('@tensorflow/tfjs-node-gpu', true) },
  {
    label: 'webgpu',
    backend: 'webgpu',
    // A software adapter (lavapipe) is correct but slower than cpu-blas: only on explicit request.
    load: async () => {
      const { loadWebGpuBackend } = await import('./webgpu/loadWebGpuBackend');
      return (await loadWebGpuBackend({ allowSoftwareAdapter: process.env[ALLOW_SOFTWARE_GPU_ENV_VAR] === '1' })).detail;
    },
  },
  { label: 'tensorflow (tfjs-node, CPU)', backend: 'tensorflow', load: () => loadTensorflow('@tensorflow/tfjs-node', false) },
  {
    label: 'cpu-blas (native kernels)',
    backend: 'cpu-blas',
    load: async () => {
      const { loadNativeBackend } = await import('./native/loadNativeBackend');
      return (await loadNativeBackend()).detail;
    },
  },
  { label: 'cpu (plain TF.js)', backend: 'cpu', load: async () => 'plain TF.js kernels' },
];

let current: BackendReport | null = null;

/**
 * Selects a backend. `preference` (or CURVELAB_BACKEND) names one that must load; otherwise the best
 * that loads wins. Selecting again switches (all backends that loaded stay registered).
 */
export async function selectBackend(preference?: string): Promise<BackendReport> {
  const wanted = preference ?? process.env[BACKEND_ENV_VAR] ?? 'auto';
  if (wanted !== 'auto' && !(knownBackends as readonly string[]).includes(wanted)) {
    throw new BackendUnavailableError(
      `unknown backend '${wanted}': expected auto or one of ${knownBackends.join(', ')}${didYouMean(wanted, ['auto', ...knownBackends])}`,
    );
  }
  const explicit = wanted !== 'auto';
  const attempts: BackendAttempt[] = [];
  for (const c of candidates) {
    if (explicit && c.backend !== wanted) continue;
    let detail: string;
    try {
      detail = await c.load();
      if (!(await tf.setBackend(c.backend))) throw new Error(`tf.setBackend('${c.backend}') failed`);
      await tf.ready();
    } catch (error) {
      attempts.push({ candidate: c.label, ok: false, detail: firstLine(error) });
      continue;
    }
    attempts.push({ candidate: c.label, ok: true, detail });
    current = { name: tf.getBackend(), reason: explicit ? `${detail}; requested` : detail, attempts };
    return current;
  }
  throw new BackendUnavailableError(
    `backend '${wanted}' is not available: ${attempts.map((a) => `${a.candidate}: ${a.detail}`).join('; ')}`,
  );
}

/** The backend chosen by selectBackend, or the one TF.js picked by itself. */
export function currentBackend(): BackendReport {
  return current ?? { name: tf.getBackend(), reason: 'TF.js default', attempts: [] };
}

export class BackendUnavailableError extends UserInputError {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

async function loadTensorflow(specifier: string, needsGpu: boolean): Promise<string> {
  try {
    // A variable specifier keeps bundlers from resolving packages that are usually absent.
    const name = specifier;
    await import(name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error('not installed');
    throw error;
  }
  if (needsGpu && !(await hasCudaDevice())) throw new Error('no CUDA device visible to TensorFlow');
  return specifier;
}

async function hasCudaDevice(): Promise<boolean> {
  // tfjs-node-gpu falls back to the CPU silently when CUDA is missing: ask the backend for a GPU.
  const backend = tf.findBackend('tensorflow') as unknown as { binding?: { isUsingGpuDevice?: () => boolean } } | null;
  return backend?.binding?.isUsingGpuDevice?.() ?? false;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
