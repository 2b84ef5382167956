import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressThrottle } from './progressThrottle';

describe('ProgressThrottle', () => {
  let sent: number[];
  let throttle: ProgressThrottle<number>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    throttle = new ProgressThrottle(250, (v) => sent.push(v), () => Date.now());
  });
  afterEach(() => {
    throttle.dispose();
    vi.useRealTimers();
  });

  it('sends the first value at once, then at most one per interval, always the latest', () => {
    throttle.offer(0); // t = 0: sent
    vi.advanceTimersByTime(100);
    throttle.offer(1); // t = 100: waits
    vi.advanceTimersByTime(50);
    throttle.offer(2); // t = 150: replaces 1
    expect(sent).toEqual([0]);
    vi.advanceTimersByTime(100); // t = 250: the interval since 0 ends
    expect(sent).toEqual([0, 2]);
    vi.advanceTimersByTime(1000); // nothing waiting: nothing sent
    expect(sent).toEqual([0, 2]);
    throttle.offer(3); // t = 1250: long after the last send, at once
    expect(sent).toEqual([0, 2, 3]);
  });

  it('flush sends the waiting value at once (the last step), and only once', () => {
    throttle.offer(0);
    throttle.offer(1);
    throttle.flush();
    expect(sent).toEqual([0, 1]);
    vi.advanceTimersByTime(1000);
    throttle.flush();
    expect(sent).toEqual([0, 1]);
  });

  it('dispose drops the waiting value', () => {
    throttle.offer(0);
    throttle.offer(1);
    throttle.dispose();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([0]);
  });

  it('100 values over 1 s at 10 ms apart come out as 5 sends at most, ending with the last', () => {
    for (let i = 0; i < 100; i++) {
      throttle.offer(i);
      vi.advanceTimersByTime(10);
    }
    throttle.flush();
    // Value i is offered at t = 10·i. Sends at t = 0, 250, 500, 750 (each the value offered 10 ms
    // before: 24, 49, 74) and the flush at t = 1000 (99): 4 per second plus the last.
    expect(sent).toEqual([0, 24, 49, 74, 99]);
  });
});
