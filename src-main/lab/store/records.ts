import type { BuiltInStudyName, EpochPoint, ExperimentInfo, RunInfo, RunStatus, StudyCell, StudyScale, StudySpec } from '../api/labApi';

/** What the store keeps, as the lab hands it out (camelCase, JSON columns parsed). */

export type RunRecordStatus = RunStatus;

export type RunEndStatus = Exclude<RunRecordStatus, 'queued' | 'running'>;

/** The store hands out the Lab API's records as they are. */
export type ExperimentRecord = ExperimentInfo;
export type RunRecord = RunInfo;

export interface RunFinish {
  status: RunEndStatus;
  steps?: number | null;
  trainLoss?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  trainEvalLoss?: number | null;
  trainEvalAccuracy?: number | null;
  error?: string | null;
}

export type EpochMetricsRecord = EpochPoint;

/** What a study's experiment keeps of it (its `study` column). */
export interface StudyRecord {
  /** The spec it runs, a built-in's expanded. */
  spec: StudySpec;
  builtIn: { name: BuiltInStudyName; scale: StudyScale } | null;
  /** Its dataset's task, kept so that its report needs no dataset (an imported study's may be elsewhere). */
  task: 'classification' | 'regression';
}

/** A study's experiment with its study and its runs counted by status. */
export interface StudyExperimentRecord {
  experiment: ExperimentInfo;
  study: StudyRecord;
  statusCounts: Partial<Record<RunStatus, number>>;
}

/** A run of a study to create: its checked spec and its cell. */
export interface StudyRunInput {
  spec: RunInfo['spec'];
  cell: StudyCell;
}

/** A run's newest stored step: what its live progress reads when another process trains it. */
export interface LatestStepRecord {
  step: number;
  epoch: number;
  loss: number | null;
  accuracy: number | null;
  seconds: number;
  trace: Record<string, number>;
}
