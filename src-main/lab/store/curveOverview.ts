import type Database from 'better-sqlite3';

/**
 * A finished run's series at a fixed fine resolution (its overview), stored once so that a whole-curve
 * read (the compare view opening) takes one row instead of every step. It is the curve query's own
 * downsampling at overviewBuckets + 2 points, kept as sums instead of means: the first and last point
 * alone, the steps between in overviewBuckets buckets by step; a series of at most overviewBuckets + 2
 * points keeps every point as its own entry.
 *
 * A request for m ≤ overviewBuckets + 2 points is answered by re-bucketing: each entry goes whole to the
 * requested bucket that its first step falls in (the curve query's rule), and a bucket's mean is its
 * Σsum / Σcount, its min the min of mins, its max the max of maxes. So every step still counts once and
 * a spike survives in its bucket's max. This equals the raw rows' downsampling exactly (means to
 * rounding) when the series kept every point, and when (m − 2) divides overviewBuckets: then no entry
 * straddles a requested bucket's boundary. Otherwise an entry that straddles one goes whole to the
 * earlier bucket: a bucket's step range starts and ends up to one entry width (⌈(last − first − 1) /
 * overviewBuckets⌉ − 1 steps, 4 for 20,000 steps) later than the raw rows' bucket's, with mean, min, max
 * and count exact for the steps it holds.
 */
export const overviewBuckets = 4096;

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

/** Entries as the SQL gives them, one array per entry in overviewColumns order → the stored blob. */
export function encodeOverview(entries: number[][]): Buffer {
  const length = entries.length;
  const data = new Float64Array(overviewColumns.length * length);
  entries.forEach((entry, j) => entry.forEach((x, c) => (data[c * length + j] = x)));
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
 * columns. Written straight into typed arrays: this is the compare view's hot path on the server (50
 * runs open with a few hundred overviews of 4,098 entries), so a bucket's end is found once, as the first
 * step of the next bucket, and each entry then costs one comparison and its sums.
 */
export function rebucket(overview: CurveOverview, maxPoints: number): BucketColumns {
  const { first, count, step, epochIndex, seconds, passes, value, min, max } = overview;
  const entries = first.length;
  const out = emptyBuckets(Math.min(entries, maxPoints));
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
  // The bucket being summed: count, the sums of step, epoch index, seconds, passes and value, min, max.
  let c = 0, sStep = 0, sEpoch = 0, sSeconds = 0, sPasses = 0, sValue = 0, low = 0, high = 0;
  for (let j = 0; j < entries; j++) {
    if (first[j] < end) {
      c += count[j];
      sStep += step[j];
      sEpoch += epochIndex[j];
      sSeconds += seconds[j];
      sPasses += passes[j];
      sValue += value[j];
      if (min[j] < low) low = min[j];
      if (max[j] > high) high = max[j];
      continue;
    }
    const b = bucketOf(first[j]);
    if (b === null) continue;
    if (k >= 0) closeBucket(out, k, c, sStep, sEpoch, sSeconds, sPasses, sValue, low, high);
    k++;
    end = endOf(b, first[j]);
    c = count[j];
    sStep = step[j];
    sEpoch = epochIndex[j];
    sSeconds = seconds[j];
    sPasses = passes[j];
    sValue = value[j];
    low = min[j];
    high = max[j];
  }
  closeBucket(out, k, c, sStep, sEpoch, sSeconds, sPasses, sValue, low, high);
  return sliceBuckets(out, k + 1);
}

/** Bucket k's means, min, max and count, from its sums. */
function closeBucket(out: BucketColumns, k: number, c: number, sStep: number, sEpoch: number, sSeconds: number, sPasses: number, sValue: number, low: number, high: number): void {
  out.step[k] = sStep / c;
  out.epochIndex[k] = sEpoch / c;
  out.seconds[k] = sSeconds / c;
  out.passes[k] = sPasses / c;
  out.value[k] = sValue / c;
  out.min[k] = low;
  out.max[k] = high;
  out.count[k] = c;
}

function emptyBuckets(length: number): BucketColumns {
  const column = (): Float64Array => new Float64Array(length);
  return { step: column(), epochIndex: column(), seconds: column(), passes: column(), value: column(), min: column(), max: column(), count: new Int32Array(length) };
}

/** The first `length` entries of every column (views, no copies). */
function sliceBuckets(columns: BucketColumns, length: number): BucketColumns {
  const { step, epochIndex, seconds, passes, value, min, max, count } = columns;
  return {
    step: step.subarray(0, length),
    epochIndex: epochIndex.subarray(0, length),
    seconds: seconds.subarray(0, length),
    passes: passes.subarray(0, length),
    value: value.subarray(0, length),
    min: min.subarray(0, length),
    max: max.subarray(0, length),
    count: count.subarray(0, length),
  };
}

/** Only an ended run's rows are final. */
const ended = "status NOT IN ('queued', 'running')";

/** The table of overviews (migration 006); its statements are prepared on first use, as a store opened on an older schema never reads it. */
export class CurveOverviewRows {
  private statements?: { find: Database.Statement; put: Database.Statement };

  constructor(private readonly db: Database.Database) {}

  /** Whether the run has ended, and its stored overview of the series; undefined: no such run. */
  find(runId: number, series: string): { ended: boolean; blob: Buffer | null } | undefined {
    const row = this.prepared().find.get(series, runId) as { ended: number; blob: Buffer | null } | undefined;
    return row && { ended: row.ended === 1, blob: row.blob };
  }

  /**
   * Stores the overview while the run has ended: another connection may have requeued it (deleting its
   * rows and overviews) since they were read.
   */
  put(runId: number, series: string, blob: Buffer): void {
    this.prepared().put.run(series, blob, runId);
  }

  private prepared(): { find: Database.Statement; put: Database.Statement } {
    this.statements ??= {
      find: this.db.prepare(
        `SELECT r.${ended} AS ended, o.buckets AS blob
         FROM runs r LEFT JOIN curve_overviews o ON o.run_id = r.id AND o.series = ? WHERE r.id = ?`,
      ),
      put: this.db.prepare(`INSERT OR REPLACE INTO curve_overviews (run_id, series, buckets) SELECT id, ?, ? FROM runs WHERE id = ? AND ${ended}`),
    };
    return this.statements;
  }
}
