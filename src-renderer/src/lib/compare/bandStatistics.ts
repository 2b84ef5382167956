/**
 * The band drawn around a group's mean, from the runs that cover one x:
 * - `minmax`: the lowest and highest run;
 * - `sd`: mean ± one sample standard deviation (how far a single run strays);
 * - `se`: mean ± the standard error sd/√n (how well the mean is known);
 * - `ci95`: mean ± t(0.975, n−1)·sd/√n, the 95 % confidence interval of the mean. With a handful of seeds
 *   the normal 1.96 would claim far too much (n = 3 needs 4.30), so the quantile is Student's t.
 * One run alone has no spread: its band is the point itself.
 */
export type BandKind = 'minmax' | 'sd' | 'se' | 'ci95';

export const bandKinds: readonly { kind: BandKind; label: string; edge: [string, string] }[] = [
  { kind: 'minmax', label: 'Min–max', edge: ['min', 'max'] },
  { kind: 'sd', label: '± 1 SD', edge: ['mean − SD', 'mean + SD'] },
  { kind: 'se', label: '± 1 SE', edge: ['mean − SE', 'mean + SE'] },
  { kind: 'ci95', label: '95 % CI (t)', edge: ['95 % CI low', '95 % CI high'] },
];

export function isBandKind(value: string): value is BandKind {
  return bandKinds.some((b) => b.kind === value);
}

/** What the band needs at one x (AlignedCurves gives it per grid point). */
export interface PointSpread {
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  count: number;
}

export function bandEdges(kind: BandKind, p: PointSpread): { low: number; high: number } {
  if (kind === 'minmax') return { low: p.min, high: p.max };
  if (p.count < 2) return { low: p.mean, high: p.mean };
  const halfWidth = kind === 'sd' ? p.sd : kind === 'se' ? p.sd / Math.sqrt(p.count) : tQuantile975(p.count - 1) * (p.sd / Math.sqrt(p.count));
  return { low: p.mean - halfWidth, high: p.mean + halfWidth };
}

// Student's t at 0.975 for 1…30 degrees of freedom (standard tables, six decimals).
const t975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905,
  2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];
const z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: the table up to 30, beyond it the
 * Cornish–Fisher expansion around the normal quantile (off by under 1e-4 at 31, less after).
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`tQuantile975: degrees of freedom must be a positive integer, got ${df}`);
  if (df <= t975.length) return t975[df - 1]!;
  const z = z975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface CountChange {
  x: number;
  count: number;
}

/** Where the number of runs behind a curve changes: its first point, then every x at which the count differs from the point before. */
export function countChanges(xs: readonly number[], counts: readonly number[]): CountChange[] {
  const out: CountChange[] = [];
  for (let i = 0; i < xs.length; i++) if (i === 0 || counts[i] !== counts[i - 1]) out.push({ x: xs[i]!, count: counts[i]! });
  return out;
}
