import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DatasetFiles, DatasetFilesListing } from '../lab/datasets/datasetFiles';
import { UserInputError } from '../engine/errors';
import { baseHeaders, sendError, sendJson } from './httpResponses';

/** The registered dataset with that content hash, listed; null when the lab has none to give (or it is the embedded MNIST). */
export type FindDatasetFiles = (hash: string) => Promise<DatasetFiles | null>;

export const datasetFilesPath = '/api/datasets/by-hash/';

/**
 * A registered dataset's files for a remote worker that has no copy (the access token is checked before
 * this is reached, as for every /api path):
 *
 *   GET /api/datasets/by-hash/<hash>               → {name, source, files: [{path, size}]}
 *   GET /api/datasets/by-hash/<hash>/files/<path>  → the bytes of one file the listing names
 *
 * Only the files the listing names are served, by exact path: nothing outside the dataset can be reached.
 */
export async function serveDatasetFiles(req: IncomingMessage, res: ServerResponse, pathname: string, find: FindDatasetFiles | undefined): Promise<void> {
  const match = /^\/api\/datasets\/by-hash\/([0-9a-f]{64})(?:\/files\/(.+))?$/.exec(pathname);
  if (!match) return sendError(res, 404, 'not-found', `no such dataset path: ${pathname} (expected ${datasetFilesPath}<SHA-256 content hash>[/files/<path>])`);
  if (req.method !== 'GET') return sendError(res, 405, 'invalid-request', `${datasetFilesPath}… takes GET, not ${req.method}`, { Allow: 'GET' });
  const [, hash, encodedPath] = match as unknown as [string, string, string | undefined];
  let dataset: DatasetFiles | null;
  try {
    dataset = find ? await find(hash) : null;
  } catch (error) {
    // The dataset's files are gone from the lab's disk, or no longer load.
    if (error instanceof UserInputError) return sendError(res, 404, 'not-found', `the lab cannot give the dataset with content hash ${hash}: ${error.message.split('\n')[0]}`);
    throw error;
  }
  if (dataset === null) {
    return sendError(res, 404, 'not-found', `no dataset with content hash ${hash} is registered in this lab (the embedded mnist is not served: every worker has it)`);
  }
  if (encodedPath === undefined) {
    const listing: DatasetFilesListing = { name: dataset.name, source: dataset.source, files: dataset.files };
    return sendJson(res, 200, listing);
  }
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return sendError(res, 400, 'invalid-request', `the file path ${JSON.stringify(encodedPath)} is not valid percent-encoding`);
  }
  if (!dataset.files.some((file) => file.path === path)) {
    return sendError(res, 404, 'not-found', `${JSON.stringify(path)} is not a file of dataset "${dataset.name}" (its listing names them)`);
  }
  const file = join(dataset.dir, ...path.split('/'));
  const { size } = await stat(file);
  res.writeHead(200, { ...baseHeaders, 'Content-Type': 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'no-store' });
  // A client that goes away mid-file ends the stream; there is nothing to answer then.
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}
