-- Version 7: ids the lab hands out are never used twice, and each run names the lab session that owns it.
--
-- Experiments, runs and datasets get AUTOINCREMENT: without it SQLite gives a new row the largest id
-- plus one, so deleting the newest run let the next run take its id while the deleted run's worker
-- still sent events under it. SQLite cannot add AUTOINCREMENT to a table, so each is rebuilt with the
-- same columns, rows and ids (migrations run with foreign keys off, and are checked before they commit).

CREATE TABLE experiments_v7 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  uid         TEXT    NOT NULL UNIQUE,          -- stable identity across databases (archives)
  name        TEXT    NOT NULL,
  notes       TEXT    NOT NULL DEFAULT '',
  tags        TEXT    NOT NULL DEFAULT '[]',    -- JSON array of strings
  created_at  TEXT    NOT NULL,
  study       TEXT
);
INSERT INTO experiments_v7 (id, uid, name, notes, tags, created_at, study)
  SELECT id, uid, name, notes, tags, created_at, study FROM experiments;
DROP TABLE experiments;
ALTER TABLE experiments_v7 RENAME TO experiments;

CREATE TABLE runs_v7 (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  uid                 TEXT    NOT NULL UNIQUE,
  experiment_id       INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  spec                TEXT    NOT NULL,               -- JSON: the RunSpec as given
  optimizer           TEXT    NOT NULL,
  status              TEXT    NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'completed', 'diverged', 'cancelled', 'failed', 'interrupted')),
  backend             TEXT,
  pid                 INTEGER,                        -- the process training it (shown; its session decides whether it lives)
  created_at          TEXT    NOT NULL,
  started_at          TEXT,
  ended_at            TEXT,
  steps               INTEGER,                        -- steps taken, as reported when the run ended
  train_loss          REAL,
  val_loss            REAL,
  val_accuracy        REAL,
  error               TEXT,
  total_steps         INTEGER,
  steps_per_epoch     INTEGER,
  notes               TEXT    NOT NULL DEFAULT '',
  tags                TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
  train_eval_loss     REAL,
  train_eval_accuracy REAL,
  study_cell          TEXT,
  queue_job           TEXT,
  queue_attempt       TEXT,
  worker              TEXT,
  -- The lab session (lab_sessions.id) that queued or trains the run; NULL for runs from before version 7.
  session             TEXT
);
INSERT INTO runs_v7 (id, uid, experiment_id, spec, optimizer, status, backend, pid, created_at, started_at, ended_at, steps,
                     train_loss, val_loss, val_accuracy, error, total_steps, steps_per_epoch, notes, tags, train_eval_loss,
                     train_eval_accuracy, study_cell, queue_job, queue_attempt, worker)
  SELECT id, uid, experiment_id, spec, optimizer, status, backend, pid, created_at, started_at, ended_at, steps,
         train_loss, val_loss, val_accuracy, error, total_steps, steps_per_epoch, notes, tags, train_eval_loss,
         train_eval_accuracy, study_cell, queue_job, queue_attempt, worker
  FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v7 RENAME TO runs;
CREATE INDEX runs_by_experiment ON runs(experiment_id, id);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE datasets_v7 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  source          TEXT    NOT NULL,             -- "embedded" or a file / folder path
  content_hash    TEXT    NOT NULL,
  input_shape     TEXT    NOT NULL,             -- JSON array of integers
  classes         INTEGER NOT NULL,
  task            TEXT    NOT NULL CHECK (task IN ('classification', 'regression')),
  train_size      INTEGER NOT NULL,
  validation_size INTEGER NOT NULL,
  created_at      TEXT    NOT NULL,
  origin          TEXT    NOT NULL DEFAULT 'path' CHECK (origin IN ('embedded', 'path', 'upload')),
  format          TEXT    NOT NULL DEFAULT 'csv',
  target          TEXT,                         -- CSV: the target column(s)
  class_names     TEXT,                         -- JSON array, or NULL when unnamed
  UNIQUE (source, content_hash)
);
INSERT INTO datasets_v7 (id, name, source, content_hash, input_shape, classes, task, train_size, validation_size, created_at,
                         origin, format, target, class_names)
  SELECT id, name, source, content_hash, input_shape, classes, task, train_size, validation_size, created_at,
         origin, format, target, class_names
  FROM datasets;
DROP TABLE datasets;
ALTER TABLE datasets_v7 RENAME TO datasets;
CREATE INDEX datasets_by_hash ON datasets(content_hash);

-- One row per process that has the database open for writing (a lab, `curvelab train`), made when it
-- opens and deleted when it closes; while it lives it renews `heartbeat_at` every few seconds. A queued
-- or running run whose session is gone, stale, or provably dead (same machine, its process gone) is
-- orphaned: nothing will train it. A process id alone cannot tell: a lab restarted in a container is
-- pid 1 again.
CREATE TABLE lab_sessions (
  id            TEXT    PRIMARY KEY,
  pid           INTEGER NOT NULL,
  machine       TEXT    NOT NULL,               -- where pid means something: host, boot and pid namespace
  started_at    TEXT    NOT NULL,
  heartbeat_at  INTEGER NOT NULL                -- milliseconds since 1970 (UTC)
);
