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
