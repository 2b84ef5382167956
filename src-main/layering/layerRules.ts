/**
 * Which part of the tree may import which: the layering of the design, as data. A part is named by the
 * folder its files sit in; the first matching prefix wins. `contract` is the Lab API as the renderer and
 * the preload see it (types and constants, no Node), `shared` the pure module both sides may use.
 */
export type Part = 'shared' | 'contract' | 'engine' | 'lab' | 'server' | 'electron' | 'preload' | 'cli' | 'renderer' | 'e2e' | 'layering';

/** Files that belong to the contract although they sit in the lab or preload folder. */
const contractFiles = ['src-main/lab/api/labApi.ts', 'src-main/lab/api/labErrors.ts', 'src-main/preload/api.d.ts'];

const partPrefixes: [string, Part][] = [
  ['src-main/shared/', 'shared'],
  ['src-main/engine/', 'engine'],
  ['src-main/lab/', 'lab'],
  ['src-main/server/', 'server'],
  ['src-main/electron/', 'electron'],
  ['src-main/preload/', 'preload'],
  ['src-main/cli/', 'cli'],
  ['src-main/layering/', 'layering'],
  ['src-renderer/', 'renderer'],
  ['e2e/', 'e2e'],
];

/** What each part may import from the tree (itself included where listed). */
const allowedParts: Record<Part, readonly Part[]> = {
  shared: ['shared'],
  contract: ['contract', 'shared'],
  engine: ['engine', 'shared'],
  lab: ['lab', 'contract', 'engine', 'shared'],
  server: ['server', 'lab', 'contract', 'engine', 'shared'],
  electron: ['electron', 'lab', 'contract', 'engine', 'shared'],
  // The preload also needs the IPC channel names, which the Electron main process defines.
  preload: ['preload', 'contract', 'electron'],
  cli: ['cli', 'server', 'lab', 'contract', 'engine', 'shared'],
  renderer: ['renderer', 'contract', 'shared'],
  e2e: ['e2e', 'cli', 'server', 'lab', 'contract', 'engine', 'shared', 'electron', 'preload', 'renderer'],
  layering: ['layering'],
};

/**
 * Packages a part must not import. The engine is a library free of Electron and SQLite; the shared
 * module is pure (no package at all, so no TF.js and nothing that needs a DOM or Node); the renderer
 * runs in a page and reaches the lab only through its client.
 */
const forbiddenPackages: Partial<Record<Part, (name: string) => boolean>> = {
  shared: () => true,
  contract: () => true,
  engine: (name) => name === 'electron' || name === 'better-sqlite3',
  renderer: (name) => name.startsWith('node:') || name === 'electron' || name === 'better-sqlite3' || name.startsWith('@tensorflow/') || name === 'webgpu',
};

/** Test files may import the test runner whatever their part. */
const testRunnerPackages = new Set(['vitest']);

export function partOf(file: string): Part | null {
  if (contractFiles.includes(file)) return 'contract';
  return partPrefixes.find(([prefix]) => file.startsWith(prefix))?.[1] ?? null;
}

/** An import that breaks the layering: the file, what it imports, and why not. */
export interface LayeringViolation {
  file: string;
  imported: string;
  reason: string;
}

/** The verdict on one import: `target` is a repository path for files of the tree, else a package name. */
export function checkImport(file: string, target: { path: string } | { packageName: string }): LayeringViolation | null {
  const from = partOf(file);
  if (from === null) return null;
  if ('packageName' in target) {
    const isTest = /\.test(kit)?\.ts$/.test(file);
    if (isTest && testRunnerPackages.has(target.packageName)) return null;
    const forbidden = forbiddenPackages[from]?.(target.packageName) ?? false;
    return forbidden ? { file, imported: target.packageName, reason: `${from} must not import the package ${target.packageName}` } : null;
  }
  const to = partOf(target.path);
  if (to === null || allowedParts[from].includes(to)) return null;
  return { file, imported: target.path, reason: `${from} must not import from ${to}` };
}
