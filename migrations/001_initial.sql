-- CurveLab store, version 1: experiments, runs, their per-step / per-epoch metrics and optimizer traces, datasets.
-- Timestamps are ISO-8601 UTC strings; JSON columns hold text produced by JSON.stringify.

CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,          -- stable identity across databases (archives)
  name        TEXT    NOT NULL,
  notes       TEXT    NOT NULL DEFAULT '',
  tags        TEXT    NOT NULL DEFAULT '[]',    -- JSON array of strings
  created_at  TEXT    NOT NULL
);

CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  uid           TEXT    NOT NULL UNIQUE,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  spec          TEXT    NOT NULL,               -- JSON: the RunSpec as given
  optimizer     TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'completed', 'diverged', 'cancelled', 'failed', 'interrupted')),
  backend       TEXT,
  pid           INTEGER,                        -- the process training it
  created_at    TEXT    NOT NULL,
  started_at    TEXT,
  ended_at      TEXT,
  steps         INTEGER,                        -- steps taken, as reported when the run ended
  train_loss    REAL,
  val_loss      REAL,
  val_accuracy  REAL,
  error         TEXT
);
CREATE INDEX runs_by_experiment ON runs(experiment_id, id);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE step_metrics (
  run_id              INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step                INTEGER NOT NULL,
  epoch               INTEGER NOT NULL,
  loss                REAL,
  accuracy            REAL,
  seconds             REAL    NOT NULL,
  forward_passes      INTEGER NOT NULL,
  backward_passes     INTEGER NOT NULL,
  forward_mode_passes INTEGER NOT NULL,
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;

CREATE TABLE epoch_metrics (
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch           INTEGER NOT NULL,
  steps           INTEGER NOT NULL,
  train_loss      REAL,
  train_accuracy  REAL,
  val_loss        REAL,
  val_accuracy    REAL,
  seconds         REAL    NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE trace_values (
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step    INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  value   REAL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE datasets (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL,
  source          TEXT    NOT NULL,             -- "embedded" or a file / folder path
  content_hash    TEXT    NOT NULL,
  input_shape     TEXT    NOT NULL,             -- JSON array of integers
  classes         INTEGER NOT NULL,
  task            TEXT    NOT NULL CHECK (task IN ('classification', 'regression')),
  train_size      INTEGER NOT NULL,
  validation_size INTEGER NOT NULL,
  created_at      TEXT    NOT NULL,
  UNIQUE (source, content_hash)
);
CREATE INDEX datasets_by_hash ON datasets(content_hash);
