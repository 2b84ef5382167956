import type {
  ArchitectureDescription,
  BackendInfo,
  DatasetInfo,
  FieldIssue,
  LabEvent,
  OptimizerDescriptor,
  PresetInfo,
  RunsRequest,
  RunsStarted,
} from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText, issueOf } from '../shell/errorText';
import { architectureFields, defaultPresetValues, type ArchitectureChoice } from './architectureChoice';
import { defaultOptionInputs, type OptionInput } from './optionInputs';
import { placeIssues, type PlacedIssues } from './placeIssues';
import { buildRunsRequest, type Bound, type FormErrors, type RunForm } from './runsRequest';
import { parseSeeds } from './seeds';

export type ArchitectureMode = 'preset' | 'json';

/** The lab's issues with one request (empty: startRuns would take it). */
interface Verdict {
  request: RunsRequest;
  issues: FieldIssue[];
}

/** Errors the form shows only once Start was pressed: nothing chosen yet is not a mistake while filling in. */
const choiceFields = ['dataset', 'optimizers'];
const fixFieldsFirst = 'Fix the fields marked above first.';

const exampleSpec = JSON.stringify(
  { layers: [{ type: 'flatten' }, { type: 'dense', units: 64 }, { type: 'relu' }, { type: 'dense', units: 10 }] },
  null,
  2,
);

/**
 * The New run screen: the choices the lab offers (datasets, presets, optimizers, its backend), the form,
 * the architecture table for the current choice, the lab's verdict on the form, and starting. However
 * many optimizers and seeds are ticked, Start sends one startRuns request (one experiment); the form
 * reads what was typed, and the lab (checkRuns) judges it and names the experiment when the user does not.
 */
export class NewRunState {
  datasets = $state.raw<DatasetInfo[]>([]);
  presets = $state.raw<PresetInfo[]>([]);
  optimizers = $state.raw<OptimizerDescriptor[]>([]);
  backend = $state.raw<BackendInfo | null>(null);
  /** The address of the lab's queue when runs train on its workers (each on its own backend); null when they train in the lab. */
  queueAddress = $state<string | null>(null);
  loadError = $state('');
  loaded = $state(false);

  datasetId = $state<number | null>(null);
  architectureMode = $state<ArchitectureMode>('preset');
  presetName = $state('');
  /** Option texts per preset, so switching presets back and forth keeps what was typed. */
  presetValues = $state<Record<string, Record<string, string>>>({});
  jsonText = $state(exampleSpec);
  /** Ticked optimizers, kept in the order of the lab's list. */
  selectedOptimizers = $state<string[]>([]);
  optionInputs = $state<Record<string, Record<string, OptionInput>>>({});
  seedsText = $state('0');
  batchSizeText = $state('64');
  bound = $state<Bound>('epochs');
  epochsText = $state('1');
  stepsText = $state('200');
  experimentName = $state('');

  starting = $state(false);
  /** The experiment name the lab chooses when the field is left empty (from its last verdict). */
  suggestedName = $state('');

  description = $state.raw<ArchitectureDescription | null>(null);
  architectureError = $state('');
  describing = $state(false);

  dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  preset = $derived(this.presets.find((p) => p.name === this.presetName) ?? null);
  architecture = $derived<ArchitectureChoice>(
    this.architectureMode === 'preset'
      ? { kind: 'preset', preset: this.preset, values: this.presetValues[this.presetName] ?? {} }
      : { kind: 'json', text: this.jsonText },
  );
  form = $derived<RunForm>({
    dataset: this.dataset,
    architecture: this.architecture,
    optimizers: this.optimizers
      .filter((o) => this.selectedOptimizers.includes(o.name))
      .map((descriptor) => ({ descriptor, inputs: this.optionInputs[descriptor.name] ?? {} })),
    seedsText: this.seedsText,
    batchSizeText: this.batchSizeText,
    bound: this.bound,
    epochsText: this.epochsText,
    stepsText: this.stepsText,
    experimentName: this.experimentName,
  });
  /** The seed list as read so far, shown live under the field. */
  seeds = $derived(parseSeeds(this.seedsText));
  seedCount = $derived(this.seeds.ok ? this.seeds.value.length : 1);
  runCount = $derived(Math.max(1, this.selectedOptimizers.length) * this.seedCount);
  /** Changes whenever the architecture table must be fetched again (dataset or architecture). */
  describeKey = $derived(JSON.stringify([this.datasetId, this.architecture.kind === 'preset' ? architectureFields(this.architecture) : this.jsonText]));

  /** The request Start would send, or what the form cannot read. */
  draft = $derived(buildRunsRequest(this.form));
  /** Changes whenever the lab must judge the form again. */
  checkKey = $derived(this.draft.ok ? JSON.stringify(this.draft.request) : '');
  private verdict = $state.raw<Verdict | null>(null);
  private placed = $derived<PlacedIssues>(this.verdict ? placeIssues(this.verdict.issues, this.verdict.request) : { errors: {}, general: [] });
  private startPressed = $state(false);
  private startNote = $state('');
  /** Errors by form field: what the form cannot read, else the lab's issue with the field. */
  errors = $derived<FormErrors>({
    ...this.placed.errors,
    ...Object.fromEntries(Object.entries(this.draft.ok ? {} : this.draft.errors).filter(([field]) => this.startPressed || !choiceFields.includes(field))),
  });
  /** The line beside Start: the lab's issues that no field shows, else why the last Start did nothing. */
  startError = $derived(this.placed.general.length > 0 ? this.placed.general.join(' ') : this.startNote);

  private describeRequest = 0;
  private checkRequest = 0;

  constructor(private readonly client: LabClient) {}

  /** Loads the lab's choices and follows `datasets-changed`; returns the function that stops following. */
  attach(): () => void {
    void this.load();
    return this.client.subscribe((event: LabEvent) => {
      if (event.type === 'datasets-changed') void this.reloadDatasets();
    });
  }

  async load(): Promise<void> {
    try {
      const [datasets, presets, optimizers, machine] = await Promise.all([
        this.client.listDatasets(),
        this.client.listPresets(),
        this.client.listOptimizers(),
        this.client.getMachine(),
      ]);
      this.presets = presets;
      this.optimizers = optimizers;
      this.backend = machine.backend;
      this.queueAddress = machine.queue?.address ?? null;
      this.setDatasets(datasets);
      if (this.preset === null) this.choosePreset(presets.find((p) => p.name === 'mlp')?.name ?? presets[0]?.name ?? '');
      for (const optimizer of optimizers) {
        if (!(optimizer.name in this.optionInputs)) this.optionInputs[optimizer.name] = defaultOptionInputs(optimizer);
      }
      this.loadError = '';
      this.loaded = true;
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  private async reloadDatasets(): Promise<void> {
    try {
      this.setDatasets(await this.client.listDatasets());
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  private setDatasets(datasets: DatasetInfo[]): void {
    this.datasets = datasets;
    if (!datasets.some((d) => d.id === this.datasetId)) this.datasetId = datasets[0]?.id ?? null;
  }

  choosePreset(name: string): void {
    this.presetName = name;
    const preset = this.presets.find((p) => p.name === name);
    if (preset && !(name in this.presetValues)) this.presetValues[name] = defaultPresetValues(preset);
  }

  setPresetOption(option: string, value: string): void {
    this.presetValues[this.presetName] = { ...this.presetValues[this.presetName], [option]: value };
  }

  toggleOptimizer(name: string, ticked: boolean): void {
    const others = this.selectedOptimizers.filter((n) => n !== name);
    const chosen = ticked ? [...others, name] : others;
    const order = this.optimizers.map((o) => o.name);
    this.selectedOptimizers = chosen.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  setOption(optimizer: string, option: string, value: OptionInput): void {
    this.optionInputs[optimizer] = { ...this.optionInputs[optimizer], [option]: value };
  }

  resetOptions(optimizer: string): void {
    const descriptor = this.optimizers.find((o) => o.name === optimizer);
    if (descriptor) this.optionInputs[optimizer] = defaultOptionInputs(descriptor);
  }

  /**
   * Fetches the layer table for the current dataset and architecture. A choice that does not parse is
   * reported without a call; an answer that arrives after a newer request is dropped.
   */
  async describe(): Promise<void> {
    const request = ++this.describeRequest;
    const fields = architectureFields(this.architecture);
    if (!fields.ok) {
      this.description = null;
      this.architectureError = fields.error;
      this.describing = false;
      return;
    }
    this.describing = true;
    try {
      const description = await this.client.describeArchitecture({
        ...fields.value,
        ...(this.datasetId === null ? {} : { datasetId: this.datasetId }),
      });
      if (request !== this.describeRequest) return;
      this.description = description;
      this.architectureError = '';
    } catch (error) {
      if (request !== this.describeRequest) return;
      this.description = null;
      this.architectureError = errorText(error);
    } finally {
      if (request === this.describeRequest) this.describing = false;
    }
  }

  /** Asks the lab for its verdict on the form as it is now; a form that does not read clears the last one. */
  async check(): Promise<void> {
    const request = ++this.checkRequest;
    if (!this.draft.ok) {
      this.verdict = null;
      return;
    }
    await this.judge(request, this.draft.request);
  }

  /** Starts the form's runs; null when the form or the lab's verdict has errors, or the lab refused. */
  async start(): Promise<RunsStarted | null> {
    this.startPressed = true;
    this.startNote = '';
    if (!this.draft.ok) {
      this.startNote = fixFieldsFirst;
      return null;
    }
    const request = this.draft.request;
    this.starting = true;
    try {
      // The lab judges the request again as it starts it: a verdict on this very request is not asked twice.
      const current = this.verdict !== null && JSON.stringify(this.verdict.request) === this.checkKey ? this.verdict : null;
      const verdict = current ?? (await this.judge(++this.checkRequest, request));
      if (verdict.issues.length > 0) {
        this.startNote = fixFieldsFirst;
        return null;
      }
      return await this.client.startRuns(request);
    } catch (error) {
      this.verdict = { request, issues: [issueOf(error)] };
      return null;
    } finally {
      this.starting = false;
    }
  }

  /** The lab's verdict on `request`; it is shown unless a newer check started meanwhile. A refused check is its one issue. */
  private async judge(checkRequest: number, request: RunsRequest): Promise<Verdict> {
    let verdict: Verdict;
    let experimentName: string | null = null;
    try {
      const check = await this.client.checkRuns(request);
      verdict = { request, issues: check.issues };
      experimentName = check.experimentName;
    } catch (error) {
      verdict = { request, issues: [issueOf(error)] };
    }
    if (checkRequest === this.checkRequest) {
      this.verdict = verdict;
      if (experimentName !== null && request.experimentName === undefined) this.suggestedName = experimentName;
    }
    return verdict;
  }
}
