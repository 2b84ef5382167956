/**
 * Test support for the data layer (imported only by *.test.ts): a fresh temporary folder per test for
 * hand-built dataset files, and an assertion that a load fails with a message naming the file.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { DatasetFormatError } from '../errors';

export interface TempDir {
  /** The folder of the current test. */
  readonly path: string;
  /** Writes bytes or text to `name` (a relative path, folders created) and returns the full path. */
  write(name: string, content: ArrayLike<number> | string): Promise<string>;
}

/** Call at the top of a describe block (or file): each test gets an empty folder, removed afterwards. */
export function useTempDir(prefix: string): TempDir {
  let current = '';
  beforeEach(async () => {
    current = await mkdtemp(path.join(os.tmpdir(), `curvelab-${prefix}-`));
  });
  afterEach(async () => {
    await rm(current, { recursive: true, force: true });
  });
  return {
    get path() {
      return current;
    },
    async write(name, content) {
      const file = path.join(current, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, typeof content === 'string' ? content : Uint8Array.from(content));
      return file;
    },
  };
}

/** Asserts that `promise` rejects with a DatasetFormatError for `file` whose message has every fragment. */
export async function expectFormatError(promise: Promise<unknown>, file: string, ...fragments: string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetFormatError);
  const message = (error as Error).message;
  expect(message.startsWith(`${file}: `), message).toBe(true);
  for (const fragment of fragments) expect(message).toContain(fragment);
}
