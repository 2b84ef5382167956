import { formatCompact } from './compactNumber';

/**
 * Labels for the ticks of a log axis. Chart.js puts a tick at every 1…9 × 10^n (and at the data's
 * ends); labelling all of them crowds the axis, and keeping only powers of ten leaves a trace that
 * moves within one decade without any label. So labels are chosen greedily by niceness — powers of
 * ten first, then 5×, then 2×, then any other tick, smaller values first — and a tick is labelled only
 * if it lies at least `minSeparation` of the axis' log range away from every tick labelled before it.
 * Unlabelled ticks ('') stay as grid lines.
 */
export function logTickLabels(values: readonly number[], minSeparation = 0.1): string[] {
  const labels = values.map(() => '');
  const logs = values.map((v) => (v > 0 && Number.isFinite(v) ? Math.log10(v) : Number.NaN));
  const finite = logs.filter((l) => !Number.isNaN(l));
  if (finite.length === 0) return labels;
  const span = Math.max(...finite) - Math.min(...finite);
  const order = values
    .map((v, i) => ({ i, rank: niceness(v), v }))
    .filter(({ i }) => !Number.isNaN(logs[i]))
    .sort((a, b) => a.rank - b.rank || a.v - b.v);
  const chosen: number[] = [];
  for (const { i, v } of order) {
    if (chosen.every((j) => Math.abs(logs[j] - logs[i]) >= minSeparation * span)) {
      chosen.push(i);
      labels[i] = formatCompact(v);
    }
  }
  return labels;
}

/** 0 for a power of ten, 1 for 5×, 2 for 2×, 3 for anything else. */
function niceness(value: number): number {
  const mantissa = value / 10 ** Math.floor(Math.log10(value));
  const near = (m: number) => Math.abs(mantissa - m) < 1e-6 * m;
  if (near(1) || near(10)) return 0;
  if (near(5)) return 1;
  if (near(2)) return 2;
  return 3;
}
