import { nextTask } from './nextTask';

/**
 * Chart redraws in short tasks: drawing fifty curves on a panel takes up to tens of milliseconds, and
 * eight panels drawn in one go would freeze the page for the sum. Each panel schedules its latest redraw
 * under its own key (a newer one replaces the one waiting), and each task runs jobs, the most urgent
 * first (the panels in view before those below the fold), until its time slice is spent, so input and
 * painting get in between. A job may wait until a time (`notBefore`): zoom redraws wait for the wheel to
 * rest.
 */
export interface DrawJob {
  run: () => void;
  /** Lower runs first: a panel's distance from the viewport, read when the queue picks. */
  urgency: () => number;
  /** performance.now() before which the job does not run. */
  notBefore?: number;
}

/** How the queue reaches the next task and the clock: the page's own by default, fakes in tests. */
export interface DrawQueueHost {
  nextTask(callback: () => void): void;
  after(ms: number, callback: () => void): void;
  now(): number;
}

/** A task starts no further job once this long has gone (a job may run past it: under the 50 ms of a long task). */
export const drawSliceMs = 25;

export class DrawQueue {
  private readonly jobs = new Map<string, DrawJob>();
  private taskPending = false;
  private timer: { at: number } | null = null;

  constructor(private readonly host: DrawQueueHost = pageHost()) {}

  schedule(key: string, job: DrawJob): void {
    this.jobs.set(key, job);
    this.wake();
  }

  cancel(key: string): void {
    this.jobs.delete(key);
  }

  private wake(): void {
    if (this.taskPending || this.jobs.size === 0) return;
    const now = this.host.now();
    const earliest = Math.min(...[...this.jobs.values()].map((j) => j.notBefore ?? 0));
    if (earliest <= now) {
      this.taskPending = true;
      this.host.nextTask(() => this.runTask());
    } else if (!this.timer || this.timer.at > earliest) {
      const timer = { at: earliest };
      this.timer = timer;
      this.host.after(earliest - now, () => {
        if (this.timer === timer) this.timer = null;
        this.wake();
      });
    }
  }

  private runTask(): void {
    this.taskPending = false;
    const started = this.host.now();
    try {
      let job = this.takeMostUrgent();
      while (job) {
        job.run();
        job = this.host.now() - started < drawSliceMs ? this.takeMostUrgent() : null;
      }
    } finally {
      this.wake();
    }
  }

  /** The due job of least urgency value, taken off the queue; null when none is due. */
  private takeMostUrgent(): DrawJob | null {
    const now = this.host.now();
    let best: [string, DrawJob, number] | null = null;
    for (const [key, job] of this.jobs) {
      if ((job.notBefore ?? 0) > now) continue;
      const urgency = job.urgency();
      if (!best || urgency < best[2]) best = [key, job, urgency];
    }
    if (!best) return null;
    this.jobs.delete(best[0]);
    return best[1];
  }
}

function pageHost(): DrawQueueHost {
  return {
    nextTask: (callback) => void nextTask().then(callback),
    after: (ms, callback) => void setTimeout(callback, ms),
    now: () => performance.now(),
  };
}

/** How far an element is from the viewport, in pixels (0: at least partly in view). */
export function distanceFromViewport(element: Element): number {
  const { top, bottom } = element.getBoundingClientRect();
  return top > window.innerHeight ? top - window.innerHeight : bottom < 0 ? -bottom : 0;
}
