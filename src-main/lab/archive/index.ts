export { ArchiveError } from './archiveError';
export { defaultArchiveLimits, type ArchiveLimits } from './archiveLimits';
export { archiveFormat, archiveFormatVersion, type ArchiveManifest } from './archiveManifest';
export { exportExperiment, type ExportedArchive } from './exportExperiment';
export { importArchive, type ImportOptions } from './importArchive';
