import type { Redis } from 'ioredis';

/** A stream entry as the reader hands it on: its id and its fields (null: the entry was deleted while pending). */
export interface StreamEntry {
  id: string;
  fields: Record<string, string> | null;
}

export interface EventStreamReaderOptions {
  /** The connection XREADGROUP blocks on: the reader's alone (stop() disconnects it to end a block at once). */
  blocking: Redis;
  /** The connection for XACK and XDEL. */
  commands: Redis;
  key: string;
  group: string;
  consumer: string;
  /**
   * Takes a read's entries; when it returns, they are acknowledged and deleted from the stream. When it
   * throws, nothing is: the entries are read again (as pending) after a pause.
   */
  onEntries(entries: StreamEntry[]): void | Promise<void>;
  /** Called after each read that reached the end of the stream (fewer entries than asked for), between reads. */
  onCaughtUp?(): Promise<void>;
  /** Entries per read (default 200) and how long a read waits for new ones (default 1000 ms). */
  count?: number;
  blockMs?: number;
  /** Reports a failed read or a refused entry batch; default console.error. */
  onError?(error: unknown): void;
}

const PAUSE_AFTER_ERROR_MS = 1000;

/**
 * Reads a Redis stream in a consumer group, one read after another, and acknowledges (XACK) and deletes
 * (XDEL) each entry only once `onEntries` has taken it: at-least-once. It first reads this consumer's
 * pending entries (ID 0: delivered before a crash or an error, never acknowledged), then new ones (`>`),
 * blocking up to `blockMs` when there are none. The consumer's name must stay the same from one process
 * to the next, so that what one was given and did not acknowledge, the next one reads again.
 */
export class EventStreamReader {
  private readonly count: number;
  private readonly blockMs: number;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: EventStreamReaderOptions) {
    this.count = options.count ?? 200;
    this.blockMs = options.blockMs ?? 1000;
  }

  /** Makes the consumer group (and the stream) unless it exists; the group starts at the stream's first entry. */
  static async ensureGroup(redis: Redis, key: string, group: string): Promise<void> {
    try {
      await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the reads (a read in flight is abandoned: its entries stay pending) and waits for the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.blocking.disconnect();
    await this.loop;
  }

  /**
   * Reads, without waiting, until the stream's end as it is now: everything added before this call has
   * been taken when it resolves. Call it between reads only (from onCaughtUp).
   */
  async drain(): Promise<void> {
    while (!this.stopped && (await this.readOnce('>', false)) >= this.count);
  }

  private async run(): Promise<void> {
    let pending = true;
    while (!this.stopped) {
      try {
        if (pending) {
          pending = (await this.readOnce('0', false)) > 0;
          continue;
        }
        const taken = await this.readOnce('>', true);
        if (taken < this.count && !this.stopped) await this.options.onCaughtUp?.();
      } catch (error) {
        if (this.stopped) return;
        (this.options.onError ?? console.error)(error);
        // Redis lost the group (restarted without its data): make it again, or every read fails.
        if (error instanceof Error && error.message.startsWith('NOGROUP')) {
          const { commands, key, group } = this.options;
          await EventStreamReader.ensureGroup(commands, key, group).catch(() => undefined);
        }
        pending = true;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_ERROR_MS));
      }
    }
  }

  /** One XREADGROUP from `id` ('0': this consumer's pending entries, '>': new ones); returns how many entries it took. */
  private async readOnce(id: '0' | '>', block: boolean): Promise<number> {
    const { blocking, commands, key, group, consumer } = this.options;
    const wait = block ? ['BLOCK', this.blockMs] : [];
    const reply = (await blocking.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', this.count, ...wait, 'STREAMS', key, id)) as
      | [string, [string, string[] | null][]][]
      | null;
    const entries = (reply?.[0]?.[1] ?? []).map(([entryId, fields]): StreamEntry => ({ id: entryId, fields: fields && fieldsOf(fields) }));
    if (entries.length === 0 || this.stopped) return entries.length;
    await this.options.onEntries(entries);
    const ids = entries.map((e) => e.id);
    await commands.multi().xack(key, group, ...ids).xdel(key, ...ids).exec();
    return entries.length;
  }
}

function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}
