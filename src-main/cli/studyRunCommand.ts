import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserInputError } from '../engine/errors';
import type { BuiltInStudyName, FieldIssue, StudyInfo, StudyReportFormat, StudyRequest, StudyScale } from '../lab/api/labApi';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import type { Lab } from '../lab/lab';
import { RunSpecError } from '../lab/runSpec/runSpecError';
import { StoreError } from '../lab/store';
import { readStudyData } from '../lab/studies/readStudyData';
import { buildStudyReport } from '../lab/studies/report/studyReport';
import { reportFile, reportFormatOf } from '../lab/studies/studyReportFile';
import { didYouMean } from '../shared/closestName';
import { runStatusClass, type RunStatus } from '../shared/runStatus';
import { checkDatasetName, parseCommandArgs, positiveInteger } from './argumentValues';
import { readJsonFile } from './readJsonFile';
import { ProgressBar } from './progressBar';
import { redisOption } from './redisOption';
import { studyTablesText } from './studyTablesText';
import { EXIT_CANCELLED } from './trainCommand';
import { UsageError } from './usageError';

const builtIns: readonly BuiltInStudyName[] = ['seed-table', 'random-architectures'];
const scales: readonly StudyScale[] = ['tiny', 'small', 'paper'];

/** What `study run` and `study resume` share: where the lab is, how it trains, where the report goes. */
interface LabFlags {
  db: string;
  backend?: string;
  concurrency?: number;
  /** The Redis address the study is queued on, for `curvelab worker`s (--redis, else CURVELAB_REDIS). */
  redis?: string;
  /** The report file and its format (from its extension). */
  out?: { path: string; format: StudyReportFormat };
  json: boolean;
}

const labOptions = {
  db: { type: 'string' },
  backend: { type: 'string' },
  concurrency: { type: 'string' },
  redis: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function labFlags(values: { db?: string; backend?: string; concurrency?: string; redis?: string; out?: string; json?: boolean }): LabFlags {
  let out: LabFlags['out'];
  if (values.out !== undefined) {
    const format = reportFormatOf(values.out);
    if (format === null) throw new UsageError(`--out ${values.out}: expected a file name ending in .html, .md or .csv (the report's format)`, 'study');
    out = { path: values.out, format };
  }
  const redis = redisOption(values.redis, process.env, 'study');
  return {
    db: values.db ?? defaultDatabasePath(),
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(values.concurrency !== undefined ? { concurrency: positiveInteger(values.concurrency, '--concurrency', 'study') } : {}),
    ...(redis !== undefined ? { redis } : {}),
    ...(out ? { out } : {}),
    json: values.json ?? false,
  };
}

/** `curvelab study run <spec.json|seed-table|random-architectures> …`: starts the study and follows it to the end. */
export async function runStudyRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('study', {
    args: argv,
    allowPositionals: true,
    options: { ...labOptions, scale: { type: 'string' }, dataset: { type: 'string' }, target: { type: 'string' }, count: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('study run: give one study: a spec .json file, seed-table or random-architectures', 'study');
  const source = positionals[0]!;
  if (values.dataset !== undefined) checkDatasetName(values.dataset, 'study');
  const flags = labFlags(values);
  const { request, flagOf } = studyRequest(source, values);
  const start = async (lab: Lab): Promise<StudyInfo> => {
    try {
      return await lab.startStudy(request);
    } catch (error) {
      // The one check of the study refused it: every issue, each at its flag or its field in the spec file.
      if (error instanceof RunSpecError) throw new UserInputError(error.issues.map((issue) => `${flagOf(issue)}: ${issue.message}`).join('\n'));
      throw error;
    }
  };
  return withLab(flags, (lab) => follow(lab, start, flags));
}

/** `curvelab study resume ID`: trains a study's interrupted runs again and follows it to the end. */
export async function runStudyResumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('study', { args: argv, allowPositionals: true, options: labOptions });
  if (positionals.length !== 1) throw new UsageError('study resume: give the id of one study (curvelab study list shows them)', 'study');
  const id = positiveInteger(positionals[0]!, 'study resume', 'study');
  const flags = labFlags(values);
  return withLab(flags, (lab) => follow(lab, () => lab.resumeStudy({ id }), flags));
}

/** The request a `study run` asks for, and where each of its fields came from (a flag, the spec file). */
function studyRequest(
  source: string,
  values: { scale?: string; dataset?: string; target?: string; count?: string },
): { request: StudyRequest; flagOf: (issue: FieldIssue) => string } {
  const given = (flag: string, value: string | undefined) => (value === undefined ? '' : `${flag} ${value}`);
  if (builtIns.includes(source as BuiltInStudyName)) {
    if (values.scale !== undefined && !scales.includes(values.scale as StudyScale)) {
      throw new UsageError(`--scale ${values.scale}: expected ${scales.join(', ')}${didYouMean(values.scale, scales)}`, 'study');
    }
    const request: StudyRequest = {
      builtIn: source as BuiltInStudyName,
      ...(values.scale !== undefined ? { scale: values.scale as StudyScale } : {}),
      ...(values.dataset !== undefined ? { dataset: values.dataset } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(values.count !== undefined ? { count: positiveInteger(values.count, '--count', 'study') } : {}),
    };
    const flags: Record<string, string> = {
      builtIn: source,
      scale: given('--scale', values.scale),
      dataset: given('--dataset', values.dataset) || 'the embedded mnist',
      target: given('--target', values.target),
      count: given('--count', values.count),
    };
    return { request, flagOf: (issue) => flags[issue.field] || issue.field };
  }
  for (const flag of ['scale', 'count'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to the built-in studies (${builtIns.join(', ')}), not to a spec file`, 'study');
  }
  if (!source.endsWith('.json')) {
    throw new UsageError(`study run ${source}: not a built-in study (${builtIns.join(', ')}) nor a .json spec file${didYouMean(source, builtIns)}`, 'study');
  }
  const spec = readSpecFile(source);
  // --dataset and --target replace the file's; the name defaults to the file's.
  const request: StudyRequest = {
    spec: {
      ...spec,
      ...(spec.name === undefined ? { name: basename(source, '.json') } : {}),
      ...(values.dataset !== undefined ? { dataset: values.dataset } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
    } as Extract<StudyRequest, { spec: unknown }>['spec'],
  };
  const flagOf = ({ field }: FieldIssue): string => {
    const inSpec = field === 'spec' ? '' : field.replace(/^spec\./, '');
    if (values.dataset !== undefined && inSpec === 'dataset') return given('--dataset', values.dataset);
    if (values.target !== undefined && inSpec === 'target') return given('--target', values.target);
    return inSpec === '' ? source : `${source}: ${inSpec}`;
  };
  return { request, flagOf };
}

function readSpecFile(path: string): Record<string, unknown> {
  const spec = readJsonFile(path, 'study spec');
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new UserInputError(`${path}: expected a JSON object (a study spec)`);
  return spec as Record<string, unknown>;
}

/** Opens the lab (resuming no study by itself), runs `use`, closes the lab. */
async function withLab(flags: LabFlags, use: (lab: Lab) => Promise<number>): Promise<number> {
  const { openLab } = await import('../lab/lab');
  let lab: Lab;
  try {
    lab = await openLab({
      databasePath: flags.db,
      mode: 'web',
      resumeStudies: false,
      ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
      ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
      ...(flags.redis !== undefined ? { redis: flags.redis } : {}),
    });
  } catch (error) {
    if (error instanceof StoreError) throw new UserInputError(error.message);
    throw error;
  }
  try {
    return await use(lab);
  } finally {
    await lab.close();
  }
}

/**
 * Starts a study (or resumes one) and follows it until no run of it is queued or training: a progress bar
 * over its runs (those training counted by their steps) with an ETA, then the report's tables on stdout
 * (with --json, one JSON object: the study and its report), and the report file with --out, all from the
 * one report. The first Ctrl-C stops the study: runs in training stop after their step and, with those not
 * started, are left interrupted for `study resume`; a second quits at once (a lab opening later finds them
 * interrupted just the same). On a queue (--redis) the runs train on `curvelab worker`s and Ctrl-C stops
 * only the following: the runs go on, and `study resume` follows the study again.
 */
async function follow(lab: Lab, start: (lab: Lab) => Promise<StudyInfo>, flags: LabFlags): Promise<number> {
  const say = (line: string): void => void (flags.json || process.stderr.write(`${line}\n`));
  const machine = await lab.getMachine();
  const resumeCommand = (id: number): string => `curvelab study resume ${id}${machine.queue ? ' --redis URL' : ''}`;
  // Subscribed before the study starts, so no run's start or end is missed: the runs' rows, read once it
  // has started, give only what no event has said yet. The lab this command opens trains only this study.
  const statuses = new Map<number, RunStatus>();
  const training = new Map<number, number>();
  let draw = (): void => {};
  const unsubscribe = lab.subscribe((event) => {
    if (event.type === 'run-status' && event.run) {
      statuses.set(event.runId, event.run.status);
      if (event.run.status !== 'running') training.delete(event.runId);
      else if (!training.has(event.runId)) training.set(event.runId, 0);
      draw();
    } else if (event.type === 'run-progress' && training.has(event.runId)) {
      // Below 1 until its status says it ended (the final evaluation on the training set comes after the last step).
      training.set(event.runId, Math.min(0.99, (event.step + 1) / Math.max(1, event.totalSteps)));
      draw();
    }
  });
  const stop: { closing: Promise<void> | null } = { closing: null };
  let bar: ProgressBar | null = null;
  const onSigint = (): void => {
    if (stop.closing) process.exit(EXIT_CANCELLED);
    bar?.finish();
    say(
      machine.queue
        ? '\nno longer following the study: its runs go on in the queue …'
        : '\nstopping the study: the runs training stop after their step (Ctrl-C again to quit at once) …',
    );
    stop.closing = lab.close();
  };
  let id: number;
  let runCount: number;
  let finished: () => number;
  // A lab on a queue also waits for runs of this database that are not this study's: the study's own end ends the wait.
  let studyEnded = (): void => {};
  const ended = new Promise<void>((resolve) => (studyEnded = resolve));
  try {
    const started = await start(lab);
    id = started.id;
    const { runs } = await lab.getStudy({ id });
    for (const run of runs.filter((r) => !statuses.has(r.id))) {
      statuses.set(run.id, run.status);
      if (run.status === 'running') training.set(run.id, 0);
    }
    runCount = runs.length;
    // A run still to train (queued, running, interrupted) is not done; any other has its say.
    finished = () => runs.filter((r) => runStatusClass(statuses.get(r.id)!) !== 'pending').length;
    const trainsOn = machine.queue ? `the workers of the queue at ${machine.queue.address}` : `${machine.backend.name}, ${machine.concurrency} at a time`;
    say(
      `study ${id}: ${started.name}: ${runCount} runs, ${runCount - finished()} to train on ${trainsOn} ` +
        `(stop with Ctrl-C, continue with \`${resumeCommand(id)}\`)`,
    );
    bar = flags.json ? null : new ProgressBar(runCount, process.stderr, 28, finished());
    draw = () => {
      const counts = runs.map((r) => statuses.get(r.id)!);
      const failures = (['diverged', 'failed'] as const).flatMap((s) => {
        const n = counts.filter((c) => c === s).length;
        return n > 0 ? [`${n} ${s}`] : [];
      });
      const partial = [...training.values()].reduce((sum, f) => sum + f, 0);
      bar?.update(finished() + partial, ['runs', `${training.size} training`, ...failures].join(' · '));
      if (finished() === runCount) studyEnded();
    };
    process.on('SIGINT', onSigint);
    draw();
    await Promise.race([lab.idle(), ended]);
    await stop.closing;
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    bar?.finish();
  }
  if (stop.closing) {
    say(
      machine.queue
        ? `study ${id}: ${finished()} of ${runCount} runs finished; the others go on in the queue, and \`${resumeCommand(id)}\` follows them again`
        : `study ${id} stopped with ${finished()} of ${runCount} runs finished: \`${resumeCommand(id)}\` trains the others from their start`,
    );
    return EXIT_CANCELLED;
  }
  const report = buildStudyReport(readStudyData(lab.store, id));
  if (flags.json) process.stdout.write(`${JSON.stringify({ study: (await lab.getStudy({ id })).study, report })}\n`);
  else process.stdout.write(studyTablesText(report));
  if (flags.out) {
    writeFileSync(flags.out.path, reportFile(report, flags.out.format).text);
    say(`report written to ${flags.out.path}`);
  }
  return 0;
}
