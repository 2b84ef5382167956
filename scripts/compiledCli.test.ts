import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledCliDir, ensureCompiledCli } from './compiledCli.mjs';

let root: string;

/** A project shaped like CurveLab's: its entry points (the command and its workers), a lazily imported module, and a tsconfig. */
function writeProject(version: string): void {
  const files: Record<string, string> = {
    'tsconfig.node.json': '{ "compilerOptions": { "target": "ES2022", "strict": true } }',
    'src-main/cli/version.ts': `export const VERSION: string = '${version}';\nexport class NamedError extends Error {}\n`,
    'src-main/cli/main.ts': [
      "import { NamedError as VersionError, VERSION } from './version';",
      // The same class name as in version.ts: the bundle must rename one, and keep its .name.
      'class NamedError extends Error {',
      '  constructor() { super("x"); this.name = new.target.name; }',
      '}',
      'export async function main(): Promise<string[]> {',
      "  const { workerUrl } = await import('../lab/runner/workerUrl');",
      '  return [VERSION, new NamedError().name, VersionError.name, workerUrl().pathname];',
      '}',
    ].join('\n'),
    'src-main/lab/runner/workerUrl.ts': "export const workerUrl = (): URL => new URL('./trainWorker.js', import.meta.url);\n",
    'src-main/lab/runner/trainWorker.ts': "export const role = 'worker';\n",
    'src-main/lab/datasets/datasetWorker.ts': "export const role = 'dataset worker';\n",
    'src-main/lab/archive/archiveCheckWorker.ts': "export const role = 'archive check worker';\n",
    'src-main/cli/main.test.ts': "it('is a test');\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Runs the compiled main.js in a plain node process: the version, the two classes' names, the worker's path. */
function runCompiled(main: string): string[] {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(main).href)}); console.log(JSON.stringify(await main()));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'curvelab-compiled-cli-'));
  writeProject('one');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('ensureCompiledCli', () => {
  it('builds once, then reuses the build until a source changes, and the build runs on plain node', async () => {
    let builds = 0;
    const onBuild = (): void => {
      builds += 1;
    };
    const first = await ensureCompiledCli(root, onBuild);
    expect(builds).toBe(1);
    expect(first).toBe(join(compiledCliDir(root), 'main.js'));
    const [version, errorName, otherClassName, workerPath] = runCompiled(first);
    expect(version).toBe('one');
    expect([errorName, otherClassName]).toEqual(['NamedError', 'NamedError']);
    // The worker file resolves beside the entry, from the lazily loaded chunk.
    expect(workerPath).toBe(pathToFileURL(join(dirname(first), 'trainWorker.js')).pathname);
    expect(existsSync(join(dirname(first), 'trainWorker.js'))).toBe(true);

    expect(await ensureCompiledCli(root, onBuild)).toBe(first);
    writeFileSync(join(root, 'src-main/cli/main.test.ts'), "it('is another test');\n");
    expect(await ensureCompiledCli(root, onBuild)).toBe(first);
    expect(builds).toBe(1);

    writeProject('two');
    const second = await ensureCompiledCli(root, onBuild);
    expect(builds).toBe(2);
    expect(second).not.toBe(first);
    expect(runCompiled(second)[0]).toBe('two');
  });

  it('rejects sources that do not compile, naming file and line, and leaves nothing behind', async () => {
    writeFileSync(join(root, 'src-main/cli/version.ts'), 'export const VERSION = ;\n');
    await expect(ensureCompiledCli(root)).rejects.toThrow(/src-main\/cli\/version\.ts:1:\d+/);
    expect(readdirSync(join(root, 'out', 'cli'))).toEqual([]);
  });

  it('keeps a build that was used within the hour, as a process started from it may still load from it', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    const first = dirname(await ensureCompiledCli(root));
    utimesSync(first, twoHoursAgo, twoHoursAgo);
    await ensureCompiledCli(root); // started from it now
    writeProject('two');
    await ensureCompiledCli(root);
    expect(existsSync(join(first, 'main.js'))).toBe(true);

    utimesSync(first, twoHoursAgo, twoHoursAgo);
    writeProject('three');
    await ensureCompiledCli(root);
    expect(existsSync(first)).toBe(false);
  });

  it('lets several processes build the same sources at once, and removes the builds unused for an hour', async () => {
    const buildsDir = join(root, 'out', 'cli');
    mkdirSync(join(buildsDir, 'old0123456789ab'), { recursive: true });
    mkdirSync(join(buildsDir, 'recent0123456789'), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    const halfAnHourAgo = new Date(Date.now() - 1800 * 1000);
    utimesSync(join(buildsDir, 'old0123456789ab'), twoHoursAgo, twoHoursAgo);
    utimesSync(join(buildsDir, 'recent0123456789'), halfAnHourAgo, halfAnHourAgo);

    const mains = await Promise.all([1, 2, 3].map(() => ensureCompiledCli(root)));
    expect(new Set(mains).size).toBe(1);
    expect(runCompiled(mains[0]!)[0]).toBe('one');
    expect(readdirSync(buildsDir).sort()).toEqual([dirname(mains[0]!).split(/[\\/]/).pop(), 'recent0123456789'].sort());
  });
});

describe('bin/curvelab.js', () => {
  it('runs the compiled command line for the current sources', () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const before = compiledCliDir(repo);
    const result = spawnSync(process.execPath, [join(repo, 'bin', 'curvelab.js'), '--version'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version);
    // Sources edited meanwhile (by another process) may have made the build the call used the next one.
    expect(existsSync(join(before, 'main.js')) || existsSync(join(compiledCliDir(repo), 'main.js'))).toBe(true);
  });
});
