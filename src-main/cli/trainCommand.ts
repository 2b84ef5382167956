import { resolve } from 'node:path';
import { ModelSpecError, RunSpecFieldError, UserInputError } from '../engine/errors';
import { runJob, type TrainJob } from '../engine/train/runJob';
import { runCheckpoints } from '../lab/runner/runCheckpoints';
import type { DoneEvent, StartEvent, TrainEvent } from '../engine/train/trainEvents';
import type { ModelWeights } from '../engine/weights/modelWeights';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import type { RunJournal, Store } from '../lab/store';
import { keepRunWeights, runWeightsFile } from '../lab/weights/runWeights';
import type { RunSpec } from '../shared/runSpec';
import { formatMetric } from './formatMetric';
import { describeGpuWork } from './gpuWorkText';
import { openCliStore } from './openCliStore';
import type { TrainCommand } from './parseTrainArgs';
import { formatSeconds, ProgressBar } from './progressBar';

/** Exit codes of `curvelab train` besides 0 (completed) and 2 (bad arguments or input). */
export const EXIT_DIVERGED = 1;
export const EXIT_CANCELLED = 130;

/**
 * Runs `curvelab train` (runJob, as a lab worker does): JSON lines on stdout with --json, else a progress
 * bar, a summary and where the run was recorded. The run is recorded in the lab database as the app
 * records it (the store's journal), its row made at the `start` event, so arguments or data that fail
 * before training leave nothing behind; a crash marks it failed with its rows kept.
 */
export async function runTrainCommand(command: TrainCommand): Promise<number> {
  const { spec, json, logEvery } = command;
  const say = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  say(`loading dataset ${spec.dataset} …`);

  const cancel = new AbortController();
  const onSigint = (): void => {
    if (cancel.signal.aborted) process.exit(EXIT_CANCELLED);
    say('\ncancelling after this step (Ctrl-C again to quit at once) …');
    cancel.abort();
  };
  process.on('SIGINT', onSigint);

  const printer = json ? new JsonLinesPrinter(logEvery) : new HumanPrinter(spec, logEvery);
  const store = openCliStore(command.db);
  let journal = null as RunJournal | null; // made at the `start` event
  let runId = 0;
  let runUid: string | null = null;
  try {
    const experimentId = cliExperiment(store, command.experiment);
    let weightsFile: string | null = null;
    const keepWeights = (weights: () => ModelWeights): void => {
      if (weightsFile !== null) keepRunWeights(weightsFile, spec, (warning) => process.stderr.write(`curvelab: warning: ${warning}\n`))(weights);
    };
    const done = await runJob(
      { spec, ...(command.backend !== undefined ? { backend: command.backend } : {}), ...checkpointsOf(runCheckpoints(store.file, () => runUid, spec)) },
      cancel.signal,
      (e) => {
        if (e.type === 'start') {
          const run = store.createRun(experimentId(), spec, { pid: process.pid });
          runId = run.id;
          runUid = run.uid;
          weightsFile = runWeightsFile(store.file, run.uid);
          journal = store.recordRun(runId);
        }
        journal?.record(e);
        printer.print(e);
      },
      { onFinalWeights: keepWeights, onCheckpoint: () => journal?.flush() },
    );
    if (!json) process.stdout.write(whereRecorded(runId, command));
    return done.status === 'completed' ? 0 : done.status === 'diverged' ? EXIT_DIVERGED : EXIT_CANCELLED;
  } catch (error) {
    journal?.end({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw namingTheFlag(error, command);
  } finally {
    journal?.close();
    store.close();
    process.off('SIGINT', onSigint);
  }
}

/** The job's `checkpoints` field, when there are checkpoints. */
function checkpointsOf(checkpoints: TrainJob['checkpoints']): Pick<TrainJob, 'checkpoints'> {
  return checkpoints ? { checkpoints } : {};
}

/**
 * The model and the data fields are checked against the data once it is loaded (planRun): an error there
 * names the flag that gave what is wrong, as the request check does.
 */
export function namingTheFlag(error: unknown, command: TrainCommand): unknown {
  if (error instanceof ModelSpecError) return new UserInputError(`${command.flagOf(`base.${error.field ?? 'arch'}`)}: ${error.message}`);
  if (error instanceof RunSpecFieldError) return new UserInputError(`${command.flagOf(`base.${error.field}`)}: ${error.message}`);
  return error;
}

/**
 * The id of the experiment of that name (the newest, if several have it), made when first asked for if
 * there is none. A study's experiment is refused: its runs are its table's cells, and a run without one
 * would count in the study's progress yet in none of its cells.
 */
function cliExperiment(store: Store, name: string): () => number {
  const existing = store.listExperiments().find((e) => e.name === name);
  if (existing && store.getStudy(existing.id)) {
    throw new UserInputError(
      `--experiment ${JSON.stringify(name)}: experiment ${existing.id} is a study; its runs are its cells, started with \`curvelab study run\`. Name another experiment`,
    );
  }
  return () => (existing ?? store.createExperiment({ name, notes: 'Runs started with `curvelab train`.' })).id;
}

interface EventPrinter {
  print(event: TrainEvent): void;
}

/** One JSON object per line: step (every logEvery-th and the last), epoch and done events. */
class JsonLinesPrinter implements EventPrinter {
  private totalSteps = 0;

  constructor(private readonly logEvery: number) {}

  print(event: TrainEvent): void {
    switch (event.type) {
      case 'start':
        this.totalSteps = event.totalSteps;
        return writeJson(event);
      case 'step': {
        if (event.step % this.logEvery !== 0 && event.step !== this.totalSteps - 1) return;
        const { trace, ...rest } = event;
        return writeJson({ ...rest, ...trace });
      }
      default:
        return writeJson(event);
    }
  }
}

function writeJson(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A progress bar on stderr, a line per epoch and a summary on stdout. */
class HumanPrinter implements EventPrinter {
  private bar: ProgressBar | null = null;
  private start: StartEvent | null = null;

  constructor(
    private readonly spec: RunSpec,
    private readonly logEvery: number,
  ) {}

  print(event: TrainEvent): void {
    switch (event.type) {
      case 'start': {
        this.start = event;
        const arch = typeof this.spec.arch === 'string' ? this.spec.arch : 'custom spec';
        const augmented = event.dataset.augment ? ', augmented' : '';
        process.stderr.write(
          `training ${arch} (${event.model.paramCount.toLocaleString('en-US')} parameters) on ${event.dataset.name} ` +
            `(${event.dataset.trainSize} train / ${event.dataset.validationSize} validation${augmented}) with ${event.optimizer}, ` +
            `${event.totalSteps} steps, backend ${event.backend} (${event.backendReason})\n`,
        );
        const { batchSize } = this.spec;
        if (typeof batchSize === 'number' && batchSize > event.dataset.trainSize) {
          const n = event.dataset.trainSize;
          process.stderr.write(`batch size ${batchSize} is more than the ${n} training examples: each step uses all ${n} (full batch)\n`);
        }
        this.bar = new ProgressBar(event.totalSteps);
        return;
      }
      case 'step': {
        const detail = `loss ${formatMetric(event.loss)}${event.accuracy !== null ? ` acc ${formatMetric(event.accuracy, 3)}` : ''}`;
        this.bar?.update(event.step + 1, detail);
        if (this.logEvery > 1 && event.step % this.logEvery === 0) {
          this.bar?.finish();
          const trace = Object.entries(event.trace)
            .map(([k, v]) => `${k} ${formatMetric(v)}`)
            .join('  ');
          process.stderr.write(`step ${event.step}  ${detail}  ${trace}\n`);
        }
        return;
      }
      case 'epoch': {
        this.bar?.finish();
        const acc = event.valAccuracy !== null ? `  val accuracy ${formatMetric(event.valAccuracy)}` : '';
        process.stderr.write(
          `epoch ${event.epoch + 1}: train loss ${formatMetric(event.trainLoss)}  val loss ${formatMetric(event.valLoss)}${acc}  (${formatSeconds(event.seconds)})\n`,
        );
        if (event.gpuWorkPerStep) process.stderr.write(`  GPU work per step: ${describeGpuWork(event.gpuWorkPerStep)}\n`);
        return;
      }
      case 'done':
        this.bar?.finish();
        process.stdout.write(summary(event, this.start));
    }
  }
}

function summary(done: DoneEvent, start: StartEvent | null): string {
  const rows: [string, string][] = [
    ['status', done.status + (done.reason ? ` (${done.reason})` : '')],
    ['steps', String(done.steps)],
    ['train loss', formatMetric(done.trainLoss)],
    ['val loss', formatMetric(done.valLoss)],
  ];
  const classification = start?.dataset.task === 'classification';
  if (classification) rows.push(['val accuracy', formatMetric(done.valAccuracy)]);
  // The final model on every training example (eval mode), the train error a paper reports.
  if (done.trainEvalLoss !== null) rows.push(['final train loss', formatMetric(done.trainEvalLoss)]);
  if (classification && done.trainEvalAccuracy !== null) rows.push(['final train acc', formatMetric(done.trainEvalAccuracy)]);
  const perStep = done.steps > 0 ? ` (${((done.seconds * 1000) / done.steps).toFixed(1)} ms/step)` : '';
  rows.push(['time', `${formatSeconds(done.seconds)}${perStep}`], ['backend', done.backend]);
  return summaryRows(rows);
}

/** The run's id, its experiment, the database it is in and the commands that show it. */
function whereRecorded(runId: number, command: TrainCommand): string {
  const path = resolve(command.db ?? defaultDatabasePath());
  const db = command.db !== undefined ? ` --db ${shellWord(path)}` : '';
  return summaryRows([
    ['run', `${runId} in experiment "${command.experiment}"`],
    ['database', path],
    ['see it', `curvelab runs${db}, or in the lab: npm run web${db === '' ? '' : ` --${db}`}`],
  ]);
}

function summaryRows(rows: [string, string][]): string {
  return rows.map(([k, v]) => `${k.padEnd(18)}${v}\n`).join('');
}

/** A path as a shell reads it back: quoted when it holds anything but plain path characters. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
