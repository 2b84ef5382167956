import type Database from 'better-sqlite3';
import type { CurvePoint } from '../api/labApi';

/**
 * One plotted point as the store reads it: the Lab API's CurvePoint (a bucket's means, min, max and
 * count) with the bucket's mean 0-based epoch index, which the lab turns into a fractional epoch.
 */
export type StoredCurvePoint = Omit<CurvePoint, 'epoch'> & { epochIndex: number };

export interface CurveQuery {
  /** `loss` or `accuracy` (per-step metrics) or the name of an optimizer trace value. */
  series: string;
  /** At most this many points come back (≥ 2). */
  maxPoints: number;
}

/**
 * Downsampling, done in SQL in one pass over the run's rows (no window functions: this is the
 * compare view's hot path). With n stored (non-null) points spanning steps lo..hi and n > maxPoints,
 * the first and last point are kept as they are and the steps strictly between them are bucketed
 * by step into maxPoints − 2 buckets (step s goes to bucket 1 + ⌊(s − lo − 1)(maxPoints − 2) / (hi − lo − 1)⌋),
 * each reduced to its mean step, mean, min and max value. For the usual gap-free steps this is
 * bucketing by position. Null values (NaN, missing accuracy) are skipped.
 */
function curveSql(source: string): string {
  return `
    WITH src AS (SELECT step, v, epoch, seconds, passes FROM (${source}) WHERE v IS NOT NULL),
    p AS (SELECT MIN(step) AS lo, MAX(step) AS hi, COUNT(*) AS n, CAST(@maxPoints AS INTEGER) AS m FROM src)
    SELECT AVG(step) AS step, AVG(epoch) AS epochIndex, AVG(seconds) AS seconds, AVG(passes) AS passes, AVG(v) AS value, MIN(v) AS min, MAX(v) AS max, COUNT(*) AS count
    FROM src, p
    WHERE n <= m OR step = lo OR step = hi OR m > 2
    GROUP BY CASE
      WHEN n <= m THEN step
      WHEN step = lo THEN 0
      WHEN step = hi THEN m - 1
      ELSE 1 + ((step - lo - 1) * (m - 2)) / (hi - lo - 1)
    END
    ORDER BY 1`;
}

const passes = 'forward_passes + backward_passes + forward_mode_passes';
const stepSeries: Record<string, string> = {
  loss: `SELECT step, loss AS v, epoch, seconds, ${passes} AS passes FROM step_metrics WHERE run_id = @runId`,
  accuracy: `SELECT step, accuracy AS v, epoch, seconds, ${passes} AS passes FROM step_metrics WHERE run_id = @runId`,
};
// Trace values are written in the same transaction as their step's metrics, so the join finds them.
const traceSeries = `SELECT t.step AS step, t.value AS v, m.epoch AS epoch, m.seconds AS seconds, ${passes} AS passes
  FROM trace_values t JOIN step_metrics m ON m.run_id = t.run_id AND m.step = t.step
  WHERE t.run_id = @runId AND t.name = @name`;

/** Prepared once per connection; `read` runs one curve query. */
export class CurveReader {
  private readonly stepStatements: Map<string, Database.Statement>;
  private readonly traceStatement: Database.Statement;

  constructor(db: Database.Database) {
    this.stepStatements = new Map(Object.entries(stepSeries).map(([name, sql]) => [name, db.prepare(curveSql(sql))]));
    this.traceStatement = db.prepare(curveSql(traceSeries));
  }

  read(runId: number, { series, maxPoints }: CurveQuery): StoredCurvePoint[] {
    if (!Number.isInteger(maxPoints) || maxPoints < 2) {
      throw new RangeError(`maxPoints must be an integer ≥ 2, got ${maxPoints}`);
    }
    const step = this.stepStatements.get(series);
    if (step) return step.all({ runId, maxPoints }) as StoredCurvePoint[];
    return this.traceStatement.all({ runId, maxPoints, name: series }) as StoredCurvePoint[];
  }
}
