import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceFingerprint } from './sourceFingerprint.mjs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'curvelab-fingerprint-'));
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'config.json'), '{}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const paths = ['src', 'config.json'];

describe('sourceFingerprint', () => {
  it('is the SHA-256 of each file path and content, in path order', () => {
    const hand = createHash('sha256')
      .update('config.json\0{}\0')
      .update('src/a.ts\0export const a = 1;\n\0')
      .update('src/deep/b.ts\0export const b = 2;\n\0')
      .digest('hex');
    expect(sourceFingerprint(root, paths)).toBe(hand);
  });

  it('changes when a file changes, is added, removed or renamed, and comes back when the sources do', () => {
    const before = sourceFingerprint(root, paths);
    writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 3;\n');
    const edited = sourceFingerprint(root, paths);
    expect(edited).not.toBe(before);
    writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 2;\n');
    expect(sourceFingerprint(root, paths)).toBe(before);

    writeFileSync(join(root, 'src', 'c.ts'), '');
    expect(sourceFingerprint(root, paths)).not.toBe(before);
    unlinkSync(join(root, 'src', 'c.ts'));
    unlinkSync(join(root, 'src', 'a.ts'));
    expect(sourceFingerprint(root, paths)).not.toBe(before);
    writeFileSync(join(root, 'src', 'renamed.ts'), 'export const a = 1;\n');
    expect(sourceFingerprint(root, paths)).not.toBe(before);
  });

  it('leaves test files out, and counts a missing path as empty until it appears', () => {
    const before = sourceFingerprint(root, [...paths, 'missing.json']);
    expect(before).toBe(sourceFingerprint(root, paths));
    writeFileSync(join(root, 'src', 'a.test.ts'), 'it();');
    writeFileSync(join(root, 'src', 'deep', 'b.test.mjs'), 'it();');
    expect(sourceFingerprint(root, [...paths, 'missing.json'])).toBe(before);
    writeFileSync(join(root, 'missing.json'), '');
    expect(sourceFingerprint(root, [...paths, 'missing.json'])).not.toBe(before);
  });
});
