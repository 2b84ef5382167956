import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ArchiveError } from './archiveError';
import type { ArchiveFileEntry } from './archiveWriter';
import { readZipEntry, type ZipEntry } from './zipReader';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A listed entry's bytes, checked against the manifest's size and SHA-256 (after the zip's own size and CRC checks). */
export function readListedEntry(bytes: Uint8Array, entry: ZipEntry, listed: ArchiveFileEntry): Uint8Array {
  const content = readZipEntry(bytes, entry);
  if (content.byteLength !== listed.bytes) {
    throw new ArchiveError(entry.name, `holds ${content.byteLength} bytes, but manifest.json lists ${listed.bytes}`);
  }
  if (createHash('sha256').update(content).digest('hex') !== listed.sha256) {
    throw new ArchiveError(entry.name, 'does not match the SHA-256 checksum manifest.json lists for it: the archive was changed or damaged');
  }
  return content;
}

/** An entry's bytes as JSON (UTF-8). */
export function parseJsonEntry(name: string, content: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    throw new ArchiveError(name, 'is not UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArchiveError(name, `is not valid JSON (${(error as Error).message})`);
  }
}

/** A JSON path the way a reader would write it: `[2].status`, `rows[12][3]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Parses with a zod schema; the first issue becomes an ArchiveError naming the entry and the path inside it. */
export function parseEntryShape<T>(name: string, schema: z.ZodType<T>, value: unknown, describePath: (path: readonly PropertyKey[]) => string = jsonPath): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = describePath(issue.path);
  throw new ArchiveError(name, `${where === '' ? '' : `${where}: `}${issue.message}`);
}
