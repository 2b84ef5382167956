import { describe, expect, it } from 'vitest';
import { formatBytes, formatFaultReport, formatMs, requestRate, type FaultBenchResult } from './faultReport';

describe('requestRate', () => {
  it('counts the answers inside the span, per second overall and in its slowest whole second', () => {
    // 2.5 s from t = 1000 ms: 6 answers in the first second, 2 in the second, 1 in the last half second;
    // one before the span and one after it are not counted.
    const at = [500, 1000, 1100, 1200, 1500, 1800, 1999, 2000, 2900, 3400, 3600];
    const answered = at.map((atMs, i) => ({ atMs, latencyMs: i + 1 }));
    const rate = requestRate(answered, 1000, 3500);
    expect(rate.requests).toBe(9);
    expect(rate.perSecond).toBeCloseTo(9 / 2.5, 12);
    expect(rate.lowestSecond).toBe(2);
    // Latencies of the nine inside: 2…10; the median is the fifth (6), p99 the largest (10).
    expect(rate.medianMs).toBe(6);
    expect(rate.p99Ms).toBe(10);
  });

  it('gives the rate itself as the slowest second of a span shorter than a second', () => {
    const rate = requestRate([{ atMs: 100, latencyMs: 1 }, { atMs: 200, latencyMs: 1 }], 0, 500);
    expect(rate.perSecond).toBe(4);
    expect(rate.lowestSecond).toBe(4);
  });

  it('says 0 for a second in which nothing was answered', () => {
    expect(requestRate([{ atMs: 100, latencyMs: 1 }, { atMs: 2100, latencyMs: 1 }], 0, 3000).lowestSecond).toBe(0);
  });
});

describe('formatting', () => {
  it('writes milliseconds to a useful precision and bytes in MiB or GiB', () => {
    expect([formatMs(2.345), formatMs(123.4), formatMs(16_300)]).toEqual(['2.3 ms', '123 ms', '16.3 s']);
    expect([formatBytes(700 * 2 ** 20), formatBytes(2.5 * 2 ** 30)]).toEqual(['700 MiB', '2.50 GiB']);
  });

  const result: FaultBenchResult = {
    repo: '/lab',
    backend: 'cpu-blas',
    session: {
      runs: 4,
      stepsPerRun: 200,
      completedRuns: 4,
      seconds: 8.74,
      clients: 4,
      requests: { requests: 2000, perSecond: 228.8, lowestSecond: 114, medianMs: 11.2, p99Ms: 138 },
      peakRssBytes: 698 * 2 ** 20,
    },
    peakRssBytes: 2 * 2 ** 30,
    faults: [
      { fault: 'hostile archive', labStayedUp: 'yes', answeredInMs: 1000, unanswered: 13, peakRssBytes: 2 * 2 ** 30, outcome: 'refused in 16.3 s', asPromised: false },
      { fault: 'kill -9', labStayedUp: 'restarted', answeredInMs: 24, unanswered: 0, peakRssBytes: null, outcome: 'integrity_check ok', asPromised: true },
      { fault: 'full disk', labStayedUp: 'skipped', answeredInMs: null, unanswered: 0, peakRssBytes: null, outcome: 'skipped: not root', asPromised: null },
    ],
  };

  it('prints the session lines, then one aligned row per fault', () => {
    expect(formatFaultReport(result)).toBe(
      [
        'CurveLab fault benchmark: /lab, backend cpu-blas',
        'session            4 runs × 200 steps in 8.7 s (4 completed)',
        'requests held      229/s (lowest second 114), latency median 11 ms, p99 138 ms (listRuns/getRun, 4 clients)',
        'peak memory        698 MiB in the session (VmHWM of serve), 2.00 GiB over the whole bench',
        '',
        'fault           | lab stayed up | answered another request in | peak RSS | as promised | what was lost / outcome',
        '----------------|---------------|-----------------------------|----------|-------------|------------------------',
        'hostile archive | yes           | > 1 s (13 unanswered)       | 2.00 GiB | NO          | refused in 16.3 s',
        'kill -9         | restarted     | 24 ms                       | —        | yes         | integrity_check ok',
        'full disk       | skipped       | —                           | —        | —           | skipped: not root',
      ].join('\n'),
    );
  });
});
