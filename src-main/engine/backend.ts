import { UserInputError } from './errors';
import { tf } from './tf';

/**
 * Chooses the TF.js backend a run trains on: the best one that loads, unless the user names one. The
 * choice and the reasons the better ones were passed over are reported (CLI `info`, `train --json`).
 *
 * Order, best first: `tensorflow` through tfjs-node-gpu (CUDA), `tensorflow` through tfjs-node (CPU),
 * then TF.js's plain `cpu`. Both native packages are optional dependencies that cannot install where
 * libtensorflow cannot be downloaded; then the plain `cpu` backend is used and the report says why.
 */
export type BackendName = 'tensorflow' | 'cpu';

export interface BackendAttempt {
  candidate: string;
  ok: boolean;
  detail: string;
}

export interface BackendReport {
  /** The backend TF.js runs on now. */
  name: string;
  /** One line: why this one. */
  reason: string;
  attempts: BackendAttempt[];
}

export const BACKEND_ENV_VAR = 'CURVELAB_BACKEND';

interface Candidate {
  label: string;
  backend: BackendName;
  load(): Promise<void>;
}

const candidates: Candidate[] = [
  { label: 'tensorflow (tfjs-node-gpu, CUDA)', backend: 'tensorflow', load: () => importOptional('@tensorflow/tfjs-node-gpu') },
  { label: 'tensorflow (tfjs-node, CPU)', backend: 'tensorflow', load: () => importOptional('@tensorflow/tfjs-node') },
  { label: 'cpu (plain TF.js)', backend: 'cpu', load: async () => {} },
];

export const knownBackends: readonly BackendName[] = ['tensorflow', 'cpu'];

let current: BackendReport | null = null;

/**
 * Selects a backend once per process. `preference` (or the CURVELAB_BACKEND variable) names one that
 * must load; otherwise the best that loads wins.
 */
export async function selectBackend(preference?: string): Promise<BackendReport> {
  const wanted = preference ?? process.env[BACKEND_ENV_VAR] ?? 'auto';
  if (wanted !== 'auto' && !knownBackends.includes(wanted as BackendName)) {
    throw new BackendUnavailableError(`unknown backend '${wanted}': expected auto or one of ${knownBackends.join(', ')}`);
  }
  const attempts: BackendAttempt[] = [];
  for (const c of candidates) {
    if (wanted !== 'auto' && c.backend !== wanted) continue;
    try {
      await c.load();
      if (!(await tf.setBackend(c.backend))) throw new Error(`tf.setBackend('${c.backend}') returned false`);
      await tf.ready();
      attempts.push({ candidate: c.label, ok: true, detail: 'loaded' });
      const passedOver = attempts.filter((a) => !a.ok).map((a) => `${a.candidate}: ${a.detail}`);
      const reason =
        wanted !== 'auto'
          ? `requested ${wanted}`
          : passedOver.length === 0
            ? 'best available'
            : `best that loaded; passed over ${passedOver.join('; ')}`;
      current = { name: tf.getBackend(), reason, attempts };
      return current;
    } catch (error) {
      attempts.push({ candidate: c.label, ok: false, detail: firstLine(error) });
    }
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

async function importOptional(specifier: string): Promise<void> {
  // A variable specifier keeps bundlers from resolving packages that are usually absent.
  const name = specifier;
  try {
    await import(name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error('not installed');
    throw error;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
