-- Version 8: each overview also at a coarse resolution (1,024 buckets beside the 4,096), so that the
-- compare view opening fifty runs reads a quarter of the bytes. The coarse blob comes first in the row:
-- SQLite reads a row's columns in order through its overflow pages, so reading it never reads the fine
-- one. Overviews are computed from a run's rows, so the old ones are dropped and computed again on
-- their first read (as for runs that finished before version 6).

DROP TABLE curve_overviews;

CREATE TABLE curve_overviews (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  series   TEXT    NOT NULL,   -- `loss`, `accuracy` or a trace name
  -- Float64 columns (native byte order, little-endian on every machine CurveLab runs on) of equal
  -- length, one entry per bucket in step order: first step, count, the sums of step, epoch index,
  -- seconds and passes, the sum, min and max of the value. See src-main/lab/store/curveOverview.ts.
  coarse   BLOB    NOT NULL,   -- at most 1,026 entries
  buckets  BLOB    NOT NULL,   -- at most 4,098 entries
  PRIMARY KEY (run_id, series)
);
