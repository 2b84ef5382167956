import { readRunWeights } from '../lab/weights/runWeights';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { openCliStore } from './openCliStore';
import { UsageError } from './usageError';
import { formatBytes, outputPath, writeOutputFile } from './writeOutputFile';

export const exportWeightsUsage = `Usage: curvelab export-weights RUN [--out file.safetensors] [--force] [--db path] [--json]

Writes a run's final weights (the model as the run ended; the lab keeps no other) to a safetensors file:
parameters and batch-norm statistics in PyTorch's names and layouts, so \`load_state_dict\` of the same
architecture written in PyTorch takes them, with the model spec and the run spec as JSON in its metadata
(docs/weights.md). \`curvelab evaluate --weights\` measures it on a dataset, \`curvelab train --init-from\`
trains on from it. The lab keeps the weights of runs its own workers and \`curvelab train\` train.

  RUN            the run's id (see \`curvelab runs\`)
  --out          where to write it: a file, or an existing folder (default: run-<id>.safetensors in the
                 current folder)
  --force        replace the file if it exists (default: refuse)
  --db path      the lab database (default: the user's data folder, or CURVELAB_DB)
  --json         print {"path","runId","bytes"} as one JSON line

Exit status: 0 written, 2 bad arguments, an unknown run, a run without weights or a file that exists.
`;

/** `curvelab export-weights`: a run's kept weights file, copied to where the user says. */
export async function runExportWeightsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('export-weights', {
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, force: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the run id' : `give one run id, not ${positionals.length}`, 'export-weights');
  const runId = positiveInteger(positionals[0]!, 'RUN', 'export-weights');
  const store = openCliStore(values.db, 'read');
  let weights;
  try {
    weights = readRunWeights(store, runId);
  } finally {
    store.close();
  }
  const path = outputPath(values.out, weights.fileName);
  writeOutputFile(path, weights.bytes, values.force ?? false, 'weights');
  const bytes = weights.bytes.byteLength;
  process.stdout.write(values.json ? `${JSON.stringify({ path, runId, bytes })}\n` : `${path}\n  run ${runId}, ${formatBytes(bytes)}\n`);
  return 0;
}
