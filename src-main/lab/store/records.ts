import type { EpochPoint, ExperimentInfo, RunInfo, RunStatus } from '../api/labApi';

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
