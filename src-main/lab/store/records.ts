import type { RunSpec } from '../../engine/train/runSpec';

/** What the store keeps, as the lab hands it out (camelCase, JSON columns parsed). */

export type RunRecordStatus = 'queued' | 'running' | 'completed' | 'diverged' | 'cancelled' | 'failed' | 'interrupted';

export type RunEndStatus = Exclude<RunRecordStatus, 'queued' | 'running'>;

export interface ExperimentRecord {
  id: number;
  uid: string;
  name: string;
  notes: string;
  tags: string[];
  createdAt: string;
  /** Runs in the experiment. */
  runCount: number;
}

export interface RunRecord {
  id: number;
  uid: string;
  experimentId: number;
  spec: RunSpec;
  optimizer: string;
  status: RunRecordStatus;
  backend: string | null;
  pid: number | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Steps taken as reported when the run ended (null while it trains). */
  steps: number | null;
  /** Step rows stored so far: what survives an interruption. */
  storedSteps: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  error: string | null;
}

export interface RunFinish {
  status: RunEndStatus;
  steps?: number | null;
  trainLoss?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  error?: string | null;
}

export interface EpochMetricsRecord {
  epoch: number;
  steps: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
}
