import type { WorkerInfo } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText } from '../shell/errorText';
import { sortWorkers } from './workerText';

/** The part of `document` the poller needs (a plain object in tests). */
export interface PageVisibility {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface WorkersStateOptions {
  /** How often to list the workers while the page is visible. Default 3 s. */
  intervalMs?: number;
  /** Default the page's document. */
  page?: PageVisibility;
}

/**
 * The `curvelab worker`s of the lab's queue, for the status bar's line and the Workers panel. The lab
 * pushes no event when a worker comes, goes or takes a run (they report to Redis, not to it), so the
 * list is polled: every few seconds while the page is visible, never while it is hidden.
 */
export class WorkersState {
  /** As the lab last listed them, sorted by name; null before the first answer and after a failed one. */
  workers = $state.raw<WorkerInfo[] | null>(null);
  /** Why the last listing failed, in words. */
  error = $state('');
  /** Whether the Workers panel is open. */
  open = $state(false);
  private inFlight = false;

  constructor(
    private readonly client: Pick<LabClient, 'listWorkers'>,
    private readonly options: WorkersStateOptions = {},
  ) {}

  /** Lists the workers, unless a listing is still on its way (a slow lab is not asked again and again). */
  async refresh(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      this.workers = sortWorkers(await this.client.listWorkers());
      this.error = '';
    } catch (error) {
      // A list that cannot be refreshed may name workers that are gone: none is shown rather than a stale one.
      this.workers = null;
      this.error = errorText(error);
    } finally {
      this.inFlight = false;
    }
  }

  /** Lists now and every interval while the page is visible; showing a hidden page again lists at once. Returns the stop function. */
  attach(): () => void {
    const page = this.options.page ?? document;
    const intervalMs = this.options.intervalMs ?? 3000;
    let timer: ReturnType<typeof setInterval> | null = null;
    const follow = (): void => {
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (page.hidden) return;
      void this.refresh();
      timer = setInterval(() => void this.refresh(), intervalMs);
    };
    follow();
    page.addEventListener('visibilitychange', follow);
    return () => {
      page.removeEventListener('visibilitychange', follow);
      if (timer !== null) clearInterval(timer);
    };
  }

  toggle(): void {
    this.open = !this.open;
  }
}
