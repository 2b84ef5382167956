import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { RefreshThrottle } from './refreshThrottle';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

test('the first request runs at once; requests within the interval coalesce into one run when it is over', async () => {
  const starts: number[] = [];
  const throttle = new RefreshThrottle(async () => {
    starts.push(Date.now());
  }, 1000);
  throttle.request();
  await vi.advanceTimersByTimeAsync(100);
  throttle.request();
  await vi.advanceTimersByTimeAsync(100);
  throttle.request();
  await vi.advanceTimersByTimeAsync(2000);
  expect(starts).toEqual([0, 1000]);
  throttle.request();
  await vi.advanceTimersByTimeAsync(0);
  // 100 + 100 + 2000 ms later, long after the interval: at once again.
  expect(starts).toEqual([0, 1000, 2200]);
});

test('never runs the task twice at once: a slow task delays the next run until it is done', async () => {
  const starts: number[] = [];
  let running = 0;
  let overlap = false;
  const throttle = new RefreshThrottle(async () => {
    starts.push(Date.now());
    running++;
    overlap ||= running > 1;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    running--;
  }, 1000);
  throttle.request();
  await vi.advanceTimersByTimeAsync(10);
  throttle.request();
  await vi.advanceTimersByTimeAsync(6000);
  expect(overlap).toBe(false);
  expect(starts).toEqual([0, 2500]);
});

test('a failing task does not stop later runs; dispose drops what is pending', async () => {
  let calls = 0;
  const throttle = new RefreshThrottle(async () => {
    calls++;
    throw new Error('network');
  }, 1000);
  throttle.request();
  await vi.advanceTimersByTimeAsync(1500);
  throttle.request();
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toBe(2);
  throttle.request();
  throttle.dispose();
  await vi.advanceTimersByTimeAsync(5000);
  expect(calls).toBe(2);
});
