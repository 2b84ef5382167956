import { UserInputError } from '../../engine/errors';

/**
 * A run request the lab refuses before writing anything: names the field at fault as a dotted path
 * into the request (`base.batchSize`, `optimizers.1.grid.lr`) so the UI can point at it, and says what
 * was expected. A UserInputError, so every caller that already reports those reports this one too.
 */
export class RunSpecError extends UserInputError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunSpecError';
  }
}
