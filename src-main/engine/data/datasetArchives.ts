/**
 * Archives as downloaded (cifar-10-binary.tar.gz, a .zip of images) are not datasets CurveLab reads:
 * the refusal names the archive, the command that extracts it beside itself, and the folder to pass
 * then. For a tar archive that folder is the first entry's top folder, read from the first 512-byte
 * header (decompressing only the start of a gzipped one), so the hint is exact for the official CIFAR
 * archives without unpacking 160 MB.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { UserInputError } from '../errors';
import { isGzip } from './readDatasetFile';

interface ArchiveKind {
  suffix: RegExp;
  /** The extraction command for `file` into `dir` ('.' for the current folder). */
  command(file: string, dir: string): string;
  tar: boolean;
}

const ARCHIVE_KINDS: ArchiveKind[] = [
  { suffix: /\.(tar\.gz|tgz)$/i, command: (file, dir) => `tar xzf ${shellQuote(file)}${dir === '.' ? '' : ` -C ${shellQuote(dir)}`}`, tar: true },
  { suffix: /\.tar$/i, command: (file, dir) => `tar xf ${shellQuote(file)}${dir === '.' ? '' : ` -C ${shellQuote(dir)}`}`, tar: true },
  { suffix: /\.zip$/i, command: (file, dir) => `unzip ${shellQuote(file)}${dir === '.' ? '' : ` -d ${shellQuote(dir)}`}`, tar: false },
];

const TAR_HEADER_BYTES = 512;
/** Enough compressed bytes for the first tar header, whatever the compression level. */
const GZIP_PREFIX_BYTES = 64 * 1024;

export function isArchiveName(name: string): boolean {
  return ARCHIVE_KINDS.some((kind) => kind.suffix.test(name));
}

/**
 * The refusal for an archive file given as a dataset (`source` as the user wrote it, `file` resolved),
 * or undefined when the name is not an archive's.
 */
export async function archiveRefusal(file: string, source: string): Promise<UserInputError | undefined> {
  const kind = ARCHIVE_KINDS.find((k) => k.suffix.test(file));
  if (kind === undefined) return undefined;
  const dir = path.dirname(source);
  const top = kind.tar ? await firstTarFolder(file) : undefined;
  const then =
    top === undefined
      ? 'then pass the folder it makes (a folder of IDX or CIFAR files, or of class subfolders of images)'
      : `then pass the folder it makes: --dataset ${shellQuote(top === null ? dir : path.join(dir, top))}`;
  return new UserInputError(
    `Dataset file "${source}" is an archive: CurveLab reads the files it holds, not the archive itself. Extract it first:\n` +
      `  ${kind.command(source, dir)}\n${then} (see docs/datasets.md)`,
  );
}

/**
 * The folder a tar archive unpacks into, from its first header: its name's first path segment; null
 * when the first entry is a file at the top (the archive unpacks into the current folder); undefined
 * when the header cannot be read or is an extension header (pax, GNU long name) that hides the name.
 */
async function firstTarFolder(file: string): Promise<string | null | undefined> {
  let start: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = new Uint8Array(GZIP_PREFIX_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      start = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    // Z_SYNC_FLUSH decompresses a prefix of the stream without asking for its end.
    if (isGzip(start)) start = gunzipSync(start, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
  if (start.length < TAR_HEADER_BYTES || new TextDecoder().decode(start.subarray(257, 262)) !== 'ustar') return undefined;
  const field = (from: number, length: number): string => new TextDecoder().decode(start.subarray(from, from + length)).replace(/\0.*$/s, '');
  const typeFlag = field(156, 1);
  if (!['', '0', '5'].includes(typeFlag)) return undefined;
  const prefix = field(345, 155);
  const name = (prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`).replace(/^(\.\/)+/, '');
  const segments = name.split('/').filter((s) => s !== '');
  if (segments.length === 0) return undefined;
  return segments.length > 1 || typeFlag === '5' ? segments[0] : null;
}

/** A path as a POSIX shell reads it: bare when it has no special characters, else in single quotes. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
