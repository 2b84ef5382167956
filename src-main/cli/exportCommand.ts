import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserInputError } from '../engine/errors';
import { LabError } from '../lab/api/labErrors';
import { appVersion } from '../lab/appVersion';
import { exportExperiment } from '../lab/archive';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { openCliStore } from './openCliStore';
import { UsageError } from './usageError';

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

  const store = openCliStore(values.db);
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
  if (existsSync(path) && !values.force) throw new UserInputError(`${path} exists already: choose another --out, or add --force to replace it`);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    writeFileSync(temporary, archive.bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UserInputError(`${path}: cannot write the archive (${(error as Error).message})`);
    }
    throw error;
  }

  const bytes = archive.bytes.byteLength;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ path, experimentId, runs, bytes })}\n`);
  } else {
    process.stdout.write(`${path}\n  experiment ${experimentId}, ${runs} run${runs === 1 ? '' : 's'}, ${formatBytes(bytes)}\n`);
  }
  return 0;
}

/** `--out` as given (a folder gets the default file name inside it), or the default name in the current folder. */
function outputPath(out: string | undefined, defaultName: string): string {
  if (out === undefined) return resolve(defaultName);
  if (existsSync(out) && statSync(out).isDirectory()) return resolve(out, defaultName);
  return resolve(out);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
