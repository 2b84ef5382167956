import type { JsonBounds } from '../lab/api/jsonBounds';

/** What one call's request body may be: its size, and its JSON's depth and number of values. */
export interface BodyLimits extends JsonBounds {
  maxBytes: number;
}

/** Calls whose payload carries files, base64 in one string each: large bodies of a few values. */
const fileMethods: ReadonlySet<string> = new Set(['importArchive', 'uploadDataset']);

/** Every other call is a small object: a run request with a model spec of a few thousand layers fits well within these. */
const MAX_CALL_BYTES = 4 * 2 ** 20;
const callBounds: JsonBounds = { maxDepth: 128, maxValues: 250_000 };
const fileBounds: JsonBounds = { maxDepth: 8, maxValues: 1000 };

/**
 * The limits of a call's body, by method: files up to `maxFileBodyBytes` (the server's maxBodyBytes),
 * every other call up to 4 MiB (or maxFileBodyBytes when that is smaller), each with bounds on its JSON so
 * that no body makes the server parse millions of values.
 */
export function bodyLimitsOf(method: string, maxFileBodyBytes: number): BodyLimits {
  return fileMethods.has(method) ? { maxBytes: maxFileBodyBytes, ...fileBounds } : { maxBytes: Math.min(MAX_CALL_BYTES, maxFileBodyBytes), ...callBounds };
}
