import type { ArchitectureDescription, BackendInfo, DatasetInfo, ExperimentInfo, LabEvent, OptimizerInfo, PresetInfo, RunInfo } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText } from '../shell/errorText';
import { architectureFields, defaultPresetValues, type ArchitectureChoice } from './architectureChoice';
import { defaultOptionInputs, type OptionInput } from './optionValues';
import { parseSeeds } from './seeds';
import { buildStartRequest, suggestedExperimentName, type Bound, type FormErrors, type RunForm, type StartRequest } from './startRequest';

export type ArchitectureMode = 'preset' | 'json';

/** What a successful start created: the runs (queued) and the experiment they are in. */
export interface StartedRuns {
  experimentId: number;
  experiment: ExperimentInfo | null;
  runs: RunInfo[];
}

const exampleSpec = JSON.stringify(
  { layers: [{ type: 'flatten' }, { type: 'dense', units: 64 }, { type: 'relu' }, { type: 'dense', units: 10 }] },
  null,
  2,
);

/**
 * The New run / sweep screen: the choices the lab offers (datasets, presets, optimizers, its backend),
 * the form, the architecture table for the current choice, and starting. One optimizer and one seed
 * start a run; more start a sweep as one experiment.
 */
export class NewRunState {
  datasets = $state.raw<DatasetInfo[]>([]);
  presets = $state.raw<PresetInfo[]>([]);
  optimizers = $state.raw<OptimizerInfo[]>([]);
  backend = $state.raw<BackendInfo | null>(null);
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

  errors = $state<FormErrors>({});
  startError = $state('');
  starting = $state(false);

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
      .map((info) => ({ info, inputs: this.optionInputs[info.name] ?? {} })),
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
  isSweep = $derived(this.selectedOptimizers.length > 1 || this.seedCount > 1);
  suggestedName = $derived(suggestedExperimentName(this.form));
  /** Changes whenever the architecture table must be fetched again (dataset or architecture). */
  describeKey = $derived(JSON.stringify([this.datasetId, this.architecture.kind === 'preset' ? architectureFields(this.architecture) : this.jsonText]));

  private describeRequest = 0;

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
    const info = this.optimizers.find((o) => o.name === optimizer);
    if (info) this.optionInputs[optimizer] = defaultOptionInputs(info);
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

  /** The payload the Start button would send, or null with `errors` filled in. */
  buildRequest(): StartRequest | null {
    const result = buildStartRequest(this.form);
    this.errors = result.ok ? {} : result.errors;
    return result.ok ? result.request : null;
  }

  /** Starts the run or sweep; null when the form has errors or the lab refused (see `startError`). */
  async start(): Promise<StartedRuns | null> {
    const request = this.buildRequest();
    this.startError = '';
    if (request === null) {
      this.startError = 'Fix the fields marked above first.';
      return null;
    }
    this.starting = true;
    try {
      if (request.kind === 'run') {
        const run = await this.client.startRun(request.payload);
        return { experimentId: run.experimentId, experiment: null, runs: [run] };
      }
      const sweep = await this.client.startSweep(request.payload);
      return { experimentId: sweep.experiment.id, experiment: sweep.experiment, runs: sweep.runs };
    } catch (error) {
      this.startError = errorText(error);
      return null;
    } finally {
      this.starting = false;
    }
  }
}
