import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EpochEvent, StepEvent } from '../../engine/train/trainEvents';
import { EventBatchWriter } from './eventBatchWriter';
import type { EventBatch } from './queueProtocol';

const header = { runId: 4, jobId: 'lab-4-x', attempt: 'w#1', worker: { id: 'w', name: 'worker' } };

function step(i: number): StepEvent {
  return { type: 'step', step: i, epoch: 0, loss: 1, accuracy: null, seconds: i, forwardPasses: 1, backwardPasses: 1, forwardModePasses: 0, trace: {} };
}
const epoch: EpochEvent = { type: 'epoch', epoch: 0, steps: 3, trainLoss: 1, trainAccuracy: null, valLoss: 1, valAccuracy: null, seconds: 3 };

/** The step numbers (or event types) of each appended batch. */
function shapes(batches: EventBatch[]): (number | string)[][] {
  return batches.map((b) => b.events.map((e) => (e.type === 'step' ? e.step : e.type)));
}

describe('EventBatchWriter', () => {
  let appended: EventBatch[];
  const append = async (batch: EventBatch): Promise<void> => void appended.push(batch);
  beforeEach(() => {
    appended = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('holds steps for at most the interval, then sends them as one batch with the header', async () => {
    const writer = new EventBatchWriter(header, append, { intervalMs: 500, maxEvents: 100 });
    writer.push(step(0));
    vi.advanceTimersByTime(300);
    writer.push(step(1));
    await vi.advanceTimersByTimeAsync(199);
    expect(appended).toEqual([]);
    await vi.advanceTimersByTimeAsync(1); // 500 ms after the first step, not after the last
    expect(appended).toEqual([{ ...header, events: [step(0), step(1)] }]);
  });

  it('sends a full batch at once', async () => {
    const writer = new EventBatchWriter(header, append, { intervalMs: 500, maxEvents: 3 });
    for (let i = 0; i < 7; i++) writer.push(step(i));
    await writer.flush();
    expect(shapes(appended)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('sends start, epoch, done and ending at once, after the steps that waited', async () => {
    const writer = new EventBatchWriter(header, append, { intervalMs: 60_000, maxEvents: 100 });
    writer.push(step(0));
    writer.push(step(1));
    writer.push(epoch);
    await vi.advanceTimersByTimeAsync(0);
    expect(shapes(appended)).toEqual([[0, 1, 'epoch']]);
    writer.push({ type: 'ending', status: 'failed', error: 'gone' });
    await vi.advanceTimersByTimeAsync(0);
    expect(shapes(appended)).toEqual([[0, 1, 'epoch'], ['ending']]);
  });

  it('appends batches in order, one after another, even when an append is slow', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const writer = new EventBatchWriter(
      header,
      async (batch) => {
        const name = shapes([batch])[0]!.join(',');
        order.push(`begin ${name}`);
        if (name === 'epoch') await new Promise<void>((resolve) => (releaseFirst = resolve));
        order.push(`end ${name}`);
      },
      { intervalMs: 500, maxEvents: 100 },
    );
    writer.push(epoch);
    writer.push(step(0));
    const flushed = writer.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['begin epoch']);
    releaseFirst();
    await flushed;
    expect(order).toEqual(['begin epoch', 'end epoch', 'begin 0', 'end 0']);
  });

  it('drops what waits, and everything later, once discarded', async () => {
    const writer = new EventBatchWriter(header, append, { intervalMs: 500, maxEvents: 100 });
    writer.push(step(0));
    writer.discard();
    writer.push(epoch);
    await vi.advanceTimersByTimeAsync(1000);
    await writer.flush();
    expect(appended).toEqual([]);
  });

  it('reports a failed append at the next flush, and sends nothing after it', async () => {
    let calls = 0;
    const writer = new EventBatchWriter(
      header,
      async () => {
        calls++;
        throw new Error('OOM command not allowed');
      },
      { intervalMs: 500, maxEvents: 1 },
    );
    writer.push(step(0));
    writer.push(step(1));
    await expect(writer.flush()).rejects.toThrow('OOM command not allowed');
    expect(calls).toBe(1);
  });
});
