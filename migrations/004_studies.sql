-- Version 4: studies. A study is one experiment that keeps its study spec; each of its runs keeps its
-- cell (where it sits in the study). NULL for experiments and runs that are not a study's.

-- JSON: { "spec": StudySpec, "builtIn": { "name", "scale" } or null, "task": "classification" | "regression" }
ALTER TABLE experiments ADD COLUMN study TEXT;
-- JSON: { "architecture": row label, "optimizer": column label, "lr": lr-grid value or null, "seed": integer }
ALTER TABLE runs ADD COLUMN study_cell TEXT;
