export { openStore, type OpenStoreOptions } from './openStore';
export { Store, type StoreOptions } from './store';
export { RunJournal, type RunEnding, type RunJournalOptions } from './runJournal';
export type { CurveColumns, StoredCurvePoint, CurveQuery } from './curveQuery';
export type {
  EpochMetricsRecord,
  ExperimentRecord,
  RunEndStatus,
  RunFinish,
  RunRecord,
  RunRecordStatus,
  StudyExperimentRecord,
  StudyRecord,
  StudyRunInput,
} from './records';
export {
  CannotOpenDatabaseError,
  DatabaseTooNewError,
  MigrationError,
  NotADatabaseError,
  RowRefusedError,
  StorageError,
  StoreError,
  type StorageFailure,
} from './storeErrors';
export { applyMigrations, defaultMigrationsDir, loadMigrations, type Migration } from './migrations';
export { DatasetRows, type NewDatasetRow } from './datasetRows';
export { QueueRows, type QueueRunRow } from './queueRows';
export { ArchiveRows, type SqlValue, type TableColumn, type TableRow } from './archiveRows';
