// A fingerprint of source files, for builds that must be redone only when their sources changed (the
// compiled command line, the UI). Plain JS so that bin/curvelab.js can run it before anything is built.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Tests sit beside the sources but are never part of a build. */
const TEST_FILE = /\.test\.[cm]?[jt]s$/;

/**
 * The SHA-256 (hex) of the paths and contents of every file under `paths` (files or folders, relative
 * to `root`), test files left out. A missing path counts as empty, so creating it changes the result.
 */
export function sourceFingerprint(root, paths) {
  const hash = createHash('sha256');
  for (const file of paths.flatMap((path) => filesUnder(root, path)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function filesUnder(root, path) {
  let stats;
  try {
    stats = statSync(join(root, path));
  } catch {
    return [];
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(join(root, path), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !TEST_FILE.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}
