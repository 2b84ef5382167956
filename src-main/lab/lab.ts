import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendReport } from '../engine/backend';
import { UserInputError } from '../engine/errors';
import { jobHeapMb } from '../engine/memoryLimits';
import { describePresets } from '../engine/nn/presets';
import { optimizerDescriptors } from '../engine/optim/registry';
import { buildModel } from '../engine/train/buildModel';
import type { ModelSpec } from '../shared/modelSpec';
import { datasetName } from '../shared/datasetName';
import { runSpecLimits } from '../shared/runSpecLimits';
import { architectureLabels, optimizerLabel, type StudySpec } from '../shared/studySpec';
import type * as Api from './api/labApi';
import { LabError } from './api/labErrors';
import { fieldIssue, studyRequestSchema } from './api/labSchemas';
import { appVersion } from './appVersion';
import { checkArchiveInWorker, exportExperiment, importCheckedArchive, sharedBytesFromBase64 } from './archive';
import { DatasetRegistry } from './datasets/datasetRegistry';
import {
  acceptedRuns,
  normalizeRuns,
  requestStructure,
  soundAt,
  wellFormed,
  within,
  type CheckedRunSpec,
  type DatasetFacts,
  type RequestStructure,
  type RunsVerdict,
} from './runSpec/normalizeRuns';
import { RunSpecError } from './runSpec/runSpecError';
import { QueueRunner } from './queue/queueRunner';
import { defaultConcurrency } from './runner/defaultConcurrency';
import { parseRedisAddress, type RedisAddress } from './queue/redisAddress';
import { probeBackend } from './runner/probeBackend';
import type { RunExecutor } from './runner/runExecutor';
import { emitRunStatus } from './runner/runRecorder';
import { RunManager, type RunManagerOptions } from './runner/runManager';
import { openStore, type Store } from './store';
import { ExternalChanges, followExternalChanges } from './store/externalChanges';
import { encodeCurve } from './encodeCurve';
import { readRunWeights, removeRunWeights } from './weights/runWeights';
import { removeRunCheckpoints, resumeStep } from './runner/runCheckpoints';
import { builtInStudySpec, listBuiltInStudies, type BuiltInStudyRequest } from './studies/builtInStudies';
import { studyStructure, studyVerdict, type StudyRun } from './studies/checkStudy';
import { cellKey } from './studies/expandStudy';
import { StudyReports } from './studies/studyReports';
import { studyDetail, studyInfo, studyRecord } from './studies/studyRecords';

export interface OpenLabOptions {
  databasePath: string;
  mode: 'web' | 'electron';
  /** Backend preference for runs (default: CURVELAB_BACKEND, else the best that loads). */
  backend?: string;
  /** Runs that train at once (default: one per core on a CPU backend, one on a GPU). */
  concurrency?: number;
  /** Where uploaded datasets are kept (default: a `datasets` folder beside the database). */
  dataDir?: string;
  /** The Electron build of better-sqlite3's addon (see openStore). */
  nativeBinding?: string;
  /**
   * Queue again the runs of every study that a lab process left unfinished (resumeStudies); default
   * true. `curvelab study` opens its lab without, and resumes the one study it is asked to.
   */
  resumeStudies?: boolean;
  /**
   * A Redis address (`redis://[user:password@]host[:port][/db]`, `rediss://…`): runs and studies are queued
   * there, on BullMQ, for `curvelab worker`s to train, instead of in this process's worker threads.
   */
  redis?: string;
  /** Where runs train: worker threads by default (RunManagerOptions.startTrainer); the desktop app trains GPU runs in pages. */
  startTrainer?: RunManagerOptions['startTrainer'];
}

type Listener = (event: Api.LabEvent) => void;

/**
 * Opens the lab on a database: migrations and crash recovery (openStore), the embedded dataset, and
 * which backend runs will use (probed in a worker, so the main process never loads a GPU backend).
 */
export async function openLab(options: OpenLabOptions): Promise<Lab> {
  if (options.databasePath !== ':memory:') mkdirSync(dirname(options.databasePath), { recursive: true });
  const store = openStore(options.databasePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  let lab: Lab | undefined;
  try {
    const preference = options.backend ?? process.env['CURVELAB_BACKEND'] ?? 'auto';
    const backend = await probeBackend(preference);
    const concurrency = options.concurrency ?? defaultConcurrency(backend.name);
    const dataDir = options.dataDir ?? join(options.databasePath === ':memory:' ? process.cwd() : dirname(options.databasePath), 'datasets');
    const queue = options.redis === undefined ? null : parseRedisAddress(options.redis, '--redis');
    lab = new Lab(store, { ...options, backend, concurrency, dataDir, queue });
    await lab.datasets.ensureEmbedded();
    await lab.connectQueue();
    if (options.resumeStudies ?? true) await lab.resumeStudies();
    return lab;
  } catch (error) {
    if (lab) await lab.close();
    else store.close();
    throw error;
  }
}

/**
 * The Lab API over one database: the handlers both transports dispatch to. Owns the store, what trains
 * its runs (the run manager's worker threads, or with a Redis address the queue runner, for remote
 * workers) and the dataset registry, and pushes events to subscribers.
 */
export class Lab implements Api.LabApi {
  readonly datasets: DatasetRegistry;
  private readonly runs: RunExecutor;
  private readonly queue: QueueRunner | null;
  private readonly listeners = new Set<Listener>();
  private readonly reports = new StudyReports();
  /** Stops following what other processes write into the database (ExternalChanges) and the runs the store's heartbeat finds orphaned. */
  private readonly stopFollowing: () => void;
  private closed: Promise<void> | null = null;

  constructor(
    readonly store: Store,
    private readonly config: {
      mode: 'web' | 'electron';
      databasePath: string;
      backend: BackendReport;
      concurrency: number;
      dataDir: string;
      /** Where runs are queued for remote workers; null: this process's worker threads train them. */
      queue?: RedisAddress | null;
      startTrainer?: RunManagerOptions['startTrainer'];
    },
  ) {
    this.datasets = new DatasetRegistry(store, join(config.dataDir, 'uploads'));
    const emit = (event: Api.LabEvent): void => this.emit(event);
    this.queue = config.queue
      ? new QueueRunner({ store, address: config.queue, emit, datasetOf: (spec) => this.datasets.find(spec.dataset, spec.target ?? null) })
      : null;
    // A training worker whose heap outgrows a job's share fails its own run (ERR_WORKER_OUT_OF_MEMORY), not the lab.
    const resourceLimits = { maxOldGenerationSizeMb: jobHeapMb() };
    this.runs = this.queue ?? new RunManager({ store, concurrency: config.concurrency, backend: config.backend.name, emit, resourceLimits, startTrainer: config.startTrainer });
    const stopExternal = followExternalChanges(new ExternalChanges(store, (runId) => this.runs.isActive(runId)), emit);
    // Runs of a lab session that died (another process, or one before this one in this container) end interrupted.
    const stopOrphans = store.onRunsInterrupted((runIds) => {
      for (const runId of runIds) emitRunStatus(store, runId, emit);
    });
    this.stopFollowing = () => {
      stopExternal();
      stopOrphans();
    };
  }

  /**
   * With a queue (openLab calls this once): checks that Redis answers, picks up the runs of this database
   * still on the queue and reads their events. Without one, nothing to do.
   */
  async connectQueue(): Promise<void> {
    await this.queue?.open();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops every run, waits for the workers and closes the database: queued and running runs end
   * cancelled with their rows, except a study's, which end interrupted for the study to train again when
   * a lab resumes it. With a queue, runs go on: their workers keep training, and the next lab that opens
   * with the queue writes what they sent meanwhile.
   */
  close(): Promise<void> {
    this.stopFollowing();
    this.closed ??= this.runs.shutdown().finally(() => this.store.close());
    return this.closed;
  }

  /** Resolves when no run is queued or running. */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  async getMachine(): Promise<Api.MachineInfo> {
    const cpuList = cpus();
    return {
      appVersion: appVersion(),
      mode: this.config.mode,
      platform: process.platform,
      arch: process.arch,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      cpus: availableParallelism(),
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.versions.node,
      electron: process.versions['electron'] ?? null,
      backend: { name: this.config.backend.name, reason: this.config.backend.reason, attempts: this.config.backend.attempts },
      concurrency: this.config.concurrency,
      databasePath: this.config.databasePath,
      queue: this.queue?.machineQueue ?? null,
    };
  }

  /** The queue's `curvelab worker`s alive now; none without a queue. */
  async listWorkers(): Promise<Api.WorkerInfo[]> {
    return this.queue ? this.queue.listWorkers() : [];
  }

  // ── experiments ──

  async listExperiments(): Promise<Api.ExperimentInfo[]> {
    return this.store.listExperiments();
  }

  async getExperiment({ id }: { id: number }): Promise<Api.ExperimentDetail> {
    return { experiment: this.experiment(id), runs: this.store.listRuns({ experimentId: id }) };
  }

  async createExperiment(p: { name: string; notes?: string; tags?: string[] }): Promise<Api.ExperimentInfo> {
    const experiment = this.store.createExperiment(p);
    this.emit({ type: 'experiments-changed' });
    return experiment;
  }

  async updateExperiment({ id, ...changes }: { id: number; name?: string; notes?: string; tags?: string[] }): Promise<Api.ExperimentInfo> {
    this.experiment(id);
    const experiment = this.store.updateExperiment(id, changes)!;
    this.emit({ type: 'experiments-changed' });
    return experiment;
  }

  async deleteExperiment({ id }: { id: number }): Promise<void> {
    this.experiment(id);
    const study = this.store.getStudy(id) !== undefined;
    const runs = this.store.listRuns({ experimentId: id });
    for (const run of runs) if (this.runs.isActive(run.id)) await this.runs.forget(run.id);
    this.store.deleteExperiment(id);
    removeRunWeights(this.store.file, runs.map((run) => run.uid));
    removeRunCheckpoints(this.store.file, runs.map((run) => run.uid));
    this.reports.forget(id);
    for (const run of runs) this.emit({ type: 'run-status', runId: run.id, run: null });
    this.emit({ type: 'experiments-changed' });
    if (study) this.emit({ type: 'studies-changed' });
  }

  // ── runs ──

  async listRuns({ experimentId }: { experimentId?: number }): Promise<Api.RunInfo[]> {
    return this.store.listRuns(experimentId === undefined ? {} : { experimentId });
  }

  async getRun({ id }: { id: number }): Promise<Api.RunInfo> {
    return this.run(id);
  }

  /**
   * Checks the whole request once (normalizeRuns, against the dataset's shapes) before anything is
   * written; then registers the dataset if it is new, makes the experiment unless one is named, and
   * queues the checked runs.
   */
  async startRuns(request: Api.RunsRequest): Promise<Api.RunsStarted> {
    const existing = request.experimentId !== undefined ? this.experiment(request.experimentId) : null;
    if (existing && this.store.getStudy(existing.id)) throw new RunSpecError('experimentId', studyExperimentRefusal(existing));
    const specs = acceptedRuns(await this.verdict(wellFormed(request)));
    const { dataset, target } = request.base;
    if (await this.datasets.ensureRegistered(dataset, target ?? null)) this.emit({ type: 'datasets-changed' });
    const experiment =
      existing ??
      this.store.createExperiment({
        name: request.experimentName ?? experimentNameFor(request),
        ...(request.notes !== undefined ? { notes: request.notes } : {}),
        ...(request.tags !== undefined ? { tags: request.tags } : {}),
      });
    const runs: Api.RunInfo[] = [];
    try {
      for (const spec of specs) runs.push(await this.runs.enqueue(experiment.id, spec));
    } catch (error) {
      // A request that could not be queued whole leaves nothing: not its first runs, not the experiment made for it.
      await this.discard(runs.map((r) => r.id), existing ? null : experiment.id);
      throw error;
    }
    this.emit({ type: 'experiments-changed' });
    return { experiment: this.experiment(experiment.id), runs };
  }

  /**
   * startRuns' verdict without its writes: the request's structure and content checked as startRuns
   * checks them, every issue at once. A dataset the lab has not registered is loaded to check the model
   * against it, but registered only when runs start.
   */
  async checkRuns(payload: Api.RunsRequest): Promise<Api.RunsCheck> {
    const structure = requestStructure(payload);
    const { runCount, issues } = await this.verdict(structure);
    const { experimentId, experimentName } = structure.request;
    let name = soundAt(structure, 'experimentName') && experimentName !== undefined ? experimentName : namedAfterRequest(structure);
    if (experimentId !== undefined && soundAt(structure, 'experimentId')) {
      const experiment = this.store.getExperiment(experimentId);
      if (experiment) name = experiment.name;
      else issues.push({ field: 'experimentId', message: `no experiment with id ${experimentId}` });
      if (experiment && this.store.getStudy(experimentId)) issues.push({ field: 'experimentId', message: studyExperimentRefusal(experiment) });
    }
    return { runCount, experimentName: name, issues };
  }

  async cancelRun({ id }: { id: number }): Promise<Api.RunInfo> {
    this.run(id);
    return (await this.runs.cancel(id)) ?? this.run(id);
  }

  /**
   * An interrupted run trains on from its last checkpoint (from its start when it has none; with a
   * queue always from its start, since remote workers do not see the checkpoints): made queued with its
   * rows after that step deleted (Store.requeueRun) and queued here with the spec it had.
   */
  async resumeRun({ id }: { id: number }): Promise<Api.RunInfo> {
    const run = this.run(id);
    if (run.status !== 'interrupted' || this.runs.isActive(id)) {
      throw new LabError('conflict', `run ${id} is ${run.status}: only an interrupted run can be resumed`);
    }
    if (!this.store.requeueRun(id, run.spec, process.pid, this.resumeStepOf(run))) {
      throw new LabError('conflict', `run ${id} was resumed by another CurveLab process`);
    }
    const study = this.store.getStudy(run.experimentId) ? run.experimentId : undefined;
    const [queued] = await this.runs.queueResumable([{ runId: id, spec: run.spec as CheckedRunSpec }], study);
    return queued ?? this.run(id);
  }

  async getRunHistory({ id }: { id: number }): Promise<Api.RunHistoryEntry[]> {
    this.run(id);
    return this.store.queue.history(id);
  }

  async updateRun({ id, ...changes }: { id: number; notes?: string; tags?: string[] }): Promise<Api.RunInfo> {
    this.run(id);
    const run = this.store.updateRun(id, changes)!;
    this.emit({ type: 'run-status', runId: id, run });
    return run;
  }

  async deleteRun({ id }: { id: number }): Promise<void> {
    this.run(id);
    if (this.runs.isActive(id)) await this.runs.forget(id);
    const { uid } = this.store.getRun(id)!;
    this.store.deleteRun(id);
    removeRunWeights(this.store.file, [uid]);
    removeRunCheckpoints(this.store.file, [uid]);
    this.emit({ type: 'run-status', runId: id, run: null });
    this.emit({ type: 'experiments-changed' });
  }

  // ── curves ──

  async listSeries({ runIds }: { runIds: number[] }): Promise<Api.RunSeriesNames[]> {
    return this.existingRuns(runIds).map((run) => ({
      runId: run.id,
      metrics: this.store.metricNames(run.id),
      traces: this.store.traceNames(run.id),
    }));
  }

  async readCurves({ runIds, series, maxPoints, stepRange }: Parameters<Api.LabApi['readCurves']>[0]): Promise<Api.EncodedRunCurves[]> {
    return this.existingRuns(runIds).map((run) => {
      const curves: Record<string, Api.EncodedCurve> = {};
      for (const name of series ?? [...this.store.metricNames(run.id), ...this.store.traceNames(run.id)]) {
        const columns = this.store.readRunCurveColumns(run, { series: name, maxPoints, stepRange });
        if (columns.step.length > 0) curves[name] = encodeCurve(columns);
      }
      // An epoch belongs to the range of the step that ended it.
      const epochs = this.store.readEpochMetrics(run.id).filter((e) => !stepRange || (e.steps - 1 >= stepRange.from && e.steps - 1 <= stepRange.to));
      return { runId: run.id, series: curves, epochs };
    });
  }

  // ── datasets ──

  async listDatasets(): Promise<Api.DatasetInfo[]> {
    return this.datasets.list();
  }

  async addDataset({ path, ...options }: { path: string; name?: string; target?: string }): Promise<Api.DatasetInfo> {
    const dataset = await this.datasets.addPath(path, options);
    this.emit({ type: 'datasets-changed' });
    return dataset;
  }

  async uploadDataset({ files, ...options }: { files: Api.ArchiveFile[]; name?: string; target?: string }): Promise<Api.DatasetInfo> {
    const dataset = await this.datasets.addUpload(files, options);
    this.emit({ type: 'datasets-changed' });
    return dataset;
  }

  async removeDataset({ id }: { id: number }): Promise<void> {
    this.datasets.remove(id);
    this.emit({ type: 'datasets-changed' });
  }

  async previewDataset({ id, count }: { id: number; count?: number }): Promise<Api.DatasetPreview> {
    return this.datasets.preview(id, count);
  }

  // ── architectures and optimizers ──

  async listPresets(): Promise<Api.PresetInfo[]> {
    return describePresets();
  }

  /** The network as a run would build it (buildModel: the same check a run request gets), layer by layer. */
  async describeArchitecture(p: {
    arch: string | ModelSpec;
    archOptions?: Record<string, string>;
    datasetId?: number;
    inputShape?: number[];
    outputSize?: number;
  }): Promise<Api.ArchitectureDescription> {
    const model = buildModel(p.arch, p.archOptions ?? {}, this.architectureIO(p));
    const { layers, paramCount } = model.describe();
    return { inputShape: model.inputShape, outputShape: model.outputShape, layers, paramCount, spec: model.spec };
  }

  async listOptimizers(): Promise<Api.OptimizerDescriptor[]> {
    return optimizerDescriptors();
  }

  // ── archives ──

  async exportExperiment({ experimentId }: { experimentId: number }): Promise<Api.ArchiveFile> {
    const { fileName, bytes } = await exportExperiment(this.store, experimentId, { appVersion: appVersion() });
    return { fileName, base64: Buffer.from(bytes).toString('base64') };
  }

  async exportWeights({ runId }: { runId: number }): Promise<Api.ArchiveFile> {
    const { fileName, bytes } = readRunWeights(this.store, runId);
    return { fileName, base64: Buffer.from(bytes).toString('base64') };
  }

  async importArchive({ base64, asCopy }: { base64: string; fileName?: string; asCopy?: boolean }): Promise<Api.ImportResult> {
    // Checked off this thread (a hostile archive takes seconds to refuse); written on it, with the lab's connection.
    const bytes = sharedBytesFromBase64(base64);
    const checked = await checkArchiveInWorker(this.store.archive, bytes);
    const result = importCheckedArchive(this.store, bytes, checked, { asCopy: asCopy === true });
    if (!result.alreadyPresent) this.emit({ type: 'experiments-changed' });
    if (!result.alreadyPresent && this.store.getStudy(result.experiment.id)) this.emit({ type: 'studies-changed' });
    return result;
  }

  // ── studies ──

  async listBuiltInStudies(): Promise<Api.BuiltInStudyInfo[]> {
    return listBuiltInStudies();
  }

  /**
   * startStudy's verdict without its writes: the request's structure, then every run the study expands
   * to through the one check of runs, every issue at once at its field in the request.
   */
  async checkStudy(payload: Api.StudyRequest): Promise<Api.StudyCheck> {
    const { spec, runCount, issues } = await this.studyCheck(payload);
    return { spec, runCount, issues };
  }

  /**
   * Checks the study once (as checkStudy), then stores it whole, in one transaction: one experiment
   * that keeps the spec (a built-in's expanded, with its name and scale) and a queued run per cell, and
   * queues the runs. Nothing is written while there is an issue (a RunSpecError naming its field).
   */
  async startStudy(request: Api.StudyRequest): Promise<Api.StudyInfo> {
    const checked = await this.studyCheck(request);
    const first = checked.issues[0];
    if (first || checked.spec === null) throw new RunSpecError(first?.field ?? '', first?.message ?? 'the study is not valid', checked.issues);
    const { spec, builtIn, runs } = checked;
    if (await this.datasets.ensureRegistered(spec.dataset, spec.target ?? null)) this.emit({ type: 'datasets-changed' });
    const task = this.datasets.find(spec.dataset, spec.target ?? null)!.task;
    const { experiment, runIds } = this.store.createStudy({ name: spec.name!, study: { spec, builtIn, task }, runs, pid: process.pid });
    await this.runs.queueResumable(runIds.map((runId, k) => ({ runId, spec: runs[k]!.spec })), experiment.id);
    this.emit({ type: 'experiments-changed' });
    this.emit({ type: 'studies-changed' });
    return studyInfo(studyRecord(this.store, experiment.id));
  }

  async listStudies(): Promise<Api.StudyInfo[]> {
    return this.store.listStudies().map(studyInfo);
  }

  async getStudy({ id }: { id: number }): Promise<Api.StudyDetail> {
    return studyDetail(this.store, id);
  }

  /** Built once per state of the study's runs (StudyReports), then rendered in the format asked. */
  async studyReport({ id, format }: { id: number; format: Api.StudyReportFormat }): Promise<Api.StudyReportFile> {
    return this.reports.file(this.store, id, format);
  }

  async resumeStudy({ id }: { id: number }): Promise<Api.StudyInfo> {
    return this.resume(id, { leftByLab: false });
  }

  /** resume({ leftByLab }) for every study; a study that cannot resume (its dataset is gone) is reported on stderr and left. */
  async resumeStudies(): Promise<void> {
    for (const { experiment } of this.store.listStudies()) {
      try {
        await this.resume(experiment.id, { leftByLab: true });
      } catch (error) {
        console.error(`curvelab: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  // ── helpers ──

  /**
   * Trains a study's interrupted runs on, each from its last checkpoint: each is checked again with the study (its
   * dataset must still load), made queued with its id kept and its rows after that checkpoint deleted (Store.requeueRun), and
   * queued here. Finished runs (completed, diverged, failed, cancelled) are never rerun. Refused
   * (LabError 'conflict') while another CurveLab process has runs of the study queued or training, or,
   * for a lab without the queue, while runs of it are on a Redis queue (a lab with the queue follows
   * those itself: they are active here, and never queued twice).
   * `leftByLab`: only runs a lab process left (their process id recorded), not runs an archive brought
   * in unfinished: what a lab resumes by itself when it opens.
   */
  private async resume(id: number, options: { leftByLab: boolean }): Promise<Api.StudyInfo> {
    const { study } = studyRecord(this.store, id);
    const runs = this.store.listRuns({ experimentId: id });
    const elsewhere = runs.filter((r) => (r.status === 'queued' || r.status === 'running') && !this.runs.isActive(r.id));
    if (elsewhere.length > 0 && !options.leftByLab) {
      const onQueue = elsewhere.filter((r) => this.store.queue.jobOf(r.id)?.jobId);
      if (onQueue.length > 0) {
        throw new LabError('conflict', `study ${id}: ${onQueue.length} of its runs are on a Redis queue; open the lab with that queue (--redis, CURVELAB_REDIS) to follow them`);
      }
      const pids = [...new Set(elsewhere.map((r) => r.pid))].join(', ');
      throw new LabError('conflict', `study ${id}: ${elsewhere.length} of its runs are queued or training in another CurveLab process (${pids}); resume it when that has stopped`);
    }
    const interrupted = runs.filter((r) => r.status === 'interrupted' && (!options.leftByLab || r.pid !== null));
    if (interrupted.length > 0 && elsewhere.length === 0) {
      const checked = await this.studyCheck({ spec: study.spec });
      const first = checked.issues[0];
      if (first) throw new LabError('invalid-input', `study ${id} cannot resume: ${first.field}: ${first.message}`);
      if (await this.datasets.ensureRegistered(study.spec.dataset, study.spec.target ?? null)) this.emit({ type: 'datasets-changed' });
      const cells = this.store.studyCells(id);
      const specs = new Map(checked.runs.map((r) => [cellKey(r.cell), r.spec]));
      const queued = interrupted.flatMap((run) => {
        const cell = cells.get(run.id);
        const spec = cell && specs.get(cellKey(cell));
        return spec && this.store.requeueRun(run.id, spec, process.pid, this.resumeStepOf(run)) ? [{ runId: run.id, spec }] : [];
      });
      await this.runs.queueResumable(queued, id);
      this.emit({ type: 'studies-changed' });
    }
    return studyInfo(studyRecord(this.store, id));
  }

  /** The step a resumed run goes on from (resumeStep); 0 with a queue, whose remote workers do not see the checkpoints. */
  private resumeStepOf(run: Api.RunInfo): number {
    return this.queue ? 0 : resumeStep(this.store.file, run.uid, run.storedSteps);
  }

  /** Deletes runs (what trains them stopped first) and an experiment, as far as the store can: the error that led here is the one to report. */
  private async discard(runIds: number[], experimentId: number | null): Promise<void> {
    try {
      for (const runId of runIds) {
        await this.runs.forget(runId);
        this.store.deleteRun(runId);
        this.emit({ type: 'run-status', runId, run: null });
      }
      if (experimentId !== null) this.store.deleteExperiment(experimentId);
    } catch (error) {
      console.error('curvelab: removing what a refused request wrote failed:', error);
    }
  }

  private emit(event: Api.LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('a lab event listener failed:', error);
      }
    }
  }

  private experiment(id: number): Api.ExperimentInfo {
    const experiment = this.store.getExperiment(id);
    if (!experiment) throw new LabError('not-found', `no experiment with id ${id}`);
    return experiment;
  }

  private run(id: number): Api.RunInfo {
    const run = this.store.getRun(id);
    if (!run) throw new LabError('not-found', `no run with id ${id}`);
    return run;
  }

  /** normalizeRuns on the request, with what the dataset registry knows of its dataset. */
  private async verdict(structure: RequestStructure): Promise<RunsVerdict> {
    const sound = soundAt(structure, 'base.dataset') && soundAt(structure, 'base.target');
    return normalizeRuns(structure, sound ? await this.datasetFacts(structure.request.base.dataset, structure.request.base.target) : null);
  }

  /**
   * A study request checked as startStudy checks it: its structure (a spec's fields, or a built-in's
   * name, scale, dataset and count), then studyVerdict on the spec (a built-in's made for its dataset's
   * split sizes). Issues are at their fields in the request: `spec.…` for a spec; for a built-in, what
   * its dataset cannot do is at `dataset` (or `target`).
   */
  private async studyCheck(payload: unknown): Promise<{ spec: StudySpec | null; builtIn: Api.StudyInfo['builtIn']; runs: StudyRun[]; runCount: number; issues: Api.FieldIssue[] }> {
    const parsed = studyRequestSchema.safeParse(payload);
    const issues = parsed.success ? [] : parsed.error.issues.map(fieldIssue);
    const request = (parsed.success ? parsed.data : payload) as Api.StudyRequest;
    if (typeof request === 'object' && request !== null && 'spec' in request) {
      const structure = studyStructure(request.spec);
      const sound = (field: string) => soundAt(structure, field);
      const facts = sound('dataset') && sound('target') ? await this.datasetFacts(structure.spec.dataset, structure.spec.target) : null;
      const verdict = studyVerdict(structure, facts);
      return {
        spec: structure.issues.length === 0 ? { ...structure.spec, name: structure.spec.name ?? studyNameFor(structure.spec) } : null,
        builtIn: null,
        runs: verdict.runs,
        runCount: verdict.runCount,
        issues: [...issues.filter((i) => !within(i.field, 'spec')), ...verdict.issues.map((i) => ({ ...i, field: i.field === '' ? 'spec' : `spec.${i.field}` }))],
      };
    }
    const builtIn = request as BuiltInStudyRequest;
    if (issues.length === 0 && builtIn.count !== undefined && builtIn.builtIn !== 'random-architectures') {
      issues.push({ field: 'count', message: `only random-architectures takes a count of networks; ${builtIn.builtIn} has none` });
    }
    if (issues.length > 0) return { spec: null, builtIn: null, runs: [], runCount: 0, issues };
    const facts = await this.datasetFacts(builtIn.dataset ?? 'mnist', builtIn.target);
    const spec = builtInStudySpec(builtIn, facts !== null && !('refusal' in facts) ? facts : {});
    const scale = builtIn.scale ?? 'tiny';
    const networks = builtIn.builtIn === 'random-architectures' ? ` · ${spec.architectures.flatMap(architectureLabels).length} networks` : '';
    const named = { ...spec, name: experimentName(`${builtIn.builtIn} · ${scale} · ${datasetName(spec.dataset)}${networks}`) };
    const verdict = studyVerdict(studyStructure(named), facts);
    return {
      spec: named,
      builtIn: { name: builtIn.builtIn, scale },
      runs: verdict.runs,
      runCount: verdict.runCount,
      // A built-in's spec is the lab's own: what fails in it is what its dataset cannot do.
      issues: verdict.issues.map((i) => ({ field: within(i.field, 'target') ? 'target' : 'dataset', message: i.message })),
    };
  }

  /** The shapes and split sizes of a dataset (registered, or loaded to see), or why it cannot be used. */
  private async datasetFacts(dataset: string, target: string | undefined): Promise<DatasetFacts> {
    try {
      const shapes = await this.datasets.shapes(dataset, target ?? null);
      return { ...shapes, ...(await this.datasets.splitSizes(dataset, target ?? null)) };
    } catch (error) {
      if (error instanceof UserInputError) return { refusal: error.message };
      throw error;
    }
  }

  /** The runs that exist, in the order asked (a run deleted meanwhile is skipped, not an error). */
  private existingRuns(ids: number[]): Api.RunInfo[] {
    return ids.map((id) => this.store.getRun(id)).filter((r): r is Api.RunInfo => r !== undefined);
  }

  private architectureIO(p: { datasetId?: number; inputShape?: number[]; outputSize?: number }): { inputShape: number[]; outputSize: number } {
    if (p.datasetId !== undefined) {
      const dataset = this.datasets.get(p.datasetId);
      return { inputShape: p.inputShape ?? dataset.inputShape, outputSize: p.outputSize ?? dataset.classes };
    }
    if (p.inputShape === undefined || p.outputSize === undefined) {
      throw new LabError('invalid-request', 'describeArchitecture: give datasetId, or inputShape and outputSize', 'datasetId');
    }
    return { inputShape: p.inputShape, outputSize: p.outputSize };
  }
}

function archName(arch: string | ModelSpec): string {
  return typeof arch === 'string' ? arch : 'custom model';
}

/** The one place a new experiment is named when the request does not: `dataset · architecture · optimizers`. */
export function experimentNameFor(request: Api.RunsRequest): string {
  const optimizers = request.optimizers.map((o) => o.name).join(' vs ');
  return experimentName(`${datasetName(request.base.dataset)} · ${archName(request.base.arch)} · ${optimizers}`);
}

/** The name a request's experiment would get, where the fields it is made of are sound ('' otherwise). */
function namedAfterRequest(structure: RequestStructure): string {
  const { request } = structure;
  const sound = (field: string): boolean => soundAt(structure, field);
  const named = sound('base.dataset') && sound('base.arch') && Array.isArray(request.optimizers) && request.optimizers.every((_, i) => sound(`optimizers.${i}.name`));
  return named ? experimentNameFor(request) : '';
}

/** Why runs are not added to a study's experiment: each of its runs is a cell of its table. */
function studyExperimentRefusal(experiment: Api.ExperimentInfo): string {
  return `experiment ${experiment.id} (${JSON.stringify(experiment.name)}) is a study: its runs are the cells of its table; add runs to another experiment`;
}

/** A study spec's experiment name when it has none: `mnist · 4 architectures × CurveBall vs SGD`. */
function studyNameFor(spec: StudySpec): string {
  const rows = spec.architectures.flatMap(architectureLabels).length;
  const optimizers = spec.optimizers.map(optimizerLabel).join(' vs ');
  return experimentName(`${datasetName(spec.dataset)} · ${rows} architecture${rows === 1 ? '' : 's'} × ${optimizers}`);
}

/** A name the lab makes, cut to the longest an experiment's name may be (a long dataset path makes long ones). */
function experimentName(name: string): string {
  return name.slice(0, runSpecLimits.maxExperimentName);
}
