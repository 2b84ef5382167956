import { nextTask } from './nextTask';

/**
 * Chart redraws, one per task: drawing fifty curves on a panel takes tens of milliseconds, and eight
 * panels drawn in one go would freeze the page for the sum. Each panel schedules its latest redraw
 * under its own key (a newer one replaces the one waiting), and the queue runs them one task apart, the
 * most urgent first (the panels in view before those below the fold), so input and painting get in
 * between. A job may wait until a time (`notBefore`): zoom redraws wait for the wheel to rest.
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

  isPending(key: string): boolean {
    return this.jobs.has(key);
  }

  private wake(): void {
    if (this.taskPending || this.jobs.size === 0) return;
    const now = this.host.now();
    const earliest = Math.min(...[...this.jobs.values()].map((j) => j.notBefore ?? 0));
    if (earliest <= now) {
      this.taskPending = true;
      this.host.nextTask(() => this.runOne());
    } else if (!this.timer || this.timer.at > earliest) {
      const timer = { at: earliest };
      this.timer = timer;
      this.host.after(earliest - now, () => {
        if (this.timer === timer) this.timer = null;
        this.wake();
      });
    }
  }

  private runOne(): void {
    this.taskPending = false;
    const now = this.host.now();
    let best: [string, DrawJob, number] | null = null;
    for (const [key, job] of this.jobs) {
      if ((job.notBefore ?? 0) > now) continue;
      const urgency = job.urgency();
      if (!best || urgency < best[2]) best = [key, job, urgency];
    }
    if (best) {
      this.jobs.delete(best[0]);
      try {
        best[1].run();
      } finally {
        this.wake();
      }
    } else this.wake();
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
