import { UserInputError } from '../../engine/errors';
import type { FieldIssue } from '../api/labApi';

/**
 * A run request the lab refuses before writing anything: names the field at fault as a dotted path
 * into the request (`base.batchSize`, `optimizers.1.grid.lr`) so the UI can point at it, and says what
 * was expected. A UserInputError, so every caller that already reports those reports this one too.
 * `issues` holds every issue of the request (the error's own first), for a caller that shows them all.
 */
export class RunSpecError extends UserInputError {
  constructor(
    readonly field: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [{ field, message }],
  ) {
    super(message);
    this.name = 'RunSpecError';
  }
}
