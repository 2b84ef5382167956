import type { LabEvent } from '../lab/api/labApi';
import type { LabDispatch } from '../lab/api/labDispatcher';
import type { FindDatasetFiles } from './datasetFileRoutes';

/**
 * What the web server needs from the lab: one dispatch for calls (it validates methods and payloads
 * and never throws) and a feed of events. The server adds transport only, no behaviour of its own.
 */
export interface LabHost {
  dispatch: LabDispatch;
  /** Calls `listener` with every lab event; returns the function that stops it. */
  subscribe(listener: (event: LabEvent) => void): () => void;
  /** The registered datasets' files by content hash, for remote workers (GET /api/datasets/by-hash/…); absent, none are served. */
  datasetFiles?: FindDatasetFiles;
}
