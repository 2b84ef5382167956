import { describe, expect, it } from 'vitest';
import { PendingMetrics } from './pendingMetrics';

/** A read whose values the test hands over (or fails) when it chooses. */
function deferredRead() {
  let resolve!: (values: ArrayLike<number>) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<ArrayLike<number>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PendingMetrics', () => {
  it('hands values back in push order, even when later reads finish first', async () => {
    const pending = new PendingMetrics<number>(3);
    const reads = [deferredRead(), deferredRead(), deferredRead()];
    reads.forEach((r, i) => pending.push(i, r.promise));
    reads[2].resolve([2]);
    reads[1].resolve([1]);
    await settle();
    // Step 0 is still in flight: nothing after it may be handed back yet.
    expect(await pending.arrived()).toEqual([]);
    reads[0].resolve([0]);
    await settle();
    expect((await pending.arrived()).map((a) => [a.item, a.values[0]])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(pending.size).toBe(0);
  });

  it('waits for the oldest reads only while more than `depth` are in flight', async () => {
    const pending = new PendingMetrics<number>(2);
    const reads = [deferredRead(), deferredRead(), deferredRead()];
    pending.push(0, reads[0].promise);
    pending.push(1, reads[1].promise);
    expect(await pending.arrived()).toEqual([]);
    pending.push(2, reads[2].promise);
    let handed: number[] | null = null;
    const waiting = pending.arrived().then((a) => (handed = a.map((x) => x.item)));
    await settle();
    expect(handed).toBeNull();
    reads[0].resolve([0]);
    await waiting;
    expect(handed).toEqual([0]);
    expect(pending.size).toBe(2);
  });

  it('drains every read with inFlight 0, and hands values already read back at once', async () => {
    const pending = new PendingMetrics<string>(3);
    pending.push('read', [1.5, 0.25]);
    const later = deferredRead();
    pending.push('later', later.promise);
    setImmediate(() => later.resolve([2]));
    const arrived = await pending.arrived(0);
    expect(arrived.map((a) => [a.item, Array.from(a.values)])).toEqual([
      ['read', [1.5, 0.25]],
      ['later', [2]],
    ]);
  });

  it('throws a failed read where it is handed back, and discard waits for the reads left', async () => {
    const pending = new PendingMetrics<number>(3);
    const failing = deferredRead();
    const left = deferredRead();
    pending.push(0, failing.promise);
    pending.push(1, left.promise);
    failing.reject(new Error('device lost'));
    await expect(pending.arrived(0)).rejects.toThrow('device lost');
    let discarded = false;
    const discarding = pending.discard().then(() => (discarded = true));
    await settle();
    expect(discarded).toBe(false);
    left.resolve([1]);
    await discarding;
    expect(pending.size).toBe(0);
  });
});
