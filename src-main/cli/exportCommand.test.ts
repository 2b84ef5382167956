import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleExperiment } from '../lab/archive/archiveFixtures.testkit';
import { openStore } from '../lab/store';

/** The real `curvelab` binary, as a user runs it (see cli.test.ts). */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-archive-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, CURVELAB_DB: join(dir, 'default.db') };

function curvelab(args: string[], cwd = dir) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env, cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sourceDb = join(dir, 'source.db');
let experimentId: number;
let sample: ReturnType<typeof sampleExperiment>;
beforeAll(() => {
  const store = openStore(sourceDb);
  try {
    sample = sampleExperiment(store);
    experimentId = sample.experiment.id;
  } finally {
    store.close();
  }
});

describe('curvelab export / import', () => {
  it('prints help for both commands', () => {
    const exportHelp = curvelab(['export', '--help']);
    expect(exportHelp.status).toBe(0);
    for (const word of ['--experiment', '--out', '--force', '--db', '--json', '.curvelab']) expect(exportHelp.stdout).toContain(word);
    const importHelp = curvelab(['help', 'import']);
    expect(importHelp.status).toBe(0);
    expect(importHelp.stdout).toMatch(/Usage: curvelab import <file\.curvelab>/);
    expect(curvelab(['--help']).stdout).toMatch(/export .*\n\s+import /);
  });

  it('exports to a file, refuses to overwrite it without --force, and imports it into another database', () => {
    const out = join(dir, 'paired.curvelab');
    const exported = curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(out);
    expect(exported.stdout).toMatch(/experiment \d+, 2 runs, [\d.]+ (KiB|bytes)/);
    const firstBytes = readFileSync(out);
    expect(firstBytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a zip

    const again = curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/paired\.curvelab exists already: choose another --out, or add --force/);
    expect(readFileSync(out)).toEqual(firstBytes);
    const forced = curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', out, '--force', '--json']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({ path: out, experimentId, runs: 2, bytes: readFileSync(out).byteLength });
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]); // no temporary files left

    const otherDb = join(dir, 'other.db');
    const imported = curvelab(['import', out, '--db', otherDb, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ uid: sample.experiment.uid, name: 'Paired "comparison", v1', runCount: 2, alreadyPresent: false });

    const listed = curvelab(['runs', '--db', otherDb, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as Record<string, unknown>[];
    // Newest first: the CurveBall run, then SGD, as the fixture recorded them.
    expect(runs).toMatchObject([
      { optimizer: 'curveball', status: 'diverged', steps: 3, backend: 'webgpu', valLoss: null, spec: sample.curveball.spec },
      { optimizer: 'sgd', status: 'completed', steps: 4, backend: 'cpu', trainLoss: 0.875, valLoss: 0.5, valAccuracy: 0.75, spec: sample.sgd.spec },
    ]);

    const twice = curvelab(['import', out, '--db', otherDb]);
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stdout).toMatch(/^already imported: experiment \d+ \(Paired "comparison", v1\), 2 runs; nothing written/);
    expect(JSON.parse(curvelab(['runs', '--db', otherDb, '--json']).stdout)).toHaveLength(2);
  });

  it('says when an archive of an experiment imported before differs, and imports it beside it with --as-copy', () => {
    const db = join(dir, 'copies.db');
    const first = join(dir, 'first.curvelab');
    expect(curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', first]).status).toBe(0);
    expect(curvelab(['import', first, '--db', db]).status).toBe(0);
    const store = openStore(sourceDb);
    try {
      store.updateExperiment(experimentId, { notes: 'revised after the first export' });
    } finally {
      store.close();
    }
    const later = join(dir, 'later.curvelab');
    expect(curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', later]).status).toBe(0);

    const refused = curvelab(['import', later, '--db', db]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/later\.curvelab: the archive's experiment "Paired \\"comparison\\", v1" .* differs from it \(experiment\.json: the column notes differs\); nothing was written\..*curvelab import --as-copy/);
    expect(JSON.parse(curvelab(['runs', '--db', db, '--json']).stdout)).toHaveLength(2);

    const copied = curvelab(['import', later, '--db', db, '--as-copy', '--json']);
    expect(copied.status, copied.stderr).toBe(0);
    const result = JSON.parse(copied.stdout) as { uid: string; name: string; runCount: number; alreadyPresent: boolean };
    expect(result).toMatchObject({ name: 'Paired "comparison", v1 (copy)', runCount: 2, alreadyPresent: false });
    expect(result.uid).not.toBe(sample.experiment.uid);
    expect(JSON.parse(curvelab(['runs', '--db', db, '--json']).stdout)).toHaveLength(4);
  });

  it('writes the default file name into the current folder, or into a folder given as --out', () => {
    const cwd = join(dir, 'here');
    mkdirSync(cwd);
    const result = curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb], cwd);
    expect(result.status, result.stderr).toBe(0);
    const [file] = readdirSync(cwd);
    expect(file).toMatch(/^paired-comparison-v1-\d{4}-\d{2}-\d{2}\.curvelab$/);
    expect(result.stdout).toContain(join(cwd, file!));

    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(curvelab(['export', '--experiment', String(experimentId), '--db', sourceDb, '--out', folder]).status).toBe(0);
    expect(readdirSync(folder)).toEqual([file]);
  });

  it('exits with 2 and a clear message for an unknown experiment, a missing --experiment and a bad archive', () => {
    const out = join(dir, 'none.curvelab');
    const unknown = curvelab(['export', '--experiment', '999', '--db', sourceDb, '--out', out]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--experiment 999: no such experiment in .*source\.db/);
    expect(existsSync(out)).toBe(false);

    const missing = curvelab(['export', '--db', sourceDb]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--experiment is required/);

    const bad = join(dir, 'bad.curvelab');
    writeFileSync(bad, 'this is not a zip file at all, just some text that goes on long enough');
    const db = join(dir, 'untouched.db');
    const rejected = curvelab(['import', bad, '--db', db]);
    expect(rejected.status).toBe(2);
    expect(rejected.stderr).toMatch(/bad\.curvelab: not a usable CurveLab archive: not a zip archive/);
    expect(rejected.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(JSON.parse(curvelab(['runs', '--db', db, '--json']).stdout)).toEqual([]);

    const absent = curvelab(['import', join(dir, 'absent.curvelab'), '--db', db]);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toMatch(/absent\.curvelab: no such file/);
  });
});
