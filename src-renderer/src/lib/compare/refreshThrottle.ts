/**
 * Runs an async task at most once per interval and never twice at once. The first request runs at
 * once (leading edge); requests that arrive while it runs or within the interval after it started
 * coalesce into one more run when the interval is over (trailing edge), so the last change is always
 * fetched. Used for live refetches: a training run reports progress several times a second, and the
 * chart should follow it about once a second without piling up requests.
 */
export class RefreshThrottle {
  private lastStart = -Infinity;
  private running = false;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  request(): void {
    if (this.disposed) return;
    this.pending = true;
    this.schedule();
  }

  /** Drops a pending run (say, the selection changed and the dirty runs are gone). */
  cancelPending(): void {
    this.pending = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelPending();
  }

  private schedule(): void {
    if (this.disposed || this.running || this.timer !== null || !this.pending) return;
    const wait = this.lastStart + this.intervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    this.pending = false;
    this.running = true;
    this.lastStart = Date.now();
    // The task reports its own errors; the throttle only needs to know it finished.
    this.task()
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}
