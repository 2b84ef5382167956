import { readFileSync } from 'node:fs';
import { UserInputError } from '../engine/errors';
import { LabError } from '../lab/api/labErrors';
import { ArchiveError, importArchive } from '../lab/archive';
import { parseCommandArgs } from './argumentValues';
import { openCliStore } from './openCliStore';
import { UsageError } from './usageError';

export const importUsage = `Usage: curvelab import <file.curvelab> [--db path] [--as-copy] [--json]

Adds the experiment in a .curvelab archive (written by \`curvelab export\` or the lab's Export button) to
the lab database, with all its runs and their metrics. The whole archive is checked before anything is
written: a damaged or foreign file changes nothing. Importing the same archive again does nothing; an
archive of an experiment that is already here with other content (a later export) is refused, saying
what differs. Runs that were still queued or training when exported are stored as interrupted.

  --db path   the lab database (default: the user's data folder, or CURVELAB_DB)
  --as-copy   import it beside what is here: a new experiment "<name> (copy)", its runs with new ids
  --json      print {"experimentId","uid","name","runCount","alreadyPresent"} as one JSON line

Exit status: 0 imported (or already there), 2 bad arguments, a file that is not a usable archive, or an
archive that differs from the experiment already here (import it --as-copy to keep both).
`;

/** `curvelab import`: one .curvelab archive into the lab database. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', {
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' }, 'as-copy': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one archive file, got ${positionals.length}`, 'import');
  const file = positionals[0]!;

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${(error as Error).message})`);
  }

  const store = openCliStore(values.db);
  let result;
  try {
    result = importArchive(store, bytes, { asCopy: values['as-copy'] === true });
  } catch (error) {
    if (error instanceof ArchiveError || error instanceof LabError) throw new UserInputError(`${file}: ${error.message}`);
    throw error;
  } finally {
    store.close();
  }

  const { experiment, runCount, alreadyPresent } = result;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ experimentId: experiment.id, uid: experiment.uid, name: experiment.name, runCount, alreadyPresent })}\n`,
    );
  } else if (alreadyPresent) {
    process.stdout.write(`already imported: experiment ${experiment.id} (${experiment.name}), ${runCount} run${runCount === 1 ? '' : 's'}; nothing written\n`);
  } else {
    process.stdout.write(`imported experiment ${experiment.id} (${experiment.name}), ${runCount} run${runCount === 1 ? '' : 's'}\n`);
  }
  return 0;
}
