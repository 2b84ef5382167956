import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from './archiveError';
import { defaultArchiveLimits } from './archiveLimits';
import { patchDeclaredSize } from './archiveFixtures.testkit';
import { readZipDirectory, readZipEntry } from './zipReader';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function readAll(zip: Uint8Array): Record<string, string> {
  return Object.fromEntries(readZipDirectory(zip, defaultArchiveLimits).map((e) => [e.name, text(readZipEntry(zip, e))]));
}

/** The offset of the central directory record of the only (or first) entry. */
function centralRecord(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset);
  for (let at = zip.length - 22; at >= 0; at--) if (view.getUint32(at, true) === 0x02014b50) return at;
  throw new Error('no central directory record');
}

function failure(fn: () => unknown): ArchiveError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArchiveError) return error;
    throw error;
  }
  throw new Error('expected an ArchiveError');
}

describe('zipReader', () => {
  it('reads deflated and stored entries back exactly, names in folders included', () => {
    const long = 'abc,'.repeat(50_000);
    const deflated = zipSync({ 'a.json': strToU8('{"x":1}'), 'csv/r/steps.csv': strToU8(long), 'empty.txt': new Uint8Array(0) });
    expect(readAll(deflated)).toEqual({ 'a.json': '{"x":1}', 'csv/r/steps.csv': long, 'empty.txt': '' });
    const stored = zipSync({ 'a.json': strToU8('{"x":1}') }, { level: 0 });
    expect(readZipDirectory(stored, defaultArchiveLimits)[0]).toMatchObject({ method: 0, size: 7, compressedSize: 7 });
    expect(readAll(stored)).toEqual({ 'a.json': '{"x":1}' });
  });

  it('checks the CRC-32', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello') }, { level: 0 });
    const [entry] = readZipDirectory(zip, defaultArchiveLimits);
    const damaged = zip.slice();
    damaged[entry!.dataOffset] = 'j'.charCodeAt(0);
    expect(failure(() => readZipEntry(damaged, entry!)).message).toBe('archive entry a.txt: fails its CRC-32 check: the archive is damaged');
  });

  it('refuses encrypted entries and compression methods other than stored and deflate', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello') });
    const encrypted = zip.slice();
    new DataView(encrypted.buffer).setUint16(centralRecord(encrypted) + 8, 1, true);
    expect(failure(() => readZipDirectory(encrypted, defaultArchiveLimits)).message).toMatch(/a\.txt: is encrypted/);
    const bzip2 = zip.slice();
    new DataView(bzip2.buffer).setUint16(centralRecord(bzip2) + 10, 12, true);
    expect(failure(() => readZipDirectory(bzip2, defaultArchiveLimits)).message).toMatch(/a\.txt: uses compression method 12/);
  });

  it('refuses a name that appears twice', () => {
    const zip = zipSync({ 'a.txt': strToU8('1'), 'b.txt': strToU8('2') });
    // Rename b.txt to a.txt in both its headers (same length, so nothing moves).
    const twice = zip.slice();
    for (let at = 0; at < twice.length - 4; at++) {
      if (text(twice.subarray(at, at + 5)) === 'b.txt') twice[at] = 'a'.charCodeAt(0);
    }
    expect(failure(() => readZipDirectory(twice, defaultArchiveLimits)).message).toBe('archive entry a.txt: appears twice in the archive');
  });

  it('stops inflating as soon as the output passes the declared size (a header that lies)', () => {
    const bomb = patchDeclaredSize(zipSync({ 'x.json': new Uint8Array(64 * 2 ** 20) }), 'x.json', 10);
    const [entry] = readZipDirectory(bomb, defaultArchiveLimits);
    expect(entry).toMatchObject({ size: 10 });
    expect(failure(() => readZipEntry(bomb, entry!)).message).toMatch(/x\.json: inflates to more than the 10 bytes its header declares/);
  });

  it('refuses an entry that inflates to less than it declares, or whose compressed data is damaged', () => {
    const short = patchDeclaredSize(zipSync({ 'x.json': strToU8('0123456789') }), 'x.json', 11);
    const [entry] = readZipDirectory(short, defaultArchiveLimits);
    expect(failure(() => readZipEntry(short, entry!)).message).toMatch(/x\.json: inflates to 10 bytes, not the 11 its header declares/);

    const zip = zipSync({ 'x.json': strToU8('a fairly long text, '.repeat(100)) });
    const [deflated] = readZipDirectory(zip, defaultArchiveLimits);
    // The first byte's low bits 11: deflate block type 3, which does not exist.
    const damaged = zip.slice();
    damaged[deflated!.dataOffset] = 0xff;
    expect(failure(() => readZipEntry(damaged, deflated!)).message).toBe('archive entry x.json: the compressed data is damaged (invalid block type)');
  });

  it('refuses a file that is not a zip at all in those words, whatever its size', () => {
    for (const bytes of [strToU8('x1,x2,label\n0.1,0.2,1\n'.repeat(20)), new Uint8Array(0), strToU8('PK'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, ...new Uint8Array(40)])]) {
      expect(failure(() => readZipDirectory(bytes, defaultArchiveLimits)).message).toBe('not a usable CurveLab archive: not a zip archive');
    }
    // A zip with no entries starts with its end record, and is a zip.
    expect(readZipDirectory(zipSync({}), defaultArchiveLimits)).toEqual([]);
  });

  it('refuses trailing garbage after the end record and a directory pointing outside the file', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello') });
    const trailing = new Uint8Array(zip.length + 3);
    trailing.set(zip);
    expect(failure(() => readZipDirectory(trailing, defaultArchiveLimits)).message).toMatch(/no end-of-central-directory record/);
    const moved = zip.slice();
    const view = new DataView(moved.buffer);
    view.setUint32(moved.length - 22 + 16, view.getUint32(moved.length - 22 + 16, true) + 1, true);
    expect(failure(() => readZipDirectory(moved, defaultArchiveLimits)).message).toMatch(/central directory is not where the end record says/);
  });
});
