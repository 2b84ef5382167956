import type Database from 'better-sqlite3';

/**
 * A finished run's series at a fixed fine resolution (its overview), stored once so that a whole-curve
 * read (the compare view opening) takes one row instead of every step. It is the curve query's own
 * downsampling at overviewBuckets + 2 points, kept as sums instead of means: the first and last point
 * alone, the steps between in overviewBuckets buckets by step; a series of at most overviewBuckets + 2
 * points keeps every point as its own entry. A coarse overview (coarseOverviewBuckets) is stored beside
 * it, merged from the fine one: the same as the query's downsampling at coarseOverviewBuckets + 2 points,
 * since each fine bucket lies within one coarse bucket (coarseOverviewBuckets divides overviewBuckets).
 *
 * A request for m ≤ overviewBuckets + 2 points is answered by re-bucketing: each entry goes whole to the
 * requested bucket that its first step falls in (the curve query's rule), and a bucket's mean is its
 * Σsum / Σcount, its min the min of mins, its max the max of maxes. So every step still counts once and
 * a spike survives in its bucket's max. This equals the raw rows' downsampling exactly (means to
 * rounding) when the series kept every point, and when (m − 2) divides the overview's bucket count: then
 * no entry straddles a requested bucket's boundary. Such a request for at most coarseOverviewBuckets + 2
 * points reads the coarse overview (the compare view asks for 2 + a power of two points). Otherwise the
 * fine one answers, and an entry that straddles a boundary goes whole to the earlier bucket: a bucket's
 * step range starts and ends up to one entry width (⌈(last − first − 1) / overviewBuckets⌉ − 1 steps, 4
 * for 20,000 steps) later than the raw rows' bucket's, with mean, min, max and count exact for the steps
 * it holds.
 */
export const overviewBuckets = 4096;
export const coarseOverviewBuckets = 1024;

/** Which stored overview answers a whole-curve read of maxPoints points exactly, or best; null: none (more points than either holds). */
export function overviewLevelFor(maxPoints: number): 'coarse' | 'fine' | null {
  if (maxPoints <= coarseOverviewBuckets + 2 && (maxPoints === 2 || coarseOverviewBuckets % (maxPoints - 2) === 0)) return 'coarse';
  return maxPoints <= overviewBuckets + 2 ? 'fine' : null;
}

/** The columns of an overview, one entry per bucket in step order. */
export interface CurveOverview {
  first: Float64Array;
  count: Float64Array;
  step: Float64Array;
  epochIndex: Float64Array;
  seconds: Float64Array;
  passes: Float64Array;
  value: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** In the order the SQL that computes an overview gives them (per entry) and the blob stores them (as columns). */
const overviewColumns = ['first', 'count', 'step', 'epochIndex', 'seconds', 'passes', 'value', 'min', 'max'] as const;

/** Entries as the SQL gives them, one array per entry in overviewColumns order → columns. */
export function overviewOfEntries(entries: number[][]): CurveOverview {
  const length = entries.length;
  const columns = overviewColumns.map(() => new Float64Array(length));
  entries.forEach((entry, j) => entry.forEach((x, c) => (columns[c][j] = x)));
  return Object.fromEntries(overviewColumns.map((name, c) => [name, columns[c]])) as unknown as CurveOverview;
}

/** The stored blob: the columns one after another. */
export function encodeOverview(overview: CurveOverview): Buffer {
  const length = overview.first.length;
  const data = new Float64Array(overviewColumns.length * length);
  overviewColumns.forEach((name, c) => data.set(overview[name], c * length));
  return Buffer.from(data.buffer);
}

export function decodeOverview(blob: Buffer): CurveOverview {
  // A Float64Array needs 8-byte alignment; a large blob's buffer has it, a small one may sit in Node's pool.
  const data =
    blob.byteOffset % Float64Array.BYTES_PER_ELEMENT === 0
      ? new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / Float64Array.BYTES_PER_ELEMENT)
      : new Float64Array(new Uint8Array(blob).buffer);
  const length = data.length / overviewColumns.length;
  return Object.fromEntries(overviewColumns.map((name, c) => [name, data.subarray(c * length, (c + 1) * length)])) as unknown as CurveOverview;
}

/** ⌊a / b⌋ for non-negative integers below 2^53, exact where the float quotient rounds up to an integer. */
function floorDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b > a ? q - 1 : q;
}

/** Downsampled points as columns, one entry per bucket: mean step, epoch index, seconds, passes and value, min, max, and the count. */
export type BucketColumns = Omit<CurveOverview, 'first' | 'count'> & { count: Int32Array };

/**
 * The overview downsampled to at most maxPoints (≤ overviewBuckets + 2) points, as the curve query's
 * columns: the means of bucketSums.
 */
export function rebucket(overview: CurveOverview, maxPoints: number): BucketColumns {
  const { count, step, epochIndex, seconds, passes, value, min, max } = bucketSums(overview, maxPoints);
  const mean = (sums: Float64Array): Float64Array => sums.map((sum, k) => sum / count[k]);
  return { step: mean(step), epochIndex: mean(epochIndex), seconds: mean(seconds), passes: mean(passes), value: mean(value), min, max, count: Int32Array.from(count) };
}

/** The coarse overview, merged from the fine one (see above). */
export function coarseOverview(fine: CurveOverview): CurveOverview {
  return bucketSums(fine, coarseOverviewBuckets + 2);
}

/**
 * The overview's entries merged into at most maxPoints buckets by the curve query's rule, kept as sums:
 * an overview itself. The compare view's hot path on the server (50 runs open with a few hundred
 * overviews), so a bucket's end is found once, as the first step of the next bucket, and each entry then
 * costs one comparison and its sums.
 */
export function bucketSums(overview: CurveOverview, maxPoints: number): CurveOverview {
  const { first, count, step, epochIndex, seconds, passes, value, min, max } = overview;
  const entries = first.length;
  const out = emptyOverview(Math.min(entries, maxPoints));
  if (entries === 0) return out;
  const lo = first[0];
  const hi = first[entries - 1];
  let n = 0;
  for (let j = 0; j < entries; j++) n += count[j];
  // n ≤ maxPoints ≤ overviewBuckets + 2: the overview kept every point, each its own bucket.
  const own = n <= maxPoints;
  const inner = maxPoints - 2;
  /** The query's bucket of step s (null: left out, the steps between the ends when maxPoints is 2). */
  const bucketOf = (s: number): number | null =>
    own ? s : s === lo ? 0 : s === hi ? maxPoints - 1 : inner === 0 ? null : 1 + floorDiv((s - lo - 1) * inner, hi - lo - 1);
  /** The first step past bucket b: steps from there on go to later buckets. */
  const endOf = (b: number, s: number): number =>
    own ? s + 1 : b === 0 ? lo + 1 : b === maxPoints - 1 ? Infinity : lo + 1 + floorDiv(b * (hi - lo - 1) + inner - 1, inner);
  let k = -1;
  let end = -Infinity;
  for (let j = 0; j < entries; j++) {
    if (first[j] < end) {
      out.count[k] += count[j];
      out.step[k] += step[j];
      out.epochIndex[k] += epochIndex[j];
      out.seconds[k] += seconds[j];
      out.passes[k] += passes[j];
      out.value[k] += value[j];
      if (min[j] < out.min[k]) out.min[k] = min[j];
      if (max[j] > out.max[k]) out.max[k] = max[j];
      continue;
    }
    const b = bucketOf(first[j]);
    if (b === null) continue;
    k++;
    end = endOf(b, first[j]);
    out.first[k] = first[j];
    out.count[k] = count[j];
    out.step[k] = step[j];
    out.epochIndex[k] = epochIndex[j];
    out.seconds[k] = seconds[j];
    out.passes[k] = passes[j];
    out.value[k] = value[j];
    out.min[k] = min[j];
    out.max[k] = max[j];
  }
  return sliceOverview(out, k + 1);
}

function emptyOverview(length: number): CurveOverview {
  return Object.fromEntries(overviewColumns.map((name) => [name, new Float64Array(length)])) as unknown as CurveOverview;
}

/** The first `length` entries of every column (views, no copies). */
function sliceOverview(overview: CurveOverview, length: number): CurveOverview {
  return Object.fromEntries(overviewColumns.map((name) => [name, overview[name].subarray(0, length)])) as unknown as CurveOverview;
}

/** Only an ended run's rows are final. */
const ended = "status NOT IN ('queued', 'running')";

/** The table of overviews (migrations 006, 008); its statements are prepared on first use, as a store opened on an older schema never reads it. */
export class CurveOverviewRows {
  private statements?: { find: Record<'coarse' | 'fine', Database.Statement>; put: Database.Statement };

  constructor(private readonly db: Database.Database) {}

  /** Whether the run has ended, and its stored overview of the series at that level; undefined: no such run. */
  find(runId: number, series: string, level: 'coarse' | 'fine'): { ended: boolean; blob: Buffer | null } | undefined {
    const row = this.prepared().find[level].get(series, runId) as { ended: number; blob: Buffer | null } | undefined;
    return row && { ended: row.ended === 1, blob: row.blob };
  }

  /**
   * Stores the overviews while the run has ended: another connection may have requeued it (deleting its
   * rows and overviews) since they were read.
   */
  put(runId: number, series: string, blobs: { coarse: Buffer; fine: Buffer }): void {
    this.prepared().put.run(series, blobs.coarse, blobs.fine, runId);
  }

  private prepared(): { find: Record<'coarse' | 'fine', Database.Statement>; put: Database.Statement } {
    // Only the blob asked for is selected: the coarse one comes first in the row, so reading it never reads the fine one.
    const find = (column: string): Database.Statement =>
      this.db.prepare(`SELECT r.${ended} AS ended, o.${column} AS blob FROM runs r LEFT JOIN curve_overviews o ON o.run_id = r.id AND o.series = ? WHERE r.id = ?`);
    this.statements ??= {
      find: { coarse: find('coarse'), fine: find('buckets') },
      put: this.db.prepare(`INSERT OR REPLACE INTO curve_overviews (run_id, series, coarse, buckets) SELECT id, ?, ?, ? FROM runs WHERE id = ? AND ${ended}`),
    };
    return this.statements;
  }
}
