export { ArchiveError } from './archiveError';
export { defaultArchiveLimits, type ArchiveLimits } from './archiveLimits';
export { archiveFormat, archiveFormatVersion, type ArchiveManifest } from './archiveManifest';
export { exportExperiment, type ExportedArchive } from './exportExperiment';
export { checkArchiveInWorker, sharedBytesFromBase64 } from './checkArchiveInWorker';
export { importArchive, importCheckedArchive, type ImportOptions } from './importArchive';
