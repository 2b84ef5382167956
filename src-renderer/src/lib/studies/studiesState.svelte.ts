import type {
  BuiltInStudyInfo,
  BuiltInStudyName,
  DatasetInfo,
  FieldIssue,
  LabEvent,
  StudyCheck,
  StudyDetail,
  StudyInfo,
  StudyReportFile,
  StudyReportFormat,
  StudyRequest,
  StudyScale,
} from '$api/labApi';
import { runStatusClass } from '$shared/runStatus';
import { RefreshThrottle } from '../compare/refreshThrottle';
import type { LabClient } from '../lab/labClient';
import { isActive, type LiveProgress } from '../runs/runRows';
import { errorText, issueOf } from '../shell/errorText';
import { placeStudyIssues, type ShownIssue } from './placeStudyIssues';
import { studyGrid, type StudyRun } from './studyGrid';
import { buildStudyRequest, type StudyFormField, type StudySource } from './studyRequest';
import { studySummary } from './studySummary';

export interface StudiesOptions {
  /** Live refetches (the list, the open study) happen at most this often. */
  refreshIntervalMs?: number;
}

/** The lab's verdict on one request: its check, or the issue a refused call became. */
interface Verdict {
  key: string;
  check: StudyCheck | null;
  issues: FieldIssue[];
}

const fixFirst = 'Fix what is marked above first.';

/** A small study to start from: two architectures × two optimizers × one seed on the embedded MNIST. */
const exampleStudySpec = JSON.stringify(
  {
    name: 'linear vs mlp',
    dataset: 'mnist',
    trainSize: 2000,
    valSize: 500,
    architectures: [{ preset: 'linear' }, { preset: 'mlp', options: { widths: '16' } }],
    optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
    seeds: [0],
    budget: { steps: 60 },
    batchSize: 32,
  },
  null,
  2,
);

/**
 * The Studies screen: start a study (a built-in at a scale on a registered dataset, or a JSON spec) with
 * the lab's verdict while typing; the list of studies and their progress; one open study's cells, its
 * failures, its report, and Resume for its interrupted runs. Kept current by the lab's events:
 * studies-changed and the runs' status refetch the list and the open study (throttled), run-progress moves
 * the open study's running cells.
 */
export class StudiesState {
  builtIns = $state.raw<BuiltInStudyInfo[]>([]);
  datasets = $state.raw<DatasetInfo[]>([]);
  loaded = $state(false);
  loadError = $state('');

  source = $state<StudySource>('built-in');
  builtInName = $state<BuiltInStudyName>('seed-table');
  scale = $state<StudyScale>('tiny');
  datasetId = $state<number | null>(null);
  countText = $state('');
  jsonText = $state(exampleStudySpec);

  builtIn = $derived(this.builtIns.find((b) => b.name === this.builtInName) ?? null);
  dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  /** The request Start would send, or what the form cannot read. */
  draft = $derived(
    buildStudyRequest({
      source: this.source,
      builtIn: this.builtInName,
      scale: this.scale,
      dataset: this.dataset,
      countText: this.countText,
      jsonText: this.jsonText,
    }),
  );
  /** Changes whenever the lab must judge the form again ('' while it does not read). */
  checkKey = $derived(this.draft.ok ? JSON.stringify(this.draft.request) : '');
  private verdict = $state.raw<Verdict | null>(null);
  /** The lab's check of the form as it is now; null while asking, or when the form does not read. */
  check = $derived(this.verdict !== null && this.verdict.key === this.checkKey ? this.verdict.check : null);
  /** Where the lab's verdict on the form stands: the form does not read, asking, it would start it, it would not. */
  verdictStatus = $derived.by((): 'unreadable' | 'asking' | 'ready' | 'refused' => {
    if (!this.draft.ok) return 'unreadable';
    if (this.verdict === null || this.verdict.key !== this.checkKey) return 'asking';
    return this.verdict.issues.length === 0 ? 'ready' : 'refused';
  });
  /** The runs Start would queue, as the lab counts them (null unless it would start the study). */
  runCount = $derived(this.verdictStatus === 'ready' ? (this.check?.runCount ?? null) : null);
  summary = $derived(this.verdictStatus === 'ready' && this.check?.spec ? studySummary(this.check.spec) : null);
  private placed = $derived(placeStudyIssues(this.verdict?.issues ?? []));
  /** Per form field: what the form cannot read, else the lab's issues with it. */
  issues = $derived.by((): Partial<Record<StudyFormField, ShownIssue[]>> => {
    const local = this.draft.ok ? {} : this.draft.errors;
    const shown: Partial<Record<StudyFormField, ShownIssue[]>> = { ...this.placed.byField };
    for (const [field, message] of Object.entries(local)) shown[field as StudyFormField] = [{ where: '', message }];
    return shown;
  });
  /** The lab's issues no field shows. */
  generalIssues = $derived(this.draft.ok ? this.placed.general : []);
  starting = $state(false);
  startNote = $state('');

  studies = $state.raw<StudyInfo[]>([]);
  listError = $state('');

  selectedId = $state<number | null>(null);
  detail = $state.raw<StudyDetail | null>(null);
  detailError = $state('');
  /** The latest run-progress event of the open study's training runs. */
  live = $state.raw<Record<number, LiveProgress>>({});
  grid = $derived(this.detail ? studyGrid(this.detail.runs) : null);
  /** The open study's runs that diverged or failed, with why. */
  failures = $derived<StudyRun[]>(this.detail?.runs.filter((r) => runStatusClass(r.status) === 'failure') ?? []);
  resuming = $state(false);
  /** Why the lab would not resume the open study (another lab trains it, its dataset is gone). */
  resumeError = $state('');

  /** The open study's HTML report as it stood when fetched. */
  report = $state.raw<{ studyId: number; html: string } | null>(null);
  reportLoading = $state(false);
  reportError = $state('');
  downloading = $state<StudyReportFormat | null>(null);
  downloadError = $state('');

  private readonly throttle: RefreshThrottle;
  private checkRequest = 0;
  private detailRequest = 0;
  private reportRequest = 0;

  constructor(
    private readonly client: LabClient,
    options: StudiesOptions = {},
  ) {
    this.throttle = new RefreshThrottle(() => this.refresh(), options.refreshIntervalMs ?? 1000);
  }

  /** Loads the choices and the studies and follows the lab's events; returns the function that stops. */
  attach(): () => void {
    const unsubscribe = this.client.subscribe((event) => this.apply(event));
    void this.load();
    return () => {
      unsubscribe();
      this.throttle.cancelPending();
    };
  }

  async load(): Promise<void> {
    try {
      const [builtIns, datasets, studies] = await Promise.all([this.client.listBuiltInStudies(), this.client.listDatasets(), this.client.listStudies()]);
      this.builtIns = builtIns;
      if (!builtIns.some((b) => b.name === this.builtInName) && builtIns[0]) this.chooseBuiltIn(builtIns[0].name);
      this.setDatasets(datasets);
      this.studies = studies;
      this.loadError = '';
      this.listError = '';
      this.loaded = true;
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  apply(event: LabEvent): void {
    switch (event.type) {
      case 'studies-changed':
      case 'experiments-changed':
        this.throttle.request();
        break;
      case 'run-status':
        if (this.concerns(event.runId, event.run?.experimentId)) this.throttle.request();
        break;
      case 'run-progress': {
        const run = this.detail?.runs.find((r) => r.id === event.runId);
        if (!run || !isActive(run.status)) break;
        const { step, totalSteps, epoch, loss, accuracy, seconds } = event;
        this.live = { ...this.live, [event.runId]: { step, totalSteps, epoch, loss, accuracy, seconds } };
        break;
      }
      case 'datasets-changed':
        void this.load();
        break;
      case 'run-epoch':
        break;
    }
  }

  /** A run of a listed study (or of one not listed yet), or of the open one. */
  private concerns(runId: number, experimentId: number | undefined): boolean {
    if (this.detail?.runs.some((r) => r.id === runId)) return true;
    return experimentId !== undefined && (!this.loaded || this.studies.some((s) => s.id === experimentId));
  }

  /** The embedded MNIST is the built-ins' default dataset. */
  private setDatasets(datasets: DatasetInfo[]): void {
    this.datasets = datasets;
    if (!datasets.some((d) => d.id === this.datasetId)) this.datasetId = (datasets.find((d) => d.origin === 'embedded') ?? datasets[0])?.id ?? null;
  }

  chooseBuiltIn(name: BuiltInStudyName): void {
    this.builtInName = name;
    const scales = this.builtIns.find((b) => b.name === name)?.scales ?? [];
    if (scales.length > 0 && !scales.some((s) => s.scale === this.scale)) this.scale = scales[0]!.scale;
  }

  // ─── The lab's verdict and Start ───────────────────────────────────────────────────────────────

  /** Asks the lab for its verdict on the form as it is now; a form that does not read asks nothing. */
  async checkForm(): Promise<void> {
    const request = ++this.checkRequest;
    if (!this.draft.ok) {
      this.verdict = null;
      return;
    }
    await this.judge(request, this.draft.request);
  }

  /**
   * Starts the form's study and opens it: its cells and report are there when this returns (so the
   * screen only has to show them). Null when the form or the lab's verdict has issues, or the lab refused.
   */
  async start(): Promise<StudyInfo | null> {
    this.startNote = '';
    if (!this.draft.ok) {
      this.startNote = fixFirst;
      return null;
    }
    const request = this.draft.request;
    const key = this.checkKey;
    this.starting = true;
    let study: StudyInfo;
    try {
      // startStudy checks the request again; a verdict on this very request is not asked twice.
      const verdict = this.verdict?.key === key ? this.verdict : await this.judge(++this.checkRequest, request);
      if (verdict.issues.length > 0) {
        this.startNote = fixFirst;
        return null;
      }
      study = await this.client.startStudy(request);
    } catch (error) {
      this.verdict = { key, check: null, issues: [issueOf(error)] };
      return null;
    } finally {
      this.starting = false;
    }
    this.studies = [study, ...this.studies.filter((s) => s.id !== study.id)];
    await this.open(study.id);
    return study;
  }

  /** The lab's verdict on `request`; shown unless a newer check started meanwhile. A refused check is its one issue. */
  private async judge(checkRequest: number, request: StudyRequest): Promise<Verdict> {
    const key = JSON.stringify(request);
    let verdict: Verdict;
    try {
      const check = await this.client.checkStudy(request);
      verdict = { key, check, issues: check.issues };
    } catch (error) {
      verdict = { key, check: null, issues: [issueOf(error)] };
    }
    if (checkRequest === this.checkRequest) this.verdict = verdict;
    return verdict;
  }

  // ─── The open study ────────────────────────────────────────────────────────────────────────────

  /** Shows one study: its runs by cell and its report. */
  async open(id: number): Promise<void> {
    if (this.selectedId !== id) {
      this.selectedId = id;
      this.detail = null;
      this.report = null;
      this.live = {};
      this.resumeError = '';
    }
    await Promise.all([this.loadDetail(), this.loadReport()]);
  }

  close(): void {
    this.selectedId = null;
    this.detail = null;
    this.report = null;
    this.live = {};
    this.resumeError = '';
    this.detailRequest++;
    this.reportRequest++;
  }

  /** Trains the open study's interrupted runs again (finished ones are never rerun); a refusal is said in resumeError. */
  async resume(): Promise<void> {
    const id = this.selectedId;
    if (id === null) return;
    this.resuming = true;
    this.resumeError = '';
    try {
      const study = await this.client.resumeStudy({ id });
      this.studies = this.studies.map((s) => (s.id === id ? study : s));
      await this.loadDetail();
    } catch (error) {
      if (this.selectedId === id) this.resumeError = errorText(error);
    } finally {
      this.resuming = false;
    }
  }

  /** The list and the open study again; the report too when the open study has just finished. */
  private async refresh(): Promise<void> {
    await Promise.all([this.loadStudies(), this.loadDetail()]);
  }

  private async loadStudies(): Promise<void> {
    try {
      this.studies = await this.client.listStudies();
      this.listError = '';
      if (this.selectedId !== null && !this.studies.some((s) => s.id === this.selectedId)) this.close();
    } catch (error) {
      this.listError = errorText(error);
    }
  }

  private async loadDetail(): Promise<void> {
    const id = this.selectedId;
    if (id === null) return;
    const request = ++this.detailRequest;
    try {
      const detail = await this.client.getStudy({ id });
      if (request !== this.detailRequest) return;
      const justFinished = this.detail !== null && this.detail.study.id === id && !this.detail.study.finished && detail.study.finished;
      this.detail = detail;
      this.studies = this.studies.map((s) => (s.id === id ? detail.study : s));
      this.live = Object.fromEntries(Object.entries(this.live).filter(([runId]) => detail.runs.some((r) => r.id === Number(runId) && isActive(r.status))));
      this.detailError = '';
      if (justFinished) void this.loadReport();
    } catch (error) {
      if (request === this.detailRequest) this.detailError = errorText(error);
    }
  }

  /** Fetches the open study's HTML report as it stands now. */
  async loadReport(): Promise<void> {
    const id = this.selectedId;
    if (id === null) return;
    const request = ++this.reportRequest;
    this.reportLoading = true;
    try {
      const file = await this.client.studyReport({ id, format: 'html' });
      if (request !== this.reportRequest) return;
      this.report = { studyId: id, html: file.text };
      this.reportError = '';
    } catch (error) {
      if (request === this.reportRequest) this.reportError = errorText(error);
    } finally {
      if (request === this.reportRequest) this.reportLoading = false;
    }
  }

  /** The open study's report in one format, for saving; null (and downloadError) when the lab refused. */
  async download(format: StudyReportFormat): Promise<StudyReportFile | null> {
    const id = this.selectedId;
    if (id === null) return null;
    this.downloading = format;
    this.downloadError = '';
    try {
      return await this.client.studyReport({ id, format });
    } catch (error) {
      this.downloadError = errorText(error);
      return null;
    } finally {
      this.downloading = null;
    }
  }
}
