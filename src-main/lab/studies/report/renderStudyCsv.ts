import { csvDocument, type CsvValue } from '../../../shared/csvText';
import { targetKey } from './reportText';
import type { StudyReport } from './studyReport';
import { measures } from './timeToTarget';

/**
 * The report as one CSV table (RFC 4180): a `cell` row per architecture × optimizer with every number
 * of the table and the time-to-target medians, then a `run` row per run with its own numbers.
 * Results are error % (classification) or losses (regression), as the column names say; numbers are
 * written in full precision. A cell's `reached_…` is how many of its seeds reached the target, a run's
 * is 1 or 0; the times are the cell's medians or the run's own times (empty: not reached).
 */
export function renderStudyCsv(report: StudyReport): string {
  const r = report.task === 'classification' ? 'error_pct' : 'loss';
  const targets = report.spec.targets ?? [];
  const header = [
    'kind', 'architecture', 'random', 'optimizer', 'lr', 'seed', 'run_id', 'status', 'seeds', 'diverged', 'failed', 'unfinished', 'best',
    `train_${r}_mean`, `train_${r}_sd`, `validation_${r}_mean`, `validation_${r}_sd`,
    'final_train_loss', 'final_train_accuracy', 'final_val_loss', 'final_val_accuracy',
    'paper_dataset', 'paper_train_error_pct', 'paper_validation_error_pct',
    ...targets.flatMap((t) => [`reached_${targetKey(t)}`, ...measures.map((m) => `${m}_to_${targetKey(t)}`)]),
    'error',
  ];
  const random = new Map(report.table.map((row) => [row.architecture, row.random]));
  const cellRows = report.table.flatMap((row) =>
    row.cells.map((cell, o): CsvValue[] => [
      'cell', cell.architecture, row.random, cell.optimizer, cell.lr, null, null, null, cell.seeds, cell.diverged, cell.failed, cell.unfinished, cell.best,
      cell.train?.mean, cell.train?.sd, cell.validation?.mean, cell.validation?.sd,
      null, null, null, null,
      cell.reference?.dataset, cell.reference?.trainError, cell.reference?.valError,
      ...report.targets.flatMap((t) => {
        const c = t.rows.find((x) => x.architecture === row.architecture)!.cells[o]!;
        return [c.reached, ...measures.map((m) => c.median[m])];
      }),
      null,
    ]),
  );
  const runRows = report.runs.map((run): CsvValue[] => [
    'run', run.architecture, random.get(run.architecture), run.optimizer, run.lr, run.seed, run.runId, run.status, null, null, null, null, null,
    run.train, null, run.validation, null,
    run.final.trainLoss, run.final.trainAccuracy, run.final.valLoss, run.final.valAccuracy,
    null, null, null,
    ...run.targets.flatMap((t) => [t === null ? 0 : 1, ...measures.map((m) => t?.[m])]),
    run.error,
  ]);
  return csvDocument(header, [...cellRows, ...runRows]);
}
