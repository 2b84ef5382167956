/**
 * An in-memory LabClient for the renderer's state tests, and builders for the records it serves.
 *
 * It keeps datasets, experiments, runs and the runs' stored curves in plain fields that a test sets
 * up directly, answers every method of the Lab API from them (a copy, as over the wire), records
 * every call with its payload, can be told to fail a method with a LabError, and pushes events to
 * subscribers only when told to (`emit`): it never emits on its own. It judges no run request itself:
 * checkRuns answers the issues a test puts in `runsIssues`, and startRuns refuses with the first of them.
 * Studies the same way: checkStudy answers `studyCheck` whatever the request, startStudy refuses with its
 * first issue or adds a study made from it; getStudy serves `studyRuns`, studyReport `studyReportTexts`;
 * resumeStudy queues a study's interrupted runs again. The machine has no queue unless a test sets
 * `machine.queue`; listWorkers serves `workers` and getRunHistory `runHistory` as a test sets them.
 */
import type {
  ArchitectureDescription,
  BuiltInStudyInfo,
  CurvePoint,
  DatasetInfo,
  DatasetPreview,
  EncodedCurve,
  EncodedRunCurves,
  EpochPoint,
  ExperimentInfo,
  FieldIssue,
  LabApi,
  LabEvent,
  LabMethod,
  LabParams,
  LabResult,
  MachineInfo,
  OptimizerDescriptor,
  PresetInfo,
  RunHistoryEntry,
  RunInfo,
  RunSpec,
  StudyCell,
  StudyCheck,
  StudyDetail,
  StudyInfo,
  StudyReportFormat,
  StudySpec,
  WorkerInfo,
} from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { LabClient } from './labClient';

export interface RecordedCall {
  method: LabMethod;
  payload: unknown;
}

/** The stored curves of one run: series name → per-step points, and its epochs. */
export interface FakeCurves {
  /** `loss` and `accuracy` are metrics; any other name is an optimizer trace. */
  series: Record<string, CurvePoint[]>;
  epochs: EpochPoint[];
}

// ─── Records ──────────────────────────────────────────────────────────────────────────────────────

const createdAt = '2026-01-01T00:00:00.000Z';

export function makeDataset(overrides: Partial<DatasetInfo> = {}): DatasetInfo {
  return {
    id: 1,
    name: 'mnist',
    source: 'mnist',
    origin: 'embedded',
    target: null,
    format: 'embedded-mnist',
    contentHash: 'abcdef0123456789abcdef0123456789',
    task: 'classification',
    inputShape: [28, 28, 1],
    classes: 10,
    classNames: null,
    trainSize: 54000,
    validationSize: 6000,
    createdAt,
    ...overrides,
  };
}

export function makeExperiment(overrides: Partial<ExperimentInfo> = {}): ExperimentInfo {
  const id = overrides.id ?? 1;
  return { id, uid: `exp-${id}`, name: `experiment ${id}`, notes: '', tags: [], createdAt, runCount: 0, ...overrides };
}

export function makeSpec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    dataset: 'mnist',
    arch: 'mlp',
    archOptions: {},
    optimizer: 'sgd',
    optimizerOptions: {},
    steps: 100,
    batchSize: 64,
    shuffle: true,
    init: 'default',
    seed: 0,
    ...overrides,
  };
}

/** A completed run; `optimizer` follows the spec's unless given (and makes the spec's without one). */
export function makeRun(overrides: Partial<RunInfo> = {}): RunInfo {
  const id = overrides.id ?? 1;
  const spec = overrides.spec ?? makeSpec(overrides.optimizer === undefined ? {} : { optimizer: overrides.optimizer });
  return {
    id,
    uid: `run-${id}`,
    experimentId: 1,
    spec,
    optimizer: spec.optimizer,
    status: 'completed',
    backend: 'cpu',
    pid: null,
    worker: null,
    createdAt,
    startedAt: null,
    endedAt: null,
    totalSteps: null,
    stepsPerEpoch: null,
    steps: null,
    storedSteps: 0,
    trainLoss: null,
    valLoss: null,
    valAccuracy: null,
    trainEvalLoss: null,
    trainEvalAccuracy: null,
    bestValAccuracy: null,
    bestValLoss: null,
    error: null,
    notes: '',
    tags: [],
    ...overrides,
  };
}

/** Points as the lab sends them (EncodedCurve): each field a column of little-endian float32 (count: int32) bytes in base64. */
export function encodeCurvePoints(points: readonly CurvePoint[]): EncodedCurve {
  const column = (field: Exclude<keyof CurvePoint, 'count'>): string => base64Of(new Float32Array(points.map((pt) => pt[field])));
  return {
    length: points.length,
    step: column('step'),
    epoch: column('epoch'),
    seconds: column('seconds'),
    passes: column('passes'),
    value: column('value'),
    min: column('min'),
    max: column('max'),
    count: base64Of(new Int32Array(points.map((pt) => pt.count))),
  };
}

function base64Of(column: Float32Array | Int32Array): string {
  let binary = '';
  for (const byte of new Uint8Array(column.buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Per-step points from values: step i has epoch i/10, seconds 0.5·(i+1), passes 3·(i+1) (a
 * second-order-like method), min = max = value, count 1.
 */
export function stepPoints(values: number[], { secondsPerStep = 0.5, passesPerStep = 3 } = {}): CurvePoint[] {
  return values.map((value, i) => ({
    step: i,
    epoch: i / 10,
    seconds: secondsPerStep * (i + 1),
    passes: passesPerStep * (i + 1),
    value,
    min: value,
    max: value,
    count: 1,
  }));
}

export const fakePresets: PresetInfo[] = [
  { name: 'linear', description: 'one dense layer', options: [] },
  {
    name: 'mlp',
    description: 'a multilayer perceptron',
    options: [
      { name: 'widths', description: 'hidden layer widths, comma-separated', default: '128' },
      { name: 'activation', description: 'hidden activation: relu, tanh, sigmoid', default: 'relu' },
    ],
  },
];

export const fakeOptimizers: OptimizerDescriptor[] = [
  { name: 'sgd', description: 'plain SGD', options: [{ name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 }], traces: ['lr'] },
  {
    name: 'curveball',
    description: 'CurveBall: automatic lr, momentum and damping',
    options: [
      { name: 'lambda', type: 'number', default: 1, description: 'initial damping λ', min: 0 },
      { name: 'autoLambda', type: 'boolean', default: true, description: 'adapt λ from the model fit' },
      { name: 'lambdaInterval', type: 'integer', default: 5, description: 'adapt λ every k steps', min: 1 },
      { name: 'lr', type: 'number', default: null, description: 'fixed learning rate (default: automatic)', min: 0 },
    ],
    traces: ['rho', 'beta', 'lambda'],
  },
  {
    name: 'adam',
    description: 'Adam',
    options: [
      { name: 'lr', type: 'number', default: 0.001, description: 'learning rate', min: 0 },
      { name: 'beta1', type: 'number', default: 0.9, description: 'first-moment decay', min: 0, max: 1, exclusiveMax: true },
    ],
    traces: ['lr'],
  },
];

export const fakeMachine: MachineInfo = {
  appVersion: '0.1.0',
  mode: 'web',
  platform: 'linux',
  arch: 'x64',
  cpuModel: 'Test CPU',
  cpus: 2,
  memoryGb: 7.8,
  node: '20.19.0',
  electron: null,
  backend: { name: 'cpu-blas', reason: 'native BLAS kernels loaded; webgpu found no GPU adapter', attempts: [] },
  concurrency: 1,
  databasePath: '/tmp/lab.sqlite',
  queue: null,
};

/** An idle `curvelab worker` on a Linux machine with 8 CPUs, taking one run at a time. */
export function makeWorker(overrides: Partial<WorkerInfo> = {}): WorkerInfo {
  const id = overrides.id ?? 'worker-1';
  return {
    id,
    name: id,
    host: 'gpu-box',
    platform: 'linux',
    arch: 'x64',
    cpus: 8,
    memoryGb: 31.3,
    backend: { name: 'cpu-blas', reason: 'native BLAS kernels loaded' },
    concurrency: 1,
    startedAt: createdAt,
    runs: [],
    ...overrides,
  };
}

/** What describeArchitecture answers for the mlp preset with its defaults on 28×28×1 input. */
export function mlpDescription(widths = '128'): ArchitectureDescription {
  const hidden = Number(widths);
  return {
    inputShape: [28, 28, 1],
    outputShape: [10],
    layers: [
      { name: 'flatten', type: 'flatten', outputShape: [784], paramCount: 0, depth: 0 },
      { name: 'dense', type: 'dense', outputShape: [hidden], paramCount: 784 * hidden + hidden, depth: 0 },
      { name: 'relu', type: 'relu', outputShape: [hidden], paramCount: 0, depth: 0 },
      { name: 'dense_1', type: 'dense', outputShape: [10], paramCount: hidden * 10 + 10, depth: 0 },
    ],
    paramCount: 784 * hidden + hidden + hidden * 10 + 10,
    spec: { inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: hidden }, { type: 'relu' }, { type: 'dense', units: 10 }] },
  };
}

export const fakeBuiltInStudies: BuiltInStudyInfo[] = [
  {
    name: 'seed-table',
    description: "the paper's table: Basic, Basic+BN, ResNet-18 and VGG-f × CurveBall-λ, CurveBall, SGD and Adam",
    scales: [
      { scale: 'tiny', description: 'narrow widths, a subset, few epochs: minutes' },
      { scale: 'small', description: 'wider, more data: an hour' },
      { scale: 'paper', description: "the paper's widths, batch 128 and epochs" },
    ],
  },
  {
    name: 'random-architectures',
    description: 'random networks × the four optimizers: which trains them best',
    scales: [
      { scale: 'tiny', description: 'small networks, a subset, few epochs' },
      { scale: 'small', description: 'more data and epochs' },
      { scale: 'paper', description: 'as the paper ran them' },
    ],
  },
];

/** Two architectures × two optimizers × one seed on the embedded mnist: 4 runs. */
export function makeStudySpec(overrides: Partial<StudySpec> = {}): StudySpec {
  return {
    name: 'small study',
    dataset: 'mnist',
    trainSize: 1000,
    architectures: [{ preset: 'linear' }, { preset: 'mlp', options: { widths: '16' } }],
    optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
    seeds: [0],
    budget: { steps: 40 },
    batchSize: 32,
    ...overrides,
  };
}

/** A classification study whose 4 runs are queued. */
export function makeStudy(overrides: Partial<StudyInfo> = {}): StudyInfo {
  const spec = overrides.spec ?? makeStudySpec();
  return {
    id: 1,
    name: spec.name ?? 'study',
    spec,
    builtIn: null,
    task: 'classification',
    createdAt,
    runCount: 4,
    statusCounts: { queued: 4 },
    finished: false,
    ...overrides,
  };
}

/** A run of a study at `cell` (seed 0, no lr grid unless given); completed unless told otherwise. */
export function makeStudyRun(cell: Partial<StudyCell> & Pick<StudyCell, 'architecture' | 'optimizer'>, overrides: Partial<RunInfo> = {}): StudyDetail['runs'][number] {
  return { ...makeRun(overrides), cell: { lr: null, seed: 0, ...cell } };
}

// ─── The fake ─────────────────────────────────────────────────────────────────────────────────────

export class FakeLabClient implements LabClient {
  readonly transport = 'web' as const;
  readonly calls: RecordedCall[] = [];
  machine: MachineInfo = structuredClone(fakeMachine);
  datasets: DatasetInfo[] = [makeDataset()];
  previews = new Map<number, DatasetPreview>();
  experiments: ExperimentInfo[] = [];
  runs: RunInfo[] = [];
  /** Run id → its stored curves; a run in `runs` without an entry has none yet. */
  curves = new Map<number, FakeCurves>();
  /** Run id → what happened to it, oldest first; a run in `runs` without an entry has none. */
  runHistory = new Map<number, RunHistoryEntry[]>();
  /** The workers of the queue that listWorkers answers. */
  workers: WorkerInfo[] = [];
  presets: PresetInfo[] = structuredClone(fakePresets);
  optimizers: OptimizerDescriptor[] = structuredClone(fakeOptimizers);
  /** The lab's verdict on every run request: what checkRuns answers and startRuns refuses with. */
  runsIssues: FieldIssue[] = [];
  /** The name checkRuns and startRuns give a new experiment when the request names none. */
  chosenExperimentName = 'named by the lab';
  /** What importArchive answers. */
  importResult: LabResult<'importArchive'> | null = null;
  builtInStudies: BuiltInStudyInfo[] = structuredClone(fakeBuiltInStudies);
  /** The lab's verdict on every study request: what checkStudy answers and startStudy refuses with or starts. */
  studyCheck: StudyCheck = { spec: makeStudySpec(), runCount: 4, issues: [] };
  /** Newest first, as listStudies answers. */
  studies: StudyInfo[] = [];
  /** Study id → its runs with their cells. */
  studyRuns = new Map<number, StudyDetail['runs']>();
  /** What studyReport answers for every study, by format. */
  studyReportTexts: Record<StudyReportFormat, string> = {
    html: '<!doctype html><title>report</title><table data-testid="study-table"></table>',
    markdown: '# report\n',
    csv: 'architecture,optimizer\n',
  };
  private readonly failures = new Map<LabMethod, { error: LabError; times: number }>();
  private readonly listeners = new Set<(event: LabEvent) => void>();
  private nextId = 100;

  /** The next `times` calls of `method` reject with `error`. */
  fail(method: LabMethod, error: LabError, times = 1): void {
    this.failures.set(method, { error, times });
  }

  callsOf<M extends LabMethod>(method: M): LabParams<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.payload as LabParams<M>);
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(event: LabEvent): void {
    for (const listener of this.listeners) listener(structuredClone(event));
  }

  private async answer<M extends LabMethod>(method: M, payload: LabParams<M>, body: () => LabResult<M>): Promise<LabResult<M>> {
    this.calls.push({ method, payload: structuredClone(payload) });
    await Promise.resolve();
    const failure = this.failures.get(method);
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.delete(method);
      throw failure.error;
    }
    const value = body();
    return value === undefined ? value : structuredClone(value);
  }

  private id(): number {
    return this.nextId++;
  }

  private notFound(what: string, id: number): LabError {
    return new LabError('not-found', `no ${what} with id ${id}`, 'id');
  }

  /** The runs among `ids` that exist, in the order asked (unknown ids are left out, as the lab does). */
  private existingRuns(ids: number[]): RunInfo[] {
    return ids.flatMap((id) => this.runs.find((r) => r.id === id) ?? []);
  }

  getMachine: LabApi['getMachine'] = () => this.answer('getMachine', undefined, () => this.machine);

  listExperiments: LabApi['listExperiments'] = () => this.answer('listExperiments', undefined, () => this.experiments);

  getExperiment: LabApi['getExperiment'] = (p) =>
    this.answer('getExperiment', p, () => {
      const experiment = this.experiments.find((e) => e.id === p.id);
      if (!experiment) throw this.notFound('experiment', p.id);
      return { experiment, runs: this.runs.filter((r) => r.experimentId === p.id) };
    });

  createExperiment: LabApi['createExperiment'] = (p) =>
    this.answer('createExperiment', p, () => {
      const experiment = makeExperiment({ id: this.id(), name: p.name, notes: p.notes ?? '', tags: p.tags ?? [] });
      this.experiments.push(experiment);
      return experiment;
    });

  updateExperiment: LabApi['updateExperiment'] = (p) =>
    this.answer('updateExperiment', p, () => {
      const experiment = this.experiments.find((e) => e.id === p.id);
      if (!experiment) throw this.notFound('experiment', p.id);
      Object.assign(experiment, { ...(p.name === undefined ? {} : { name: p.name }), ...(p.notes === undefined ? {} : { notes: p.notes }), ...(p.tags === undefined ? {} : { tags: p.tags }) });
      return experiment;
    });

  deleteExperiment: LabApi['deleteExperiment'] = (p) =>
    this.answer('deleteExperiment', p, () => {
      if (!this.experiments.some((e) => e.id === p.id)) throw this.notFound('experiment', p.id);
      this.experiments = this.experiments.filter((e) => e.id !== p.id);
      for (const run of this.runs) {
        if (run.experimentId !== p.id) continue;
        this.curves.delete(run.id);
        this.runHistory.delete(run.id);
      }
      this.runs = this.runs.filter((r) => r.experimentId !== p.id);
    });

  listRuns: LabApi['listRuns'] = (p) =>
    this.answer('listRuns', p, () => this.runs.filter((r) => p.experimentId === undefined || r.experimentId === p.experimentId));

  getRun: LabApi['getRun'] = (p) =>
    this.answer('getRun', p, () => {
      const run = this.runs.find((r) => r.id === p.id);
      if (!run) throw this.notFound('run', p.id);
      return run;
    });

  /** Queues optimizers × seeds (grids are not expanded), in a new experiment or the one named. */
  startRuns: LabApi['startRuns'] = (p) =>
    this.answer('startRuns', p, () => {
      const issue = this.runsIssues[0];
      if (issue) throw new LabError('invalid-input', issue.message, issue.field);
      let experiment = this.experiments.find((e) => e.id === p.experimentId);
      if (p.experimentId !== undefined && !experiment) throw this.notFound('experiment', p.experimentId);
      experiment ??= this.addExperiment(p.experimentName ?? this.chosenExperimentName);
      const experimentId = experiment.id;
      const runs = p.optimizers.flatMap((o) =>
        p.seeds.map((seed) => this.queueRun(experimentId, makeSpec({ ...p.base, archOptions: p.base.archOptions ?? {}, optimizer: o.name, optimizerOptions: o.options ?? {}, seed }))),
      );
      return { experiment, runs };
    });

  checkRuns: LabApi['checkRuns'] = (p) =>
    this.answer('checkRuns', p, () => ({
      runCount: this.runsIssues.length > 0 ? 0 : p.optimizers.length * p.seeds.length,
      experimentName: p.experimentName ?? this.chosenExperimentName,
      issues: this.runsIssues,
    }));

  cancelRun: LabApi['cancelRun'] = (p) =>
    this.answer('cancelRun', p, () => {
      const run = this.runs.find((r) => r.id === p.id);
      if (!run) throw this.notFound('run', p.id);
      run.status = 'cancelled';
      return run;
    });

  resumeRun: LabApi['resumeRun'] = (p) =>
    this.answer('resumeRun', p, () => {
      const run = this.runs.find((r) => r.id === p.id);
      if (!run) throw this.notFound('run', p.id);
      run.status = 'queued';
      return run;
    });

  getRunHistory: LabApi['getRunHistory'] = (p) =>
    this.answer('getRunHistory', p, () => {
      if (!this.runs.some((r) => r.id === p.id)) throw this.notFound('run', p.id);
      return this.runHistory.get(p.id) ?? [];
    });

  listWorkers: LabApi['listWorkers'] = () => this.answer('listWorkers', undefined, () => this.workers);

  updateRun: LabApi['updateRun'] = (p) =>
    this.answer('updateRun', p, () => {
      const run = this.runs.find((r) => r.id === p.id);
      if (!run) throw this.notFound('run', p.id);
      if (p.notes !== undefined) run.notes = p.notes;
      if (p.tags !== undefined) run.tags = p.tags;
      return run;
    });

  deleteRun: LabApi['deleteRun'] = (p) =>
    this.answer('deleteRun', p, () => {
      if (!this.runs.some((r) => r.id === p.id)) throw this.notFound('run', p.id);
      this.runs = this.runs.filter((r) => r.id !== p.id);
      this.curves.delete(p.id);
      this.runHistory.delete(p.id);
    });

  /** As the lab: `loss` always, `accuracy` when stored, every other stored series as a trace. */
  listSeries: LabApi['listSeries'] = (p) =>
    this.answer('listSeries', p, () =>
      this.existingRuns(p.runIds).map((run) => {
        const names = Object.keys(this.curves.get(run.id)?.series ?? {});
        return { runId: run.id, metrics: names.includes('accuracy') ? ['loss', 'accuracy'] : ['loss'], traces: names.filter((n) => !isMetric(n)) };
      }),
    );

  /** Every stored point of the asked series in the step range (no downsampling to maxPoints), encoded, and every epoch. */
  readCurves: LabApi['readCurves'] = (p) =>
    this.answer('readCurves', p, () =>
      this.existingRuns(p.runIds).map((run): EncodedRunCurves => {
        const stored = this.curves.get(run.id);
        const inRange = (step: number): boolean => !p.stepRange || (step >= p.stepRange.from && step <= p.stepRange.to);
        const series: Record<string, EncodedCurve> = {};
        for (const name of p.series ?? Object.keys(stored?.series ?? {})) {
          const points = stored?.series[name]?.filter((point) => inRange(point.step));
          if (points && points.length > 0) series[name] = encodeCurvePoints(points);
        }
        return { runId: run.id, series, epochs: (stored?.epochs ?? []).filter((e) => inRange(e.steps - 1)) };
      }),
    );

  listDatasets: LabApi['listDatasets'] = () => this.answer('listDatasets', undefined, () => this.datasets);

  addDataset: LabApi['addDataset'] = (p) =>
    this.answer('addDataset', p, () => {
      const name = p.name ?? p.path.split('/').pop() ?? p.path;
      const dataset = makeDataset({ id: this.id(), name, source: p.path, origin: 'path', format: 'idx' });
      this.datasets.push(dataset);
      return dataset;
    });

  uploadDataset: LabApi['uploadDataset'] = (p) =>
    this.answer('uploadDataset', p, () => {
      const dataset = makeDataset({ id: this.id(), name: p.name ?? p.files[0]!.fileName, source: `/uploads/${p.files[0]!.fileName}`, origin: 'upload', format: 'csv', target: p.target ?? null });
      this.datasets.push(dataset);
      return dataset;
    });

  removeDataset: LabApi['removeDataset'] = (p) =>
    this.answer('removeDataset', p, () => {
      if (!this.datasets.some((d) => d.id === p.id)) throw this.notFound('dataset', p.id);
      this.datasets = this.datasets.filter((d) => d.id !== p.id);
    });

  previewDataset: LabApi['previewDataset'] = (p) =>
    this.answer('previewDataset', p, () => {
      const preview = this.previews.get(p.id);
      if (!preview) throw this.notFound('dataset preview', p.id);
      return preview;
    });

  listPresets: LabApi['listPresets'] = () => this.answer('listPresets', undefined, () => this.presets);

  describeArchitecture: LabApi['describeArchitecture'] = (p) =>
    this.answer('describeArchitecture', p, () => {
      if (typeof p.arch === 'string') {
        if (p.arch !== 'mlp') throw new LabError('invalid-input', `unknown architecture preset "${p.arch}"`, 'arch');
        return mlpDescription(p.archOptions?.widths ?? '128');
      }
      if (!Array.isArray(p.arch.layers)) throw new LabError('invalid-input', 'model spec: layers: expected an array', 'arch.layers');
      return { ...mlpDescription(), spec: p.arch };
    });

  listOptimizers: LabApi['listOptimizers'] = () => this.answer('listOptimizers', undefined, () => this.optimizers);

  exportExperiment: LabApi['exportExperiment'] = (p) =>
    this.answer('exportExperiment', p, () => {
      if (!this.experiments.some((e) => e.id === p.experimentId)) throw this.notFound('experiment', p.experimentId);
      return { fileName: `experiment-${p.experimentId}.curvelab.zip`, base64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' };
    });

  exportWeights: LabApi['exportWeights'] = (p) =>
    this.answer('exportWeights', p, () => {
      throw new LabError('not-found', `run ${p.runId} has no weights`);
    });

  importArchive: LabApi['importArchive'] = (p) =>
    this.answer('importArchive', p, () => {
      if (!this.importResult) throw new LabError('invalid-input', 'importArchive: not a CurveLab archive', 'base64');
      return this.importResult;
    });

  listBuiltInStudies: LabApi['listBuiltInStudies'] = () => this.answer('listBuiltInStudies', undefined, () => this.builtInStudies);

  checkStudy: LabApi['checkStudy'] = (p) => this.answer('checkStudy', p, () => this.studyCheck);

  /** A new study of `studyCheck`'s spec and run count, all queued, listed first. */
  startStudy: LabApi['startStudy'] = (p) =>
    this.answer('startStudy', p, () => {
      const issue = this.studyCheck.issues[0];
      if (issue) throw new LabError('invalid-input', issue.message, issue.field);
      const spec = this.studyCheck.spec ?? makeStudySpec();
      const runCount = this.studyCheck.runCount;
      const builtIn = 'builtIn' in p ? { name: p.builtIn, scale: p.scale ?? 'tiny' } : null;
      const study = makeStudy({ id: this.id(), name: spec.name ?? this.chosenExperimentName, spec, builtIn, runCount, statusCounts: { queued: runCount } });
      this.studies.unshift(study);
      return study;
    });

  listStudies: LabApi['listStudies'] = () => this.answer('listStudies', undefined, () => this.studies);

  getStudy: LabApi['getStudy'] = (p) =>
    this.answer('getStudy', p, () => {
      const study = this.studies.find((s) => s.id === p.id);
      if (!study) throw this.notFound('study', p.id);
      return { study, runs: this.studyRuns.get(p.id) ?? [] };
    });

  studyReport: LabApi['studyReport'] = (p) =>
    this.answer('studyReport', p, () => {
      if (!this.studies.some((s) => s.id === p.id)) throw this.notFound('study', p.id);
      const extension = { html: 'html', markdown: 'md', csv: 'csv' }[p.format];
      return { fileName: `study-${p.id}.${extension}`, text: this.studyReportTexts[p.format] };
    });

  /** Its interrupted runs (in `studyRuns` and its counts) become queued; the study as it is then. */
  resumeStudy: LabApi['resumeStudy'] = (p) =>
    this.answer('resumeStudy', p, () => {
      const study = this.studies.find((s) => s.id === p.id);
      if (!study) throw this.notFound('study', p.id);
      for (const run of this.studyRuns.get(p.id) ?? []) if (run.status === 'interrupted') run.status = 'queued';
      const { interrupted = 0, ...counts } = study.statusCounts;
      study.statusCounts = interrupted === 0 ? counts : { ...counts, queued: (counts.queued ?? 0) + interrupted };
      return study;
    });

  private addExperiment(name: string): ExperimentInfo {
    const experiment = makeExperiment({ id: this.id(), name });
    this.experiments.push(experiment);
    return experiment;
  }

  private queueRun(experimentId: number, spec: RunSpec): RunInfo {
    const run = makeRun({ id: this.id(), experimentId, spec, status: 'queued', backend: null });
    this.runs.push(run);
    return run;
  }
}

function isMetric(name: string): boolean {
  return name === 'loss' || name === 'accuracy';
}
