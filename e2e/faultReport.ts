/**
 * What `npm run bench:faults` measured and how it prints it: the requests a lab answered per second
 * during a scripted session, its peak memory, and one row per injected fault.
 */

/** One injected fault and what became of the lab. */
export interface FaultOutcome {
  fault: string;
  /** `restarted`: the fault kills the lab on purpose and the row is about its restart; `skipped`: not run here. */
  labStayedUp: 'yes' | 'no' | 'restarted' | 'skipped';
  /** The slowest answer to another request (listRuns) while the fault was under way; null when none was asked. */
  answeredInMs: number | null;
  /** Of those requests, the ones that had no answer within a second. */
  unanswered: number;
  /** The lab process's highest resident memory while the fault was under way (null: not sampled). */
  peakRssBytes: number | null;
  /** What was lost, or how the fault ended. */
  outcome: string;
  /** Whether it went as the lab promises (the lab stayed up, the fault was refused or failed alone…); null when skipped. */
  asPromised: boolean | null;
}

/** Cheap requests answered by the lab while runs trained. */
export interface RequestRate {
  requests: number;
  perSecond: number;
  /** The fewest answered in any whole second of the session. */
  lowestSecond: number;
  medianMs: number;
  p99Ms: number;
}

export interface FaultBenchResult {
  repo: string;
  backend: string;
  session: {
    runs: number;
    stepsPerRun: number;
    completedRuns: number;
    seconds: number;
    clients: number;
    requests: RequestRate;
    /** The lab process's peak resident memory (VmHWM) at the session's end. */
    peakRssBytes: number;
  };
  /** The highest peak of every lab process the bench started. */
  peakRssBytes: number;
  faults: FaultOutcome[];
}

/** One answered request: when it was answered and how long it took (both ms, on one clock). */
export interface Answered {
  atMs: number;
  latencyMs: number;
}

/** The requests answered from `fromMs` to `toMs`: per second overall, in the slowest whole second, and their latencies. */
export function requestRate(answered: Answered[], fromMs: number, toMs: number): RequestRate {
  const inside = answered.filter((a) => a.atMs >= fromMs && a.atMs <= toMs);
  const seconds = Math.max(toMs - fromMs, 1) / 1000;
  const wholeSeconds = Math.floor(seconds);
  const perWindow = new Array<number>(wholeSeconds).fill(0);
  for (const { atMs } of inside) {
    const window = Math.floor((atMs - fromMs) / 1000);
    if (window < wholeSeconds) perWindow[window]!++;
  }
  const latencies = inside.map((a) => a.latencyMs).sort((a, b) => a - b);
  const quantile = (q: number): number => (latencies.length === 0 ? Number.NaN : latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!);
  return {
    requests: inside.length,
    perSecond: inside.length / seconds,
    lowestSecond: wholeSeconds === 0 ? inside.length / seconds : Math.min(...perWindow),
    medianMs: quantile(0.5),
    p99Ms: quantile(0.99),
  };
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

function answeredIn(fault: FaultOutcome): string {
  if (fault.answeredInMs === null) return '—';
  if (fault.unanswered > 0) return `> 1 s (${fault.unanswered} unanswered)`;
  return formatMs(fault.answeredInMs);
}

/** The report as text: the session's lines, then the faults as a table. */
export function formatFaultReport(result: FaultBenchResult): string {
  const { session } = result;
  const rate = session.requests;
  const lines = [
    `CurveLab fault benchmark: ${result.repo}, backend ${result.backend}`,
    `session            ${session.runs} runs × ${session.stepsPerRun} steps in ${session.seconds.toFixed(1)} s (${session.completedRuns} completed)`,
    `requests held      ${Math.round(rate.perSecond)}/s (lowest second ${Math.round(rate.lowestSecond)}), latency median ${formatMs(rate.medianMs)}, p99 ${formatMs(rate.p99Ms)} (listRuns/getRun, ${session.clients} clients)`,
    `peak memory        ${formatBytes(session.peakRssBytes)} in the session (VmHWM of serve), ${formatBytes(result.peakRssBytes)} over the whole bench`,
    '',
  ];
  const header = ['fault', 'lab stayed up', 'answered another request in', 'peak RSS', 'as promised', 'what was lost / outcome'];
  const rows = result.faults.map((f) => [
    f.fault,
    f.labStayedUp === 'no' ? 'NO' : f.labStayedUp,
    answeredIn(f),
    f.peakRssBytes === null ? '—' : formatBytes(f.peakRssBytes),
    f.asPromised === null ? '—' : f.asPromised ? 'yes' : 'NO',
    f.outcome,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join(' | ');
  return [...lines, line(header), widths.map((w, c) => '-'.repeat(c === widths.length - 1 ? header[c]!.length : w)).join('-|-'), ...rows.map(line)].join('\n');
}
