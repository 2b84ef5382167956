import type { DatasetInfo, DatasetPreview, LabEvent } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText } from '../shell/errorText';
import { readFileAsBase64, type ReadableFile } from '../shell/fileTransfer';

/** The Lab API takes at most this many files in one upload (labSchemas). */
const maxUploadFiles = 16;
/** Sample images in a preview grid. */
const previewCount = 24;

/**
 * The Datasets screen: the registered datasets, adding one from a path on the lab's machine or from
 * uploaded files, a preview of the selected one, and removal. Every failure lands in a field next to
 * the control that caused it (`fileError` beside the path and upload fields, `removeErrors` per row).
 */
export class DatasetsState {
  datasets = $state.raw<DatasetInfo[]>([]);
  listError = $state('');

  /** The add form: a path on the lab's machine, or files to upload, with an optional name and CSV target. */
  path = $state('');
  name = $state('');
  target = $state('');
  busy = $state(false);
  fileError = $state('');
  /** Which control the error is about, so only that one is marked invalid. */
  fileErrorSource = $state<'path' | 'upload' | null>(null);
  notice = $state('');

  selectedId = $state<number | null>(null);
  preview = $state.raw<DatasetPreview | null>(null);
  previewError = $state('');
  previewLoading = $state(false);

  removeErrors = $state<Record<number, string>>({});
  /** The dataset whose Remove button was pressed once and now asks for confirmation. */
  confirmingRemove = $state<number | null>(null);

  selected = $derived(this.datasets.find((d) => d.id === this.selectedId) ?? null);

  private previewRequest = 0;

  constructor(private readonly client: LabClient) {}

  /** Loads the list (showing the first dataset) and follows `datasets-changed`; returns the function that stops following. */
  attach(): () => void {
    void this.refresh().then(() => {
      const first = this.datasets[0];
      if (this.selectedId === null && first) void this.select(first.id);
    });
    return this.client.subscribe((event: LabEvent) => {
      if (event.type === 'datasets-changed') void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    try {
      this.datasets = await this.client.listDatasets();
      this.listError = '';
      if (this.selectedId !== null && !this.datasets.some((d) => d.id === this.selectedId)) this.clearSelection();
    } catch (error) {
      this.listError = errorText(error);
    }
  }

  async addFromPath(): Promise<void> {
    const path = this.path.trim();
    if (path === '') {
      this.setFileError('path', "path: enter a file or folder on the lab's machine (IDX files, a CIFAR batch folder or a CSV file)");
      return;
    }
    await this.register('path', () => this.client.addDataset({ path, ...this.nameAndTarget() }));
    if (this.fileError === '') this.path = '';
  }

  async upload(files: readonly ReadableFile[]): Promise<void> {
    if (files.length === 0) {
      this.setFileError('upload', 'upload: choose one or more files');
      return;
    }
    if (files.length > maxUploadFiles) {
      this.setFileError('upload', `upload: at most ${maxUploadFiles} files at once, got ${files.length}`);
      return;
    }
    await this.register('upload', async () => {
      const encoded = await Promise.all(files.map(async (file) => ({ fileName: file.name, base64: await readFileAsBase64(file) })));
      return this.client.uploadDataset({ files: encoded, ...this.nameAndTarget() });
    });
  }

  private nameAndTarget(): { name?: string; target?: string } {
    const name = this.name.trim();
    const target = this.target.trim();
    return { ...(name === '' ? {} : { name }), ...(target === '' ? {} : { target }) };
  }

  private setFileError(source: 'path' | 'upload' | null, text: string): void {
    this.fileError = text;
    this.fileErrorSource = text === '' ? null : source;
  }

  /** Runs an add or upload; on success refreshes the list and shows the new dataset. */
  private async register(source: 'path' | 'upload', call: () => Promise<DatasetInfo>): Promise<void> {
    this.busy = true;
    this.setFileError(null, '');
    this.notice = '';
    try {
      const dataset = await call();
      this.notice = `Added “${dataset.name}”.`;
      this.name = '';
      this.target = '';
      await this.refresh();
      await this.select(dataset.id);
    } catch (error) {
      this.setFileError(source, errorText(error));
    } finally {
      this.busy = false;
    }
  }

  async select(id: number): Promise<void> {
    this.selectedId = id;
    this.preview = null;
    this.previewError = '';
    this.previewLoading = true;
    const request = ++this.previewRequest;
    try {
      const preview = await this.client.previewDataset({ id, count: previewCount });
      if (request === this.previewRequest) this.preview = preview;
    } catch (error) {
      if (request === this.previewRequest) this.previewError = errorText(error);
    } finally {
      if (request === this.previewRequest) this.previewLoading = false;
    }
  }

  private clearSelection(): void {
    this.previewRequest += 1;
    this.selectedId = null;
    this.preview = null;
    this.previewError = '';
    this.previewLoading = false;
  }

  /** First press asks for confirmation; `remove` after it deletes. */
  askRemove(id: number | null): void {
    this.confirmingRemove = id;
  }

  async remove(id: number): Promise<void> {
    this.confirmingRemove = null;
    const { [id]: _previous, ...others } = this.removeErrors;
    this.removeErrors = others;
    try {
      await this.client.removeDataset({ id });
      if (this.selectedId === id) this.clearSelection();
      await this.refresh();
    } catch (error) {
      this.removeErrors = { ...this.removeErrors, [id]: errorText(error) };
    }
  }
}
