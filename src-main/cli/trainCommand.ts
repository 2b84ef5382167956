import { ModelSpecError, RunSpecFieldError, UserInputError } from '../engine/errors';
import { runJob } from '../engine/train/runJob';
import type { DoneEvent, StartEvent, TrainEvent } from '../engine/train/trainEvents';
import type { RunJournal, Store } from '../lab/store';
import type { RunSpec } from '../shared/runSpec';
import { openCliStore } from './openCliStore';
import type { TrainCommand } from './parseTrainArgs';
import { formatSeconds, ProgressBar } from './progressBar';

/** Exit codes of `curvelab train` besides 0 (completed) and 2 (bad arguments or input). */
export const EXIT_DIVERGED = 1;
export const EXIT_CANCELLED = 130;

/** The experiment that collects runs started from the command line without --experiment. */
export const CLI_EXPERIMENT_NAME = 'Command line';

/**
 * Runs `curvelab train` (runJob, as a lab worker does): JSON lines on stdout with --json, else a progress
 * bar and a summary. The run is recorded in the lab database as the app records it (the store's
 * journal), its row made at the `start` event, so arguments or data that fail before training leave
 * nothing behind; a crash marks it failed with its rows kept.
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
  try {
    const experimentId = cliExperiment(store, command.experiment);
    const done = await runJob({ spec, ...(command.backend !== undefined ? { backend: command.backend } : {}) }, cancel.signal, (e) => {
      if (e.type === 'start') journal = store.recordRun(store.createRun(experimentId(), spec, { pid: process.pid }).id);
      journal?.record(e);
      printer.print(e);
    });
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
function cliExperiment(store: Store, name = CLI_EXPERIMENT_NAME): () => number {
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
        this.bar = new ProgressBar(event.totalSteps);
        return;
      }
      case 'step': {
        const detail = `loss ${event.loss.toFixed(4)}${event.accuracy !== null ? ` acc ${event.accuracy.toFixed(3)}` : ''}`;
        this.bar?.update(event.step + 1, detail);
        if (this.logEvery > 1 && event.step % this.logEvery === 0) {
          this.bar?.finish();
          const trace = Object.entries(event.trace)
            .map(([k, v]) => `${k} ${formatNumber(v)}`)
            .join('  ');
          process.stderr.write(`step ${event.step}  ${detail}  ${trace}\n`);
        }
        return;
      }
      case 'epoch': {
        this.bar?.finish();
        const acc = event.valAccuracy !== null ? `  val accuracy ${event.valAccuracy.toFixed(4)}` : '';
        process.stderr.write(
          `epoch ${event.epoch + 1}: train loss ${event.trainLoss.toFixed(4)}  val loss ${event.valLoss.toFixed(4)}${acc}  (${formatSeconds(event.seconds)})\n`,
        );
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
    ['train loss', done.trainLoss !== null ? done.trainLoss.toFixed(4) : '–'],
    ['val loss', done.valLoss !== null ? done.valLoss.toFixed(4) : '–'],
  ];
  const classification = start?.dataset.task === 'classification';
  if (classification) rows.push(['val accuracy', done.valAccuracy !== null ? done.valAccuracy.toFixed(4) : '–']);
  // The final model on every training example (eval mode), the train error a paper reports.
  if (done.trainEvalLoss !== null) rows.push(['final train loss', done.trainEvalLoss.toFixed(4)]);
  if (classification && done.trainEvalAccuracy !== null) rows.push(['final train acc', done.trainEvalAccuracy.toFixed(4)]);
  const perStep = done.steps > 0 ? ` (${((done.seconds * 1000) / done.steps).toFixed(1)} ms/step)` : '';
  rows.push(['time', `${formatSeconds(done.seconds)}${perStep}`], ['backend', done.backend]);
  return rows.map(([k, v]) => `${k.padEnd(18)}${v}\n`).join('');
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(3);
}
