-- Version 5: runs trained by remote workers through a BullMQ queue on Redis.

-- The lab's identity in a shared Redis (its event stream and study queue are named after it), and other
-- settings of this database: key → value.
CREATE TABLE lab_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The BullMQ job that trains the run (NULL: a local worker thread trains it). A run with a job is not
-- orphaned when the lab process that queued it is gone: the queue holds it, and the next lab with the
-- queue picks its events up.
ALTER TABLE runs ADD COLUMN queue_job TEXT;
-- The attempt whose events the lab writes (`workerId#k`): events of an older attempt are dropped.
ALTER TABLE runs ADD COLUMN queue_attempt TEXT;
-- The worker that trains or trained the run, by name (NULL: this lab's own threads).
ALTER TABLE runs ADD COLUMN worker TEXT;

-- What happened to a run on its way (queued, taken by a worker, moved to another, refused…), in order.
CREATE TABLE run_history (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  at      TEXT    NOT NULL,
  event   TEXT    NOT NULL
);
CREATE INDEX run_history_by_run ON run_history (run_id, id);
