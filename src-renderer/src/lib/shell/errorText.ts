import type { FieldIssue } from '$api/labApi';
import { LabError } from '$api/labErrors';

/**
 * The words to show for a failed call, next to the control that made it. Lab errors already name
 * the method and the field at fault; anything else (a dropped connection, a bug) keeps its message.
 */
export function errorText(error: unknown): string {
  if (error instanceof LabError) return error.message;
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string' && error !== '') return error;
  return `unexpected error: ${String(error)}`;
}

/** A refused call as an issue with a request: at the field the LabError names, else at none (''). */
export function issueOf(error: unknown): FieldIssue {
  return { field: error instanceof LabError ? (error.field ?? '') : '', message: errorText(error) };
}
