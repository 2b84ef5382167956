import { parseCommandArgs } from './argumentValues';
import { openCliStore } from './openCliStore';
import { textTable } from './textTable';

export const runsUsage = `Usage: curvelab runs [--db path] [--json]

Lists the runs in the lab database (default: the user's, or CURVELAB_DB), newest first. With --json, a JSON
array of runs: id, experimentId, status, optimizer, steps (the step rows stored), final metrics, backend,
times and the run spec.
`;

/** `curvelab runs`: what the lab database holds. */
export async function runRunsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('runs', { args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const store = openCliStore(values.db);
  try {
    const runs = store.listRuns().sort((a, b) => b.id - a.id);
    const rows = runs.map((r) => ({
      id: r.id,
      experimentId: r.experimentId,
      status: r.status,
      optimizer: r.optimizer,
      steps: r.storedSteps,
      trainLoss: r.trainLoss,
      valLoss: r.valLoss,
      valAccuracy: r.valAccuracy,
      backend: r.backend,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      error: r.error,
      spec: r.spec,
    }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write('no runs yet: start one with `curvelab train`\n');
      return 0;
    }
    const header = ['id', 'experiment', 'status', 'optimizer', 'arch', 'dataset', 'steps', 'val loss', 'val acc', 'backend', 'started'];
    const lines = rows.map((r) => [
      String(r.id),
      String(r.experimentId),
      r.status,
      r.optimizer,
      typeof r.spec.arch === 'string' ? r.spec.arch : 'custom',
      r.spec.dataset,
      String(r.steps),
      r.valLoss !== null ? r.valLoss.toFixed(4) : '–',
      r.valAccuracy !== null ? r.valAccuracy.toFixed(4) : '–',
      r.backend ?? '–',
      r.startedAt ?? '–',
    ]);
    process.stdout.write(textTable(header, lines));
    return 0;
  } finally {
    store.close();
  }
}
