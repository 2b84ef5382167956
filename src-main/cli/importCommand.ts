import { readFileSync } from 'node:fs';
import { UserInputError } from '../engine/errors';
import { ArchiveError, importArchive } from '../lab/archive';
import { parseCommandArgs } from './argumentValues';
import { openCliStore } from './openCliStore';
import { UsageError } from './usageError';

export const importUsage = `Usage: curvelab import <file.curvelab> [--db path] [--json]

Adds the experiment in a .curvelab archive (written by \`curvelab export\` or the lab's Export button) to
the lab database, with all its runs and their metrics. The whole archive is checked before anything is
written: a damaged or foreign file changes nothing. Importing the same experiment again does nothing.
Runs that were still queued or training when exported are stored as interrupted.

  --db path   the lab database (default: the user's data folder, or CURVELAB_DB)
  --json      print {"experimentId","uid","name","runCount","alreadyPresent"} as one JSON line

Exit status: 0 imported (or already there), 2 bad arguments or a file that is not a usable archive.
`;

/** `curvelab import`: one .curvelab archive into the lab database. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', {
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' }, json: { type: 'boolean' } },
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
    result = importArchive(store, bytes);
  } catch (error) {
    if (error instanceof ArchiveError) throw new UserInputError(`${file}: ${error.message}`);
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
