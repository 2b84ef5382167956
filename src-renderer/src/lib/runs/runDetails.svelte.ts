import type { RunHistoryEntry } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText } from '../shell/errorText';

/**
 * The run whose details are open on the Runs screen (one at a time) and its history as the lab tells
 * it: queued as a job, taken by a worker, moved to another when its worker went away. The history is
 * read when the details open and again whenever the run changes, since that is when an entry is added.
 */
export class RunDetails {
  runId = $state<number | null>(null);
  /** Oldest first; empty while loading and for a run with nothing recorded. */
  history = $state.raw<RunHistoryEntry[]>([]);
  /** Why the history could not be read, in words. */
  error = $state('');
  private request = 0;

  constructor(private readonly client: Pick<LabClient, 'getRunHistory'>) {}

  isOpen(runId: number): boolean {
    return this.runId === runId;
  }

  async open(runId: number): Promise<void> {
    if (this.runId !== runId) {
      this.runId = runId;
      this.history = [];
      this.error = '';
    }
    await this.load(runId);
  }

  close(): void {
    this.request += 1;
    this.runId = null;
    this.history = [];
    this.error = '';
  }

  async toggle(runId: number): Promise<void> {
    if (this.isOpen(runId)) this.close();
    else await this.open(runId);
  }

  /** A run changed (a run-status event): when its details are open, its history is read again. */
  async refreshIfOpen(runId: number): Promise<void> {
    if (this.isOpen(runId)) await this.load(runId);
  }

  /** Only the answer to the latest request lands: an earlier one, or one for a run since closed, is dropped. */
  private async load(runId: number): Promise<void> {
    const request = ++this.request;
    try {
      const history = await this.client.getRunHistory({ id: runId });
      if (request !== this.request) return;
      this.history = history;
      this.error = '';
    } catch (error) {
      if (request !== this.request) return;
      this.error = errorText(error);
    }
  }
}
