import { UserInputError } from '../../engine/errors';

/**
 * A run spec (or sweep request) the lab refuses before writing anything: names the field at fault as a
 * dotted path (`optimizerOptions.lr`, `optimizers.1.grid.lr`) so the UI can point at it, and says what
 * was expected. A UserInputError, so every caller that already reports those reports this one too.
 */
export class RunSpecError extends UserInputError {
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message);
    this.name = 'RunSpecError';
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
