import { writeFileSync } from 'node:fs';
import type { StudyReportFormat } from '../lab/api/labApi';
import { readStudyData } from '../lab/studies/readStudyData';
import { buildStudyReport } from '../lab/studies/report/studyReport';
import { reportFile, reportFormatOf } from '../lab/studies/studyReportFile';
import { studyInfo } from '../lab/studies/studyRecords';
import { didYouMean } from '../shared/closestName';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { openCliStore, openCliStoreIfPresent } from './openCliStore';
import { runStudyResumeCommand, runStudyRunCommand } from './studyRunCommand';
import { textTable } from './textTable';
import { UsageError } from './usageError';

export const studyUsage = `Usage: curvelab study run <spec.json|seed-table|random-architectures> [--scale tiny|small|paper]
                           [--dataset D] [--target T] [--count N] [--db path] [--backend NAME]
                           [--concurrency N] [--redis URL] [--out report.html|.md|.csv] [--json]
       curvelab study resume ID [--db path] [--backend NAME] [--concurrency N] [--redis URL] [--out FILE] [--json]
       curvelab study list [--db path] [--json]
       curvelab study report ID [--out FILE] [--format html|markdown|csv] [--db path]

A study is architectures × optimizers (× a learning-rate grid) × seeds on one dataset and budget,
expanded into paired runs (one seed gives every optimizer the same initial weights, batches and subsets)
and summarised as the CurveBall paper's table. It is stored as one experiment in the lab database.

  run        check the study (every issue at once, each naming its flag or its field in the spec file),
             store it, train its runs (a progress bar over the whole study with an ETA) and print its
             table; for random architectures also the wins and failures of each optimizer
  resume     train the interrupted runs of a study again, each from its start (a run that completed,
             diverged, failed or was cancelled is never rerun), and print the table when it is done
  list       the studies in the database, newest first: runs by status, finished or not
  report     write a study's report as it stands: self-contained HTML (plots inside), Markdown or CSV

Built-in studies (the report puts the paper's numbers beside the seed table):
  seed-table             Basic, Basic + BN, ResNet-18 and VGG-f (batch norm) × CurveBall-λ (automatic λ),
                         CurveBall (λ fixed at 1), SGD (momentum 0.9, lr 0.01) and Adam (lr 0.001)
  random-architectures   random networks (the random preset, archSeed 0 on) × CurveBall-λ, SGD and Adam

  --scale S      tiny (default: minutes here; 2,000 training / 1,000 validation examples, batch 32,
                 3 epochs, ResNet-18 and VGG-f at width 8), small (about an hour: batch 128, 5 epochs,
                 width 16, two seeds) or paper (the paper's widths, batch 128, the reference code's epochs)
  --dataset D    the data: mnist (embedded, the default), a CIFAR-10 folder, a Fashion-MNIST IDX folder,
                 or any dataset train takes; with a spec file, replaces its dataset
  --target T     CSV only: the target column(s); with a spec file, replaces its target
  --count N      random-architectures only: how many networks (default 50)
  --db path      the lab database (default: the user's data folder, or CURVELAB_DB)
  --backend NAME the TF.js backend runs train on (default: CURVELAB_BACKEND, else the best that loads)
  --concurrency N
                 runs that train at once (default: one per core on a CPU backend, one on a GPU)
  --redis URL    queue the study on this Redis (redis://[user:password@]host[:port][/db], or rediss://…)
                 as one BullMQ flow, for \`curvelab worker\`s to train, and follow it there (default:
                 CURVELAB_REDIS when set; --redis wins)
  --out FILE     also write the report there, in the format its extension names (.html, .md or .csv)
  --format F     report: html, markdown or csv (default: from --out's extension, else markdown)
  --json         run, resume: print one JSON object at the end, the study and its report, instead of
                 the progress bar and tables; list: a JSON array of studies

A spec file is a JSON object: {"dataset": "mnist", "architectures": [{"preset": "mlp", "options":
{"widths": "64"}}, {"label": "tiny", "spec": {"layers": [...]}}, {"random": {"count": 5, "seed": 0}}],
"optimizers": [{"name": "curveball"}, {"label": "SGD", "name": "momentum", "options": {"momentum": 0.9},
"lrGrid": [0.1, 0.01]}], "seeds": [1, 2], "budget": {"epochs": 2} or {"steps": 500}, "batchSize": 32,
and optionally "name", "target", "trainSize", "valSize", "augment", "shuffle", "init" ("default",
"zeros" or "he"), "divergenceFactor" (a number or "off"), "targets": [{"metric": "trainLoss" or
"valAccuracy", "value": 0.1}]}; a preset or spec entry may have its own "budget". Its name defaults to
the file's.

Ctrl-C stops a study that run or resume is training: the runs in training stop after their current step
and are left interrupted with those not started; the completed ones are kept. \`curvelab study resume ID\`
continues it, and so does any lab that opens the database (curvelab serve, the desktop app), which
resumes the studies a lab process left unfinished by itself. On a queue (--redis), Ctrl-C stops only the
following: the runs go on on the workers, and \`curvelab study resume ID --redis URL\` follows the study again.

Exit status: 0 the study finished (diverged and failed runs are results, counted in the report), 2 bad
arguments, spec or database, 130 stopped by Ctrl-C.
`;

/** `curvelab study <run|resume|list|report>`. */
export async function runStudyCommand(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'run':
      return runStudyRunCommand(rest);
    case 'resume':
      return runStudyResumeCommand(rest);
    case 'list':
      return listStudies(rest);
    case 'report':
      return writeStudyReport(rest);
    default:
      throw new UsageError(subcommand === undefined ? 'study: give a subcommand: run, resume, list or report' : `study ${subcommand}: no such subcommand (run, resume, list, report)${didYouMean(subcommand, ['run', 'resume', 'list', 'report'])}`, 'study');
  }
}

function listStudies(argv: string[]): number {
  const { values } = parseCommandArgs('study', { args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const store = openCliStoreIfPresent(values.db);
  try {
    const studies = (store?.listStudies() ?? []).map(studyInfo);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(studies)}\n`);
    } else if (studies.length === 0) {
      process.stdout.write('no studies yet: start one with `curvelab study run seed-table`\n');
    } else {
      const count = (study: (typeof studies)[number], ...statuses: (keyof typeof study.statusCounts)[]) =>
        String(statuses.reduce((n, s) => n + (study.statusCounts[s] ?? 0), 0));
      const header = ['id', 'name', 'built-in', 'runs', 'completed', 'diverged', 'failed', 'cancelled', 'to train', 'finished', 'created'];
      const rows = studies.map((s) => [
        String(s.id), s.name, s.builtIn ? `${s.builtIn.name} (${s.builtIn.scale})` : '–', String(s.runCount),
        count(s, 'completed'), count(s, 'diverged'), count(s, 'failed'), count(s, 'cancelled'), count(s, 'queued', 'running', 'interrupted'),
        s.finished ? 'yes' : 'no', s.createdAt,
      ]);
      process.stdout.write(textTable(header, rows));
    }
    return 0;
  } finally {
    store?.close();
  }
}

function writeStudyReport(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('study', {
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('study report: give the id of one study (curvelab study list shows them)', 'study');
  const id = positiveInteger(positionals[0]!, 'study report', 'study');
  const formats: readonly StudyReportFormat[] = ['html', 'markdown', 'csv'];
  if (values.format !== undefined && !formats.includes(values.format as StudyReportFormat)) {
    throw new UsageError(`--format ${values.format}: expected ${formats.join(', ')}`, 'study');
  }
  const fromName = values.out === undefined ? null : reportFormatOf(values.out);
  if (values.out !== undefined && fromName === null && values.format === undefined) {
    throw new UsageError(`--out ${values.out}: name a .html, .md or .csv file, or give --format`, 'study');
  }
  const format = (values.format as StudyReportFormat | undefined) ?? fromName ?? 'markdown';
  const store = openCliStore(values.db, 'read');
  try {
    const { text } = reportFile(buildStudyReport(readStudyData(store, id)), format);
    if (values.out === undefined) process.stdout.write(text);
    else {
      writeFileSync(values.out, text);
      process.stderr.write(`report written to ${values.out}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
