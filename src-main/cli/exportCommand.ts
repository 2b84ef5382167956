import { UserInputError } from '../engine/errors';
import { LabError } from '../lab/api/labErrors';
import { appVersion } from '../lab/appVersion';
import { exportExperiment } from '../lab/archive';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { openCliStore } from './openCliStore';
import { UsageError } from './usageError';
import { formatBytes, outputPath, writeOutputFile } from './writeOutputFile';

export const exportUsage = `Usage: curvelab export --experiment <id> [--out file.curvelab] [--force] [--db path] [--json]

Writes one experiment, with all its runs and their recorded metrics, to a .curvelab archive (a zip) that
\`curvelab import\` or the lab's Import button reads on another machine. The archive also holds CSV files
(csv/runs.csv, and steps.csv and epochs.csv per run) for spreadsheets and scripts.

  --experiment   the experiment's id (see \`curvelab runs\`, column experiment)
  --out          where to write it: a file, or an existing folder (default: <experiment-name>-<date>.curvelab
                 in the current folder)
  --force        replace the file if it exists (default: refuse)
  --db path      the lab database (default: the user's data folder, or CURVELAB_DB)
  --json         print {"path","experimentId","runs","bytes"} as one JSON line

Exit status: 0 written, 2 bad arguments, an unknown experiment or a file that exists.
`;

/** `curvelab export`: one experiment to a .curvelab archive, written to a temporary file first so a crash leaves no half file. */
export async function runExportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('export', {
    args: argv,
    options: {
      experiment: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.experiment === undefined) throw new UsageError('--experiment is required', 'export');
  const experimentId = positiveInteger(values.experiment, '--experiment', 'export');

  const store = openCliStore(values.db, 'read');
  let archive;
  let runs: number;
  try {
    runs = store.getExperiment(experimentId)?.runCount ?? 0;
    archive = await exportExperiment(store, experimentId, { appVersion: appVersion() });
  } catch (error) {
    if (error instanceof LabError && error.code === 'not-found') {
      throw new UserInputError(`--experiment ${experimentId}: no such experiment in ${store.file}`);
    }
    throw error;
  } finally {
    store.close();
  }

  const path = outputPath(values.out, archive.fileName);
  writeOutputFile(path, archive.bytes, values.force ?? false, 'archive');

  const bytes = archive.bytes.byteLength;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ path, experimentId, runs, bytes })}\n`);
  } else {
    process.stdout.write(`${path}\n  experiment ${experimentId}, ${runs} run${runs === 1 ? '' : 's'}, ${formatBytes(bytes)}\n`);
  }
  return 0;
}
