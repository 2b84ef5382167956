import { UserInputError } from '../../engine/errors';

/**
 * An archive that cannot be imported: not a zip, a damaged or hostile entry, a manifest or rows that do
 * not match the format. The message names the entry at fault (when there is one) and what was expected;
 * an import that throws it has written nothing.
 */
export class ArchiveError extends UserInputError {
  constructor(
    /** The zip entry at fault (`runs.json`, `metrics/<uid>/step_metrics.json`), or undefined for the archive as a whole. */
    readonly entry: string | undefined,
    /** What is wrong, without the entry: with `entry`, what rebuilds the error where it was thrown in a worker. */
    readonly problem: string,
  ) {
    super(entry === undefined ? `not a usable CurveLab archive: ${problem}` : `archive entry ${entry}: ${problem}`);
    this.name = 'ArchiveError';
  }
}
