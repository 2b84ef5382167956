/**
 * Passes on at most one value per interval, always the latest: a value offered within the interval
 * after the last one sent waits (replacing any older waiting value) and goes out when the interval
 * ends. `flush` sends a waiting value at once (a run's last step), `dispose` drops it.
 */
export class ProgressThrottle<T> {
  private waiting: { value: T } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastSent = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  offer(value: T): void {
    this.waiting = { value };
    const due = this.lastSent + this.intervalMs - this.now();
    if (due <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), due);
  }

  flush(): void {
    this.clearTimer();
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    this.lastSent = this.now();
    this.send(waiting.value);
  }

  dispose(): void {
    this.clearTimer();
    this.waiting = null;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
