/** One step's metrics once read: the step's own record and the values read for it. */
export interface ArrivedMetrics<T> {
  item: T;
  values: ArrayLike<number>;
}

interface Pending<T> {
  item: T;
  values: ArrayLike<number> | null;
  failure: { error: unknown } | null;
  read: Promise<void>;
}

/**
 * Steps whose metrics are being read, oldest first: a queue of at most `depth` reads left in flight.
 * Values are handed back in the order the steps were pushed, whatever order the reads finish in, and
 * only once every older one has been handed back. A read that fails is thrown where it is handed back.
 */
export class PendingMetrics<T> {
  private readonly queue: Pending<T>[] = [];

  constructor(readonly depth: number) {}

  get size(): number {
    return this.queue.length;
  }

  /** Queues a step's metrics: values already read, or the read under way. */
  push(item: T, values: ArrayLike<number> | Promise<ArrayLike<number>>): void {
    const entry: Pending<T> = { item, values: null, failure: null, read: Promise.resolve() };
    if (values instanceof Promise) {
      entry.read = values.then(
        (read) => {
          entry.values = read;
        },
        (error: unknown) => {
          entry.failure = { error };
        },
      );
    } else entry.values = values;
    this.queue.push(entry);
  }

  /**
   * The metrics that have arrived, oldest first, after waiting (oldest first) until at most `inFlight`
   * reads are left unread: 0 drains the queue.
   */
  async arrived(inFlight = this.depth): Promise<ArrivedMetrics<T>[]> {
    const out: ArrivedMetrics<T>[] = [];
    while (this.queue.length > 0) {
      const oldest = this.queue[0];
      if (!isSettled(oldest)) {
        if (this.queue.length <= inFlight) break;
        await oldest.read;
      }
      this.queue.shift();
      if (oldest.failure) throw oldest.failure.error;
      out.push({ item: oldest.item, values: oldest.values! });
    }
    return out;
  }

  /** Waits for every read still in flight and forgets them (a run that has stopped taking their values). */
  async discard(): Promise<void> {
    const reads = this.queue.splice(0).map((entry) => entry.read);
    await Promise.all(reads);
  }
}

function isSettled<T>(entry: Pending<T>): boolean {
  return entry.values !== null || entry.failure !== null;
}
