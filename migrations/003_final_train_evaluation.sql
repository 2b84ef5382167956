-- Version 3: the final model evaluated on the run's whole training set (eval mode), the train error a
-- paper reports, beside train_loss (the mean batch loss of the last epoch). NULL for runs that did not
-- complete and for runs recorded before this version.

ALTER TABLE runs ADD COLUMN train_eval_loss     REAL;
ALTER TABLE runs ADD COLUMN train_eval_accuracy REAL;
