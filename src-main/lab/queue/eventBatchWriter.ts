import { eventBatchIntervalMs, eventBatchMaxEvents, type EventBatch, type QueueRunEvent } from './queueProtocol';

/**
 * A run's events on their way from a worker to its lab's stream, in batches: an event waits at most
 * `intervalMs`, a batch holds at most `maxEvents`, and `start`, `epoch`, `done` and `ending` go at once
 * (with whatever waited before them), so the lab shows them without delay. Batches are appended in
 * order; a failed append is reported by the next flush().
 */
export class EventBatchWriter {
  private buffer: QueueRunEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private written: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private discarded = false;

  constructor(
    private readonly header: Omit<EventBatch, 'events'>,
    private readonly append: (batch: EventBatch) => Promise<unknown>,
    private readonly limits: { intervalMs: number; maxEvents: number } = { intervalMs: eventBatchIntervalMs, maxEvents: eventBatchMaxEvents },
  ) {}

  push(event: QueueRunEvent): void {
    if (this.discarded) return;
    this.buffer.push(event);
    if (event.type !== 'step' || this.buffer.length >= this.limits.maxEvents) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.limits.intervalMs);
  }

  /** Sends what is buffered; resolves once every batch so far is in the stream, or rejects with the first append's failure. */
  async flush(): Promise<void> {
    this.send();
    await this.written;
    if (this.failure !== null) throw this.failure;
  }

  /** Drops what is buffered and everything pushed later (the run moves to another worker). */
  discard(): void {
    this.discarded = true;
    this.buffer = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0 || this.discarded) return;
    const batch: EventBatch = { ...this.header, events: this.buffer };
    this.buffer = [];
    this.written = this.written.then(async () => {
      if (this.failure !== null || this.discarded) return;
      try {
        await this.append(batch);
      } catch (error) {
        this.failure = error;
      }
    });
  }
}
