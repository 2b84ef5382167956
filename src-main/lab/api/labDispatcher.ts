import { UserInputError } from '../../engine/errors';
import { labMethods, type LabApi, type LabMethod, type LabResponse } from './labApi';
import { StorageError } from '../store/storeErrors';
import { LabError, storageLabError } from './labErrors';
import { fieldIssue, labSchemas } from './labSchemas';

/** Calls one Lab API method by name with an untrusted payload; always resolves to an envelope. */
export type LabDispatch = (method: string, payload: unknown) => Promise<LabResponse>;

const known = new Set<string>(labMethods);

function isLabMethod(method: string): method is LabMethod {
  return known.has(method);
}

/**
 * The single entry point both transports use: checks the method name against the allow-list and the
 * payload against its schema, runs the handler, and turns every failure into a typed error. Errors a
 * user can cause keep their message; anything else is reported as `internal` with its message (and
 * logged), so a bug in one handler never takes the process down.
 */
export function createLabDispatch(api: LabApi, log: (error: unknown) => void = (e) => console.error(e)): LabDispatch {
  return async (method, payload) => {
    try {
      if (!isLabMethod(method)) throw new LabError('invalid-request', `no such Lab API method: ${JSON.stringify(method)}`);
      const parsed = labSchemas[method].safeParse(payload);
      if (!parsed.success) {
        const { field, message } = fieldIssue(parsed.error.issues[0]!);
        const where = field === '' ? 'payload' : `field '${field}'`;
        throw new LabError('invalid-request', `${method}: ${where}: ${message}`, field === '' ? undefined : field);
      }
      const handler = api[method] as (p: unknown) => Promise<unknown>;
      const value = await handler.call(api, parsed.data);
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: toLabError(error, log).toInfo() };
    }
  };
}

export function toLabError(error: unknown, log: (error: unknown) => void = () => {}): LabError {
  if (error instanceof LabError) return error;
  if (error instanceof StorageError) return storageLabError(error.failure, error.message);
  if (error instanceof UserInputError) {
    // Some user errors know the payload field at fault (RunSpecError: `optimizers.0.options.lr`).
    const field = (error as { field?: unknown }).field;
    return new LabError('invalid-input', error.message, typeof field === 'string' ? field : undefined);
  }
  log(error);
  return new LabError('internal', error instanceof Error ? error.message : String(error));
}
