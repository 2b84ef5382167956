import { parseCommandArgs } from './argumentValues';
import { formatMetric } from './formatMetric';
import { openCliStoreIfPresent } from './openCliStore';
import { textTable } from './textTable';

export const runsUsage = `Usage: curvelab runs [--db path] [--json]

Lists the runs in the lab database (default: the user's, or CURVELAB_DB), newest first: train loss and
train acc are the final model's on its training examples (eval mode; the train error a paper reports), why
is the reason a run diverged, failed or was interrupted. With --json, a JSON array of runs: id,
experimentId, status, optimizer, steps (the step rows stored), final metrics (trainLoss: the last epoch's
mean batch loss; trainEvalLoss, trainEvalAccuracy: the final model's), backend, times, error and the run spec.
`;

/** `curvelab runs`: what the lab database holds. */
export async function runRunsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('runs', { args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const store = openCliStoreIfPresent(values.db);
  try {
    const runs = (store?.listRuns() ?? []).sort((a, b) => b.id - a.id);
    const rows = runs.map((r) => ({
      id: r.id,
      experimentId: r.experimentId,
      status: r.status,
      optimizer: r.optimizer,
      steps: r.storedSteps,
      trainLoss: r.trainLoss,
      trainEvalLoss: r.trainEvalLoss,
      trainEvalAccuracy: r.trainEvalAccuracy,
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
    const header = ['id', 'experiment', 'status', 'optimizer', 'arch', 'dataset', 'steps', 'train loss', 'train acc', 'val loss', 'val acc', 'backend', 'started', 'why'];
    const lines = rows.map((r) => [
      String(r.id),
      String(r.experimentId),
      r.status,
      r.optimizer,
      typeof r.spec.arch === 'string' ? r.spec.arch : 'custom',
      r.spec.dataset,
      String(r.steps),
      formatMetric(r.trainEvalLoss),
      formatMetric(r.trainEvalAccuracy),
      formatMetric(r.valLoss),
      formatMetric(r.valAccuracy),
      r.backend ?? '–',
      r.startedAt ?? '–',
      r.error ?? '',
    ]);
    process.stdout.write(textTable(header, lines));
    return 0;
  } finally {
    store?.close();
  }
}
