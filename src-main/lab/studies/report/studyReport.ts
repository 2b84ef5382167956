import type { RunStatus } from '../../../shared/runStatus';
import type { StudySpec } from '../../../shared/studySpec';
import { learningCurves, defaultCurveGridSize, type ArchitectureCurves } from './learningCurves';
import { defaultProfileTaus, performanceProfile, type PerformanceProfile } from './performanceProfile';
import { randomArchitectureSummary, type RandomArchitectureSummary } from './randomArchitectureWins';
import { trainResult, validationResult } from './runResults';
import { speedUps, type SpeedUp } from './speedUps';
import { studyCells } from './studyCells';
import type { StudyData, StudyRunData } from './studyData';
import { studyTable, type TableRow } from './studyTable';
import { targetProblems } from './targetProblems';
import { targetReport, type TargetReport } from './targetCells';
import { defaultTrainLossWindow, measures, targetTimes, type Measure, type TargetTime } from './timeToTarget';

export interface StudyReportOptions {
  /** Stored steps the training loss is averaged over for `trainLoss` targets (default 20). */
  trainLossWindow?: number;
  /** The τ grid of the performance profiles (default 1 to 4 by 0.05). */
  profileTaus?: readonly number[];
  /** Points of the common step grid of the learning curves (default 100). */
  curveGridSize?: number;
}

/** Everything a report shows, computed once; the Markdown, CSV and HTML renderers only format it. */
export interface StudyReport {
  name: string;
  spec: StudySpec;
  task: StudyData['task'];
  optimizers: string[];
  /** Runs per status, in the order of first appearance. */
  runCounts: { status: RunStatus; count: number }[];
  /** Rows = architectures, columns = optimizers. */
  table: TableRow[];
  /** Who published the reference numbers shown beside the cells, and on which datasets. */
  reference: { source: string; datasets: string[] } | null;
  /** Only when the study has random architectures. */
  random: RandomArchitectureSummary | null;
  /** One per study target, in the spec's order. */
  targets: TargetReport[];
  /** Architecture × seed × target problems, by steps, passes and seconds (empty without targets). */
  profiles: PerformanceProfile[];
  speedUps: { measure: Measure; pairs: (SpeedUp | null)[][] }[];
  curves: ArchitectureCurves[];
  runs: RunRow[];
  trainLossWindow: number;
}

/** One run as the report lists it: where it sits, how it ended, its numbers. */
export type RunRow = Pick<StudyRunData, 'runId' | 'architecture' | 'optimizer' | 'lr' | 'seed' | 'status' | 'error' | 'final'> & {
  /** Error % or loss, as in the table. */
  train: number | null;
  validation: number | null;
  /** Its time to each target (as its curves say, whatever its status), in the spec's order. */
  targets: (TargetTime | null)[];
};

export function buildStudyReport(data: StudyData, options: StudyReportOptions = {}): StudyReport {
  const trainLossWindow = options.trainLossWindow ?? defaultTrainLossWindow;
  const taus = options.profileTaus ?? defaultProfileTaus;
  const targets = data.spec.targets ?? [];
  const cells = studyCells(data);
  const times = targetTimes(data.runs, targets, trainLossWindow);
  const problems = targetProblems(cells, data.spec.seeds, targets, times);
  const runCounts = new Map<RunStatus, number>();
  for (const run of data.runs) runCounts.set(run.status, (runCounts.get(run.status) ?? 0) + 1);
  const table = studyTable(data, cells);
  const referenced = table.flatMap((row) => row.cells.flatMap((c) => (c.reference ? [c.reference.dataset] : [])));
  return {
    name: data.name,
    spec: data.spec,
    task: data.task,
    optimizers: data.optimizers,
    runCounts: [...runCounts].map(([status, count]) => ({ status, count })),
    table,
    reference: data.reference && referenced.length > 0 ? { source: data.reference.source, datasets: [...new Set(referenced)] } : null,
    random: randomArchitectureSummary(data, cells),
    targets: targets.map((target, t) => targetReport(cells, target, t, times)),
    profiles: targets.length === 0 ? [] : measures.map((m) => performanceProfile(problems, data.optimizers, m, taus)),
    speedUps: targets.length === 0 ? [] : measures.map((measure) => ({ measure, pairs: speedUps(problems, data.optimizers, measure) })),
    curves: learningCurves(data, cells, options.curveGridSize ?? defaultCurveGridSize),
    runs: data.runs.map((run): RunRow => {
      const { lossCurve, epochs, ...row } = run;
      return { ...row, train: trainResult(run, data.task), validation: validationResult(run, data.task), targets: targets.map((_, t) => times.reached(run, t)) };
    }),
    trainLossWindow,
  };
}
