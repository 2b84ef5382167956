/**
 * The Lab API: everything the UI (and any other client) can ask of the lab, in one place.
 *
 * Both transports carry exactly this contract: Electron IPC (preload → main) and HTTP + WebSocket
 * (`curvelab serve`). Every method takes at most one plain-object payload and returns a promise of
 * plain JSON data, so the same call works over both. Payloads are validated in the main process
 * against `labSchemas.ts`; a failed call rejects with a `LabError` (see labErrors.ts), never a crash.
 *
 * This file holds types and constants (the method allow-list and, from the shared module, the run
 * statuses and the run request limits), no Node or Electron: the renderer and the sandboxed preload import
 * it directly.
 */
import type { ModelSpec } from '../../shared/modelSpec';
import type { OptimizerDescriptor, OptionDescriptor, OptionValue } from '../../shared/optimizerDescriptor';
import type { RunSpec } from '../../shared/runSpec';
import type { RunStatus } from '../../shared/runStatus';
import type { StudySpec } from '../../shared/studySpec';

export type { ModelSpec, RunSpec, RunStatus, StudySpec };
/** Optimizers and their options as the engine describes them (JSON), handed to clients as they are. */
export type { OptimizerDescriptor, OptionDescriptor, OptionValue };
/** The bounds a run request is checked against, for clients to show. */
export { runSpecLimits } from '../../shared/runSpecLimits';

// ─── Records ──────────────────────────────────────────────────────────────────────────────────────

export interface ExperimentInfo {
  id: number;
  /** Stable across databases: an imported experiment keeps it. */
  uid: string;
  name: string;
  notes: string;
  tags: string[];
  createdAt: string;
  runCount: number;
}

export interface RunInfo {
  id: number;
  uid: string;
  experimentId: number;
  /** The run spec as given (defaults filled in). */
  spec: RunSpec;
  optimizer: string;
  status: RunStatus;
  /** The backend it trains / trained on; null until it starts. */
  backend: string | null;
  pid: number | null;
  /** The remote worker (its name) that trains or trained it through the queue; null for the lab's own threads. */
  worker: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Steps the run will take unless it diverges or is cancelled; null until it starts. */
  totalSteps: number | null;
  /** Null until it starts. */
  stepsPerEpoch: number | null;
  /** Steps taken as reported when the run ended (null while it trains). */
  steps: number | null;
  /** Steps stored so far (the newest stored step + 1): the live progress, and what survives an interruption. */
  storedSteps: number;
  trainLoss: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  /**
   * A completed run's final model evaluated (eval mode) on all its training examples: the train error a
   * paper reports (1 − trainEvalAccuracy), beside trainLoss, the mean batch loss of the last epoch. Null
   * for other runs and for runs recorded before CurveLab measured it.
   */
  trainEvalLoss: number | null;
  trainEvalAccuracy: number | null;
  /** Best validation accuracy (classification) and lowest validation loss over the epochs so far. */
  bestValAccuracy: number | null;
  bestValLoss: number | null;
  /** Why it failed, diverged (which rule its batch loss broke, at which step) or was interrupted. */
  error: string | null;
  notes: string;
  tags: string[];
}

export interface ExperimentDetail {
  experiment: ExperimentInfo;
  runs: RunInfo[];
}

/** One plotted point of a per-step series: the mean over a bucket of consecutive stored steps. */
export interface CurvePoint {
  step: number;
  /** Fractional epoch: (epoch index) + (position in the epoch), the bucket's mean. */
  epoch: number;
  /** Wall-clock seconds since the run started training. */
  seconds: number;
  /** Forward + backward + forward-mode passes so far: charges a second-order method for its extra work. */
  passes: number;
  value: number;
  min: number;
  max: number;
  /** Stored points in the bucket. */
  count: number;
}

export interface EpochPoint {
  /** 0-based index of the epoch that ended. */
  epoch: number;
  /** Steps taken when it ended. */
  steps: number;
  seconds: number;
  passes: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
}

/** A run's curves as the renderer works with them: readCurves' answer decoded (decodeRunCurves). */
export interface RunCurves {
  runId: number;
  /** Series name → points; a series the run does not have is absent. */
  series: Record<string, CurvePoint[]>;
  /** Per-epoch (validation) metrics, every epoch. */
  epochs: EpochPoint[];
}

/** Steps from `from` to `to`, both included. */
export interface StepRange {
  from: number;
  to: number;
}

/**
 * A series' points (CurvePoint's fields) as columns of `length` entries each, sent compactly: every
 * column is the bytes of a little-endian typed array in base64, Float32Array for the x columns (step,
 * epoch, seconds, passes) and the values (value, min, max), Int32Array for count. Float32 holds every
 * step up to 2^24 exactly and the values as training computed them (in float32); bucket means and
 * seconds are rounded to it, finer than any plot or readout shows.
 */
export interface EncodedCurve {
  length: number;
  step: string;
  epoch: string;
  seconds: string;
  passes: string;
  value: string;
  min: string;
  max: string;
  count: string;
}

export interface EncodedRunCurves {
  runId: number;
  /** Series name → its columns; a series the run does not have (in the step range) is absent. */
  series: Record<string, EncodedCurve>;
  /** Per-epoch (validation) metrics, every epoch (in the step range). */
  epochs: EpochPoint[];
}

/** The per-step series of one run: `loss`, `accuracy` (classification) and its optimizer's trace names. */
export interface RunSeriesNames {
  runId: number;
  metrics: string[];
  traces: string[];
}

export interface DatasetInfo {
  id: number;
  name: string;
  /** What a run spec's `dataset` field holds for it: `mnist` or a path the lab can read. */
  source: string;
  /** Where it came from: embedded, a path on the lab's machine, or an upload. */
  origin: 'embedded' | 'path' | 'upload';
  /** CSV: the target column(s). */
  target: string | null;
  format: 'embedded-mnist' | 'idx' | 'cifar-10' | 'cifar-100' | 'csv' | 'image-folder';
  contentHash: string;
  task: 'classification' | 'regression';
  inputShape: number[];
  classes: number;
  classNames: string[] | null;
  trainSize: number;
  validationSize: number;
  createdAt: string;
}

export type DatasetPreview =
  | {
      kind: 'images';
      height: number;
      width: number;
      channels: number;
      /** Each sample's pixels as 0–255 integers, row-major HWC. */
      samples: { label: string; pixels: number[] }[];
    }
  | { kind: 'table'; columns: string[]; rows: (number | string)[][] };

export interface PresetOption {
  name: string;
  description: string;
  default: string;
}

export interface PresetInfo {
  name: string;
  description: string;
  options: PresetOption[];
}

export interface LayerRow {
  name: string;
  type: string;
  outputShape: number[];
  paramCount: number;
  /** Nesting inside residual blocks. */
  depth: number;
}

export interface ArchitectureDescription {
  inputShape: number[];
  outputShape: number[];
  layers: LayerRow[];
  paramCount: number;
  /** The full model spec (a preset expanded), as the run will build it. */
  spec: ModelSpec;
}

export interface BackendInfo {
  /** The backend runs train on. */
  name: string;
  /** One line: what it is and why it was chosen (what failed to load). */
  reason: string;
  attempts: { candidate: string; ok: boolean; detail: string }[];
}

export interface MachineInfo {
  appVersion: string;
  /** `electron` or `web` (curvelab serve). */
  mode: 'electron' | 'web';
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  node: string;
  electron: string | null;
  backend: BackendInfo;
  /** Runs that train at once; more wait in the queue. */
  concurrency: number;
  databasePath: string;
  /**
   * Where runs train: null for this lab's own worker threads; with a Redis queue (`--redis`), its
   * address without the password and this lab's id in it. Runs then train on `curvelab worker`s.
   */
  queue: { address: string; labId: string } | null;
}

/** A `curvelab worker` as it last described itself (its heartbeat, a few seconds old at most). */
export interface WorkerInfo {
  id: string;
  name: string;
  host: string;
  platform: string;
  arch: string;
  cpus: number;
  memoryGb: number;
  backend: { name: string; reason: string };
  /** Runs it trains at once. */
  concurrency: number;
  startedAt: string;
  /** The runs it trains now; `runId` is this lab's run id, or null for another lab's run; `step`: steps taken so far. */
  runs: { runId: number | null; since: string; step: number | null; totalSteps: number | null }[];
}

/** One thing that happened to a run on its way: queued, taken by a worker, moved to another, refused… */
export interface RunHistoryEntry {
  at: string;
  event: string;
}

// ─── Requests ─────────────────────────────────────────────────────────────────────────────────────

/** A run spec with the engine's defaults optional. Exactly one of epochs and steps (default epochs 1). */
export type RunSpecInput = Pick<RunSpec, 'dataset' | 'arch' | 'optimizer'> & Partial<Omit<RunSpec, 'dataset' | 'arch' | 'optimizer'>>;

export interface SweepOptimizer {
  name: string;
  /** Fixed options for every run of this optimizer. */
  options?: Record<string, OptionValue>;
  /** Option → values: one run per combination (cross product), per seed. */
  grid?: Record<string, OptionValue[]>;
}

/**
 * Runs to start: optimizers (× each one's grid) × seeds on one base spec. One optimizer without a grid
 * and one seed is a single run; there is no other way to start runs.
 */
export interface RunsRequest {
  /** Add the runs to this experiment; without it they go into a new one. */
  experimentId?: number;
  /** The new experiment's name; without it the lab names it (`dataset · architecture · optimizers`). */
  experimentName?: string;
  notes?: string;
  tags?: string[];
  /** Everything but the optimizer and seed. */
  base: Omit<RunSpecInput, 'optimizer' | 'optimizerOptions' | 'seed'>;
  optimizers: SweepOptimizer[];
  /** Runs with the same seed see the same initial weights and batches: paired comparisons. */
  seeds: number[];
}

export interface RunsStarted {
  experiment: ExperimentInfo;
  runs: RunInfo[];
}

/** One thing wrong with a request: the field as a dotted path into it (`optimizers.1.options.lr`) and what was expected. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The lab's verdict on a RunsRequest, without starting anything. */
export interface RunsCheck {
  /** The runs it would start (0 when there are issues that make the count unknown). */
  runCount: number;
  /** The experiment's name: the one given, or the one the lab would choose. */
  experimentName: string;
  /** Everything wrong with it, in request order; empty when startRuns would accept it. */
  issues: FieldIssue[];
}

export interface ImportResult {
  experiment: ExperimentInfo;
  runCount: number;
  /** True when the archive's experiment was already in the database: nothing was written. */
  alreadyPresent: boolean;
}

export interface ArchiveFile {
  fileName: string;
  /** The file's bytes, base64. */
  base64: string;
}

// ─── Studies ──────────────────────────────────────────────────────────────────────────────────────

export type BuiltInStudyName = 'seed-table' | 'random-architectures';

/** How big a built-in study is: `tiny` runs on a laptop in minutes, `paper` as the paper ran it. */
export type StudyScale = 'tiny' | 'small' | 'paper';

export interface BuiltInStudyInfo {
  name: BuiltInStudyName;
  description: string;
  scales: { scale: StudyScale; description: string }[];
}

/** A study to start: a spec as written, or a built-in at a scale (on the embedded MNIST unless `dataset` names another). */
export type StudyRequest =
  | { spec: StudySpec }
  | { builtIn: BuiltInStudyName; scale?: StudyScale; dataset?: string; target?: string; count?: number };

/** Where a run sits in its study: the table's row and column, the lr-grid value, the seed. */
export interface StudyCell {
  architecture: string;
  optimizer: string;
  lr: number | null;
  seed: number;
}

export interface StudyInfo {
  /** The id of the study's experiment (its runs are that experiment's runs). */
  id: number;
  name: string;
  /** The spec it runs, a built-in's expanded. */
  spec: StudySpec;
  builtIn: { name: BuiltInStudyName; scale: StudyScale } | null;
  /** The dataset's task: the report's numbers are error % for classification, losses for regression. */
  task: 'classification' | 'regression';
  createdAt: string;
  runCount: number;
  /** Runs by status. */
  statusCounts: Partial<Record<RunStatus, number>>;
  /**
   * No run is queued, running or interrupted: every run has its result (an interrupted run, left by a
   * lab that closed or died, trains again when a lab resumes the study).
   */
  finished: boolean;
}

export interface StudyDetail {
  study: StudyInfo;
  runs: (RunInfo & { cell: StudyCell })[];
}

/** What startStudy would say of a request: the spec it would run, its run count and every issue. */
export interface StudyCheck {
  spec: StudySpec | null;
  runCount: number;
  /** Fields are paths into the request (`spec.optimizers.1.options.lr`). */
  issues: FieldIssue[];
}

export type StudyReportFormat = 'html' | 'markdown' | 'csv';

export interface StudyReportFile {
  fileName: string;
  /** The report as text (HTML, Markdown or CSV). */
  text: string;
}

// ─── The contract ─────────────────────────────────────────────────────────────────────────────────

export interface LabApi {
  getMachine(): Promise<MachineInfo>;

  listExperiments(): Promise<ExperimentInfo[]>;
  getExperiment(p: { id: number }): Promise<ExperimentDetail>;
  createExperiment(p: { name: string; notes?: string; tags?: string[] }): Promise<ExperimentInfo>;
  updateExperiment(p: { id: number; name?: string; notes?: string; tags?: string[] }): Promise<ExperimentInfo>;
  /** Deletes the experiment, its runs and all their rows; cancels its runs that are still going. */
  deleteExperiment(p: { id: number }): Promise<void>;

  /** All runs (or one experiment's), oldest first. */
  listRuns(p: { experimentId?: number }): Promise<RunInfo[]>;
  getRun(p: { id: number }): Promise<RunInfo>;
  /**
   * Queues the request's runs (optimizers × grid × seeds) in worker threads, in a new experiment or the
   * one named. Every run spec is checked first, against the registered dataset too: a bad request
   * writes nothing and rejects with the first issue's field.
   */
  startRuns(p: RunsRequest): Promise<RunsStarted>;
  /**
   * What startRuns would say of the request, writing nothing: the run count, the experiment name and
   * every issue (structure and content alike). A dataset the lab has not registered is loaded to check
   * the model against it; startRuns registers it.
   */
  checkRuns(p: RunsRequest): Promise<RunsCheck>;
  /** A queued run is dropped from the queue; a running one stops after its current step. */
  cancelRun(p: { id: number }): Promise<RunInfo>;
  /** An interrupted run trains on from its last checkpoint (its rows after it deleted); refused ('conflict') for a run that is not interrupted. */
  resumeRun(p: { id: number }): Promise<RunInfo>;
  /** What happened to the run on its way, oldest first (a queue's runs: queued, taken, moved…). */
  getRunHistory(p: { id: number }): Promise<RunHistoryEntry[]>;
  /** The `curvelab worker`s of the lab's queue that are alive now; empty without a queue. */
  listWorkers(): Promise<WorkerInfo[]>;
  updateRun(p: { id: number; notes?: string; tags?: string[] }): Promise<RunInfo>;
  deleteRun(p: { id: number }): Promise<void>;

  /** The per-step series each run has. */
  listSeries(p: { runIds: number[] }): Promise<RunSeriesNames[]>;
  /**
   * Per-step series (`loss`, `accuracy`, trace names; absent: every series each run has) downsampled to
   * at most maxPoints each (each bucket's mean, min and max, so spikes survive), and every epoch; only
   * the steps in stepRange when it is given (a zoomed chart's visible range, at full resolution once it
   * holds no more than maxPoints steps).
   */
  readCurves(p: { runIds: number[]; series?: string[]; maxPoints: number; stepRange?: StepRange }): Promise<EncodedRunCurves[]>;

  listDatasets(): Promise<DatasetInfo[]>;
  /** Loads and checks a dataset from a path on the lab's machine (file or folder), and registers it. */
  addDataset(p: { path: string; name?: string; target?: string }): Promise<DatasetInfo>;
  /** The same for files sent from the client (web mode's upload): saved beside the database. */
  uploadDataset(p: { files: ArchiveFile[]; name?: string; target?: string }): Promise<DatasetInfo>;
  removeDataset(p: { id: number }): Promise<void>;
  previewDataset(p: { id: number; count?: number }): Promise<DatasetPreview>;

  listPresets(): Promise<PresetInfo[]>;
  /** Layers, output shapes and parameter count; the input shape and output size come from the dataset. */
  describeArchitecture(p: {
    arch: string | ModelSpec;
    archOptions?: Record<string, string>;
    datasetId?: number;
    inputShape?: number[];
    outputSize?: number;
  }): Promise<ArchitectureDescription>;
  listOptimizers(): Promise<OptimizerDescriptor[]>;

  exportExperiment(p: { experimentId: number }): Promise<ArchiveFile>;
  /**
   * A run's final weights as a safetensors file (PyTorch's names and layouts, the model spec in its
   * metadata; docs/weights.md). `not-found` for a run whose weights the lab did not keep.
   */
  exportWeights(p: { runId: number }): Promise<ArchiveFile>;
  /**
   * Adds the experiment in a .curvelab archive. One already here with all the archive holds: nothing
   * written, `alreadyPresent`; already here but different (a later export): `conflict`, nothing written.
   * `asCopy`: import it beside what is here, as a new experiment "<name> (copy)" with new uids.
   */
  importArchive(p: { base64: string; fileName?: string; asCopy?: boolean }): Promise<ImportResult>;

  listBuiltInStudies(): Promise<BuiltInStudyInfo[]>;
  /** The study a request would start, checked as startStudy checks it, every issue at once; starts nothing. */
  checkStudy(p: StudyRequest): Promise<StudyCheck>;
  /** Expands the study into paired runs in one new experiment that keeps the spec, and queues them. */
  startStudy(p: StudyRequest): Promise<StudyInfo>;
  /** Newest first. */
  listStudies(): Promise<StudyInfo[]>;
  getStudy(p: { id: number }): Promise<StudyDetail>;
  /** The study's report as it stands (finished or not): self-contained HTML, Markdown or CSV. */
  studyReport(p: { id: number; format: StudyReportFormat }): Promise<StudyReportFile>;
  /**
   * Trains the study's interrupted runs again, each from its start (a lab that closed or died left them;
   * an imported study may carry some); finished runs are never rerun. `conflict` while another live lab
   * trains the study.
   */
  resumeStudy(p: { id: number }): Promise<StudyInfo>;
}

export type LabMethod = keyof LabApi;

/** The allow-list of method names, in the contract's order. */
export const labMethods = [
  'getMachine',
  'listExperiments',
  'getExperiment',
  'createExperiment',
  'updateExperiment',
  'deleteExperiment',
  'listRuns',
  'getRun',
  'startRuns',
  'checkRuns',
  'cancelRun',
  'resumeRun',
  'getRunHistory',
  'listWorkers',
  'updateRun',
  'deleteRun',
  'listSeries',
  'readCurves',
  'listDatasets',
  'addDataset',
  'uploadDataset',
  'removeDataset',
  'previewDataset',
  'listPresets',
  'describeArchitecture',
  'listOptimizers',
  'exportExperiment',
  'exportWeights',
  'importArchive',
  'listBuiltInStudies',
  'checkStudy',
  'startStudy',
  'listStudies',
  'getStudy',
  'studyReport',
  'resumeStudy',
] as const satisfies readonly LabMethod[];

/** The payload type of a method (`undefined` for methods without one). */
export type LabParams<M extends LabMethod> = Parameters<LabApi[M]> extends [infer P] ? P : undefined;
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabApi[M]>>;

// ─── Events pushed to clients ─────────────────────────────────────────────────────────────────────

export type LabEvent =
  /** A run was created, started, ended, cancelled, edited or deleted (`run` null when deleted). */
  | { type: 'run-status'; runId: number; run: RunInfo | null }
  /** Live progress of a training run, at most a few times a second per run (latest step only). */
  | {
      type: 'run-progress';
      runId: number;
      step: number;
      totalSteps: number;
      epoch: number;
      loss: number | null;
      accuracy: number | null;
      seconds: number;
      trace: Record<string, number>;
    }
  /** An epoch ended (validation metrics). */
  | { type: 'run-epoch'; runId: number; epoch: EpochPoint }
  /** Experiments were created, edited, deleted or imported. */
  | { type: 'experiments-changed' }
  | { type: 'datasets-changed' }
  /** A study was started, resumed or deleted (its runs' progress comes as run events). */
  | { type: 'studies-changed' };

// ─── Errors and the wire envelope ─────────────────────────────────────────────────────────────────

export type LabErrorCode =
  /** The payload does not match the method's schema (or the method does not exist). */
  | 'invalid-request'
  /** The payload is well-formed but its content is wrong: a bad dataset file, spec or option. */
  | 'invalid-input'
  | 'not-found'
  /** The call does not fit the current state (say, deleting a dataset runs still use). */
  | 'conflict'
  /** Not authorised (web mode's token). */
  | 'unauthorized'
  /** The disk that holds the lab's database is full: nothing was stored, and runs being recorded were stopped. */
  | 'disk-full'
  /** The lab's database cannot be written (a read-only file) or its disk failed: nothing was stored. */
  | 'storage'
  | 'internal';

export interface LabErrorInfo {
  code: LabErrorCode;
  message: string;
  /** The payload field at fault, as a dotted path (`spec.batchSize`), when there is one. */
  field?: string;
}

/** What crosses the wire for every call, over IPC and HTTP alike. */
export type LabResponse<T = unknown> = { ok: true; value: T } | { ok: false; error: LabErrorInfo };
