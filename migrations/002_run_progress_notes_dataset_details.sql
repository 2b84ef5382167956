-- Version 2: what the lab UI needs beyond the CLI.
-- Runs: their planned length (progress bars, fractional epochs) and the user's notes and tags.
-- Datasets: how a run spec names them (origin, CSV target), their format and class names.

ALTER TABLE runs ADD COLUMN total_steps     INTEGER;
ALTER TABLE runs ADD COLUMN steps_per_epoch INTEGER;
ALTER TABLE runs ADD COLUMN notes           TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN tags            TEXT NOT NULL DEFAULT '[]';   -- JSON array of strings

ALTER TABLE datasets ADD COLUMN origin      TEXT NOT NULL DEFAULT 'path' CHECK (origin IN ('embedded', 'path', 'upload'));
ALTER TABLE datasets ADD COLUMN format      TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE datasets ADD COLUMN target      TEXT;                          -- CSV: the target column(s)
ALTER TABLE datasets ADD COLUMN class_names TEXT;                          -- JSON array, or NULL when unnamed
