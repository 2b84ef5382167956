import type { CurvePoint, EpochPoint, LabEvent, LabMethod, RunCurves, RunInfo, RunSpec } from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { LabClient } from '../lab/labClient';

/** A run the fake lab knows: its record, its per-step series and its epochs. */
export interface FakeRun {
  info: RunInfo;
  /** Series name → points; `loss`/`accuracy` count as metrics, anything else as a trace. */
  series: Record<string, CurvePoint[]>;
  epochs: EpochPoint[];
}

export interface FakeCall {
  method: LabMethod;
  params: unknown;
}

/**
 * An in-memory LabClient for the compare view's tests: it answers listRuns, getRun, listSeries and
 * readCurves from `runs` (readCurves returns every stored point: no downsampling), records every call,
 * and `emit` pushes an event to the subscribers. Other methods reject with a LabError. `failNext`
 * makes the next call of a method reject.
 */
export class FakeLabClient implements LabClient {
  readonly transport = 'web' as const;
  readonly runs = new Map<number, FakeRun>();
  readonly calls: FakeCall[] = [];
  private readonly listeners = new Set<(event: LabEvent) => void>();
  private readonly failures = new Map<LabMethod, LabError>();

  constructor(runs: FakeRun[] = []) {
    for (const r of runs) this.runs.set(r.info.id, r);
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(event: LabEvent): void {
    for (const l of this.listeners) l(event);
  }

  failNext(method: LabMethod, error: LabError): void {
    this.failures.set(method, error);
  }

  callsOf(method: LabMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  private async answer<T>(method: LabMethod, params: unknown, value: () => T): Promise<T> {
    this.calls.push({ method, params: structuredClone(params) });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
    return structuredClone(value());
  }

  listRuns(p: { experimentId?: number }) {
    return this.answer('listRuns', p, () => [...this.runs.values()].map((r) => r.info).filter((r) => p.experimentId === undefined || r.experimentId === p.experimentId));
  }

  getRun(p: { id: number }) {
    return this.answer('getRun', p, () => {
      const run = this.runs.get(p.id);
      if (!run) throw new LabError('not-found', `run ${p.id} does not exist`, 'id');
      return run.info;
    });
  }

  listSeries(p: { runIds: number[] }) {
    return this.answer('listSeries', p, () =>
      p.runIds.flatMap((id) => {
        const run = this.runs.get(id);
        if (!run) return [];
        const names = Object.keys(run.series);
        return [{ runId: id, metrics: names.filter(isMetric), traces: names.filter((n) => !isMetric(n)) }];
      }),
    );
  }

  readCurves(p: { runIds: number[]; series: string[]; maxPoints: number }) {
    return this.answer('readCurves', p, () =>
      p.runIds.flatMap((id): RunCurves[] => {
        const run = this.runs.get(id);
        if (!run) return [];
        const series: Record<string, CurvePoint[]> = {};
        for (const name of p.series) if (run.series[name]) series[name] = run.series[name];
        return [{ runId: id, series, epochs: run.epochs }];
      }),
    );
  }

  getMachine = unsupported('getMachine');
  listExperiments = unsupported('listExperiments');
  getExperiment = unsupported('getExperiment');
  createExperiment = unsupported('createExperiment');
  updateExperiment = unsupported('updateExperiment');
  deleteExperiment = unsupported('deleteExperiment');
  startRun = unsupported('startRun');
  startSweep = unsupported('startSweep');
  cancelRun = unsupported('cancelRun');
  updateRun = unsupported('updateRun');
  deleteRun = unsupported('deleteRun');
  listDatasets = unsupported('listDatasets');
  addDataset = unsupported('addDataset');
  uploadDataset = unsupported('uploadDataset');
  removeDataset = unsupported('removeDataset');
  previewDataset = unsupported('previewDataset');
  listPresets = unsupported('listPresets');
  describeArchitecture = unsupported('describeArchitecture');
  listOptimizers = unsupported('listOptimizers');
  exportExperiment = unsupported('exportExperiment');
  importArchive = unsupported('importArchive');
}

function isMetric(name: string): boolean {
  return name === 'loss' || name === 'accuracy';
}

function unsupported(method: LabMethod): () => Promise<never> {
  return () => Promise.reject(new LabError('internal', `the fake lab does not implement ${method}`));
}

/** A run record with the given spec fields; everything else is a plausible finished run. */
export function fakeRunInfo(id: number, spec: Partial<RunSpec> & { optimizer: string }, extra: Partial<RunInfo> = {}): RunInfo {
  const full: RunSpec = {
    dataset: 'mnist',
    arch: 'mlp',
    archOptions: {},
    optimizerOptions: {},
    batchSize: 64,
    shuffle: true,
    init: 'default',
    seed: 0,
    epochs: 1,
    ...spec,
  };
  return {
    id,
    uid: `run-${id}`,
    experimentId: 1,
    spec: full,
    optimizer: full.optimizer,
    status: 'completed',
    backend: 'cpu',
    pid: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    startedAt: '2025-01-01T00:00:01.000Z',
    endedAt: '2025-01-01T00:01:00.000Z',
    totalSteps: 10,
    stepsPerEpoch: 10,
    steps: 10,
    storedSteps: 10,
    trainLoss: null,
    valLoss: null,
    valAccuracy: null,
    bestValAccuracy: null,
    bestValLoss: null,
    error: null,
    notes: '',
    tags: [],
    ...extra,
  };
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
