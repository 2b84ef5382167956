export { openStore, type OpenStoreOptions } from './openStore';
export { Store } from './store';
export { RunRecorder, type RunRecorderOptions } from './runRecorder';
export type { StoredCurvePoint, CurveQuery } from './curveQuery';
export type { EpochMetricsRecord, ExperimentRecord, RunEndStatus, RunFinish, RunRecord, RunRecordStatus } from './records';
export { DatabaseTooNewError, MigrationError, NotADatabaseError, StoreError } from './storeErrors';
export { applyMigrations, defaultMigrationsDir, loadMigrations, type Migration } from './migrations';
export { DatasetRows, type NewDatasetRow } from './datasetRows';
