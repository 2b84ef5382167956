import type Database from 'better-sqlite3';
import type { CurvePoint, StepRange } from '../api/labApi';
import { StorageError } from './storeErrors';
import { coarseOverview, CurveOverviewRows, decodeOverview, encodeOverview, overviewBuckets, overviewLevelFor, overviewOfEntries, rebucket, type CurveOverview } from './curveOverview';

/**
 * One plotted point as the store reads it: the Lab API's CurvePoint (a bucket's means, min, max and
 * count) with the bucket's mean 0-based epoch index, which the lab turns into a fractional epoch.
 */
export type StoredCurvePoint = Omit<CurvePoint, 'epoch'> & { epochIndex: number };

/** A CurvePoint list as columns (one entry per bucket): how the compare view is sent its curves. */
export type CurveColumns = { [K in Exclude<keyof CurvePoint, 'count'>]: Float64Array } & { count: Int32Array };

/** The store's points (StoredCurvePoint) as columns. */
export type StoredCurveColumns = Omit<CurveColumns, 'epoch'> & { epochIndex: Float64Array };

export interface CurveQuery {
  /** `loss` or `accuracy` (per-step metrics) or the name of an optimizer trace value. */
  series: string;
  /** At most this many points come back (≥ 2). */
  maxPoints: number;
  /** Only the steps in this range (both ends included); absent, every step. */
  stepRange?: StepRange;
}

/**
 * Downsampling, done in SQL in one pass over the run's rows in the step range (the compare view's hot
 * path: a first query finds the span lo..hi and count n of the stored non-null points, so the bucket
 * of a row is plain integer arithmetic on bound values). With n > maxPoints, the first and last point
 * are kept as they are and the steps strictly between them are bucketed by step into maxPoints − 2
 * buckets (step s goes to bucket 1 + ⌊(s − lo − 1)(maxPoints − 2) / (hi − lo − 1)⌋), each reduced to its
 * mean step, mean, min and max value: a spike inside a bucket survives in its max. For the usual
 * gap-free steps this is bucketing by position. With n ≤ maxPoints every point comes back as it is.
 * Null values (NaN, missing accuracy) are skipped. An ended run's whole series is read from its overview
 * (see curveOverview.ts) when maxPoints is at most its resolution.
 */
interface CurveSource {
  /** FROM and WHERE of the source's non-null rows in @from..@to. */
  rows: string;
  /** FROM and WHERE of the same rows for the span (without what only the x columns need). */
  spanRows: string;
  /** Column expressions of a row: its step, epoch index, seconds, passes and value. */
  step: string;
  x: [epoch: string, seconds: string, passes: string];
  value: string;
}

const passes = 'forward_passes + backward_passes + forward_mode_passes';
const metricRows = (column: string): string => `FROM step_metrics WHERE run_id = @runId AND ${column} IS NOT NULL AND step BETWEEN @from AND @to`;
const metricSource = (column: string): CurveSource => ({
  rows: metricRows(column),
  spanRows: metricRows(column),
  step: 'step',
  x: ['epoch', 'seconds', passes],
  value: column,
});
const metricColumns: Record<string, string> = { loss: 'loss', accuracy: 'accuracy' };
const traceRows = 'FROM trace_values t WHERE t.run_id = @runId AND t.name = @name AND t.value IS NOT NULL AND t.step BETWEEN @from AND @to';
// Trace values are written in the same transaction as their step's metrics, so the join finds them
// (and the span needs no join).
const traceSource: CurveSource = {
  rows: traceRows.replace('WHERE', 'JOIN step_metrics m ON m.run_id = t.run_id AND m.step = t.step WHERE'),
  spanRows: traceRows,
  step: 't.step',
  x: ['m.epoch', 'm.seconds', passes],
  value: 't.value',
};

interface CurveStatements {
  span: Database.Statement;
  every: Database.Statement;
  buckets: Database.Statement;
  /** The overview's entries: per bucket (per step with @every) its first step, count, sums, min and max. */
  overview: Database.Statement;
}

function prepare(db: Database.Database, { rows, spanRows, step, x, value }: CurveSource): CurveStatements {
  // lo, hi and m are bound as BigInt, so that the division is an integer one; with m = 2 only the ends are left.
  const bucket = `CASE WHEN ${step} = @lo THEN 0 WHEN ${step} = @hi THEN @m - 1 ELSE 1 + ((${step} - @lo - 1) * (@m - 2)) / (@hi - @lo - 1) END`;
  return {
    span: db.prepare(`SELECT MIN(${step}) AS lo, MAX(${step}) AS hi, COUNT(*) AS n ${spanRows}`),
    every: db.prepare(`SELECT ${step}, ${x.join(', ')}, ${value}, ${value}, ${value}, 1 ${rows} ORDER BY ${step}`).raw(),
    buckets: db
      .prepare(`SELECT AVG(${step}), ${x.map((c) => `AVG(${c})`).join(', ')}, AVG(${value}), MIN(${value}), MAX(${value}), COUNT(*) ${rows} AND (@m > 2 OR ${step} IN (@lo, @hi)) GROUP BY ${bucket} ORDER BY 1`)
      .raw(),
    overview: db
      .prepare(
        `SELECT MIN(${step}), COUNT(*), SUM(${step}), ${x.map((c) => `SUM(${c})`).join(', ')}, SUM(${value}), MIN(${value}), MAX(${value}) ${rows}
         GROUP BY CASE WHEN @every THEN ${step} ELSE ${bucket} END ORDER BY 1`,
      )
      .raw(),
  };
}

const wholeRange: StepRange = { from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER };

/** Prepared once per connection; `read` runs one curve query. */
export class CurveReader {
  private readonly metricStatements: Map<string, CurveStatements>;
  private readonly traceStatements: CurveStatements;
  private readonly overviews: CurveOverviewRows;

  constructor(db: Database.Database) {
    this.metricStatements = new Map(Object.entries(metricColumns).map(([name, column]) => [name, prepare(db, metricSource(column))]));
    this.traceStatements = prepare(db, traceSource);
    this.overviews = new CurveOverviewRows(db);
  }

  /** The series downsampled as columns (see the bucketing above). */
  readColumns(runId: number, { series, maxPoints, stepRange }: CurveQuery): StoredCurveColumns {
    if (!Number.isInteger(maxPoints) || maxPoints < 2) {
      throw new RangeError(`maxPoints must be an integer ≥ 2, got ${maxPoints}`);
    }
    if (stepRange && !(stepRange.from <= stepRange.to)) throw new RangeError(`stepRange: from must be ≤ to, got ${stepRange.from}..${stepRange.to}`);
    const level = stepRange ? null : overviewLevelFor(maxPoints);
    const overview = level ? this.endedRunOverview(runId, series, level) : undefined;
    if (overview) return rebucket(overview, maxPoints);
    return columnsOf(this.readRows(runId, series, maxPoints, stepRange ?? wholeRange));
  }

  read(runId: number, query: CurveQuery): StoredCurvePoint[] {
    return pointsOfColumns(this.readColumns(runId, query));
  }

  /**
   * Computes and stores the overviews of an ended run's series from its rows (so computing them again
   * gives the same): `loss`, `accuracy` and these traces. A series without values gets none.
   */
  writeOverviews(runId: number, traceNames: string[]): void {
    for (const series of [...Object.keys(metricColumns), ...traceNames]) this.writeOverview(runId, series);
  }

  /** The series' overview at that level (empty: no values), when the run has ended: stored, or computed now for a run that ended before overviews existed. */
  private endedRunOverview(runId: number, series: string, level: 'coarse' | 'fine'): CurveOverview | undefined {
    const found = this.overviews.find(runId, series, level);
    if (!found?.ended) return undefined;
    return decodeOverview(found.blob ?? this.writeOverview(runId, series, true)[level]);
  }

  /** `onRead`: a read must not fail because the overviews cannot be stored (a full disk): they are computed again next time. */
  private writeOverview(runId: number, series: string, onRead = false): { coarse: Buffer; fine: Buffer } {
    const entries = this.readRows(runId, series, overviewBuckets + 2, wholeRange, true);
    const fine = overviewOfEntries(entries);
    const blobs = { coarse: encodeOverview(coarseOverview(fine)), fine: encodeOverview(fine) };
    try {
      if (entries.length > 0) this.overviews.put(runId, series, blobs);
    } catch (error) {
      if (!(onRead && error instanceof StorageError)) throw error;
    }
    return blobs;
  }

  /** Downsampled points as rows (see the bucketing above), or with `overview` the entries of an overview at maxPoints. */
  private readRows(runId: number, series: string, maxPoints: number, stepRange: StepRange, overview = false): number[][] {
    const statements = this.metricStatements.get(series) ?? this.traceStatements;
    const params = { runId, name: series, from: Math.ceil(stepRange.from), to: Math.floor(stepRange.to) };
    const { lo, hi, n } = statements.span.get(params) as { lo: number | null; hi: number | null; n: number };
    if (n === 0 || lo === null || hi === null) return [];
    const bounds = { ...params, lo: BigInt(lo), hi: BigInt(hi), m: BigInt(maxPoints) };
    if (overview) return statements.overview.all({ ...bounds, every: n <= maxPoints ? 1 : 0 }) as number[][];
    return (n <= maxPoints ? statements.every.all(params) : statements.buckets.all(bounds)) as number[][];
  }
}

const columnNames = ['step', 'epochIndex', 'seconds', 'passes', 'value', 'min', 'max', 'count'] as const;

function columnsOf(rows: number[][]): StoredCurveColumns {
  const columns = Object.fromEntries(
    columnNames.map((name, c) => {
      const column = name === 'count' ? new Int32Array(rows.length) : new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) column[i] = rows[i][c];
      return [name, column];
    }),
  );
  return columns as unknown as StoredCurveColumns;
}

/** Columns of equal length → one object per entry with a field per column. */
export function pointsOfColumns<K extends string>(columns: Record<K, ArrayLike<number>>): Record<K, number>[] {
  const names = Object.keys(columns) as K[];
  const length = names.length === 0 ? 0 : columns[names[0]].length;
  return Array.from({ length }, (_, i) => {
    const point = {} as Record<K, number>;
    for (const name of names) point[name] = columns[name][i];
    return point;
  });
}
