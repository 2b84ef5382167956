import type { RunInfo } from '../api/labApi';
import { csvDocument, type CsvValue } from '../../shared/csvText';
import { runCsvFolder } from './entryNames';

/** A table's rows as the archive carries them: column names and one array per row. */
export interface MetricRows {
  columns: string[];
  rows: unknown[][];
}

/** Lower-case letters, digits and dashes: safe in a file or folder name on every platform. */
export function slug(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s === '' ? fallback : s;
}

function column(rows: MetricRows, name: string): number {
  const i = rows.columns.indexOf(name);
  if (i < 0) throw new Error(`metric rows have no column ${name}`);
  return i;
}

function cell(value: unknown): CsvValue {
  return typeof value === 'number' || typeof value === 'string' || value === null ? value : JSON.stringify(value);
}

/**
 * One line per stored step: step, epoch, seconds, passes (forward + backward + forward-mode so far),
 * loss, accuracy, then one column per trace name (sorted; empty where the step has no such value).
 */
export function stepsCsv(steps: MetricRows, traces: MetricRows): string {
  const traceStep = column(traces, 'step');
  const traceName = column(traces, 'name');
  const traceValue = column(traces, 'value');
  const byStep = new Map<number, Map<string, unknown>>();
  const names = new Set<string>();
  for (const row of traces.rows) {
    const name = row[traceName] as string;
    names.add(name);
    const step = row[traceStep] as number;
    let values = byStep.get(step);
    if (!values) byStep.set(step, (values = new Map()));
    values.set(name, row[traceValue]);
  }
  const traceNames = [...names].sort();
  const [step, epoch, seconds, loss, accuracy, forward, backward, forwardMode] = [
    'step', 'epoch', 'seconds', 'loss', 'accuracy', 'forward_passes', 'backward_passes', 'forward_mode_passes',
  ].map((name) => column(steps, name)) as [number, number, number, number, number, number, number, number];
  const lines = steps.rows.map((row) => {
    const passes = (row[forward] as number) + (row[backward] as number) + (row[forwardMode] as number);
    const values = byStep.get(row[step] as number);
    return [
      cell(row[step]), cell(row[epoch]), cell(row[seconds]), passes, cell(row[loss]), cell(row[accuracy]),
      ...traceNames.map((name) => cell(values?.get(name) ?? null)),
    ];
  });
  return csvDocument(['step', 'epoch', 'seconds', 'passes', 'loss', 'accuracy', ...traceNames], lines);
}

/** The epoch rows as they are, one column per stored column (run id left out). */
export function epochsCsv(epochs: MetricRows): string {
  return csvDocument(epochs.columns, epochs.rows.map((row) => row.map(cell)));
}

/**
 * One line per run: its identity, its key settings (every optimizer option any run of the experiment
 * sets gets an `opt.<name>` column), how far it got and its final metrics, and its CSV folder.
 */
export function runsCsv(runs: readonly RunInfo[]): string {
  const optionNames = [...new Set(runs.flatMap((r) => Object.keys(r.spec.optimizerOptions ?? {})))].sort();
  const header = [
    'run', 'uid', 'optimizer', 'seed', 'status', 'dataset', 'arch', 'batch_size', 'epochs', 'total_steps',
    ...optionNames.map((name) => `opt.${name}`),
    'steps', 'train_loss', 'val_loss', 'val_accuracy', 'best_val_loss', 'best_val_accuracy', 'backend', 'folder',
  ];
  const lines = runs.map((r, i): CsvValue[] => [
    i + 1, r.uid, r.optimizer, r.spec.seed, r.status, r.spec.dataset,
    typeof r.spec.arch === 'string' ? r.spec.arch : 'custom', r.spec.batchSize, r.spec.epochs, r.totalSteps,
    ...optionNames.map((name) => r.spec.optimizerOptions?.[name]),
    r.steps ?? r.storedSteps, r.trainLoss, r.valLoss, r.valAccuracy, r.bestValLoss, r.bestValAccuracy, r.backend,
    runCsvFolder(i + 1),
  ]);
  return csvDocument(header, lines);
}
