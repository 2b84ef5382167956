-- Version 6: each finished run's curves at a fixed fine resolution, so that drawing a whole curve reads
-- one row per series instead of every step. Computed from the run's rows when it finishes (a run that
-- finished before this version: on its first read), deleted with its rows (requeued, a new attempt).

CREATE TABLE curve_overviews (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  series   TEXT    NOT NULL,   -- `loss`, `accuracy` or a trace name
  -- Float64 columns (native byte order, little-endian on every machine CurveLab runs on) of equal
  -- length, one entry per bucket in step order: first step, count, the sums of step, epoch index,
  -- seconds and passes, the sum, min and max of the value. See src-main/lab/store/curveOverview.ts.
  buckets  BLOB    NOT NULL,
  PRIMARY KEY (run_id, series)
);
