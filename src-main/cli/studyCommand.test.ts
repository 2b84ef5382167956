import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudySpec } from '../shared/studySpec';

/** `curvelab study`, as a user runs it: the real binary in a child process. */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-study-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Studies record into databases of the test's own, never the user's.
const env = { ...process.env, CURVELAB_DB: join(dir, 'default.db') };

function curvelab(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function specFile(name: string, spec: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

const small: StudySpec = {
  dataset: 'mnist',
  trainSize: 256,
  valSize: 128,
  architectures: [{ preset: 'mlp', options: { widths: '8' } }, { label: 'Linear', preset: 'linear' }],
  optimizers: [{ name: 'curveball' }, { label: 'SGD', name: 'momentum', options: { momentum: 0.9 } }],
  seeds: [1],
  budget: { steps: 5 },
  batchSize: 32,
};

describe('curvelab study', () => {
  it('has help for every subcommand and flag', () => {
    const help = curvelab('study', '--help');
    expect(help.status).toBe(0);
    for (const word of ['run', 'resume', 'list', 'report', '--scale', '--dataset', '--target', '--count', '--db', '--backend', '--concurrency', '--out', '--format', '--json', 'seed-table', 'random-architectures', 'Ctrl-C']) {
      expect(help.stdout).toContain(word);
    }
    expect(curvelab('help', 'study').stdout).toBe(help.stdout);
    expect(curvelab('--help').stdout).toMatch(/study\s+run a study/);
  });

  it.each([
    [['study'], /give a subcommand/],
    [['study', 'frobnicate'], /study frobnicate: no such subcommand/],
    [['study', 'run'], /give one study/],
    [['study', 'run', 'nope'], /study run nope: not a built-in study/],
    [['study', 'run', 'seed-table', '--scale', 'huge'], /--scale huge: expected tiny, small, paper/],
    [['study', 'run', 'seed-table', '--count', '0'], /--count 0: expected a positive integer/],
    [['study', 'run', 'seed-table', '--out', 'report.txt'], /--out report\.txt: expected a file name ending in \.html, \.md or \.csv/],
    [['study', 'run', join(dir, 'small.json'), '--scale', 'tiny'], /--scale applies to the built-in studies/],
    [['study', 'run', join(dir, 'missing.json')], /missing\.json: cannot read the study spec/],
    [['study', 'resume', 'x'], /study resume x: expected a positive integer/],
    [['study', 'report', '1', '--out', 'r.txt'], /--out r\.txt: name a \.html, \.md or \.csv file, or give --format/],
    [['study', 'report', '1', '--format', 'pdf'], /--format pdf: expected html, markdown, csv/],
  ])('refuses bad arguments with exit 2 and a message naming the flag: %j', (args, message) => {
    const result = curvelab(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a study the lab finds wrong, every issue naming its flag or its field in the spec file, and stores nothing', () => {
    const db = join(dir, 'refused.db');
    const bad = specFile('bad.json', {
      ...small,
      architectures: [{ preset: 'mlp', options: { width: '8' } }],
      optimizers: [{ name: 'curveball' }, { name: 'sgd', options: { lr: -1 } }],
    });
    const result = curvelab('study', 'run', bad, '--db', db);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${bad}: architectures.0.options.width: `);
    expect(result.stderr).toContain(`${bad}: optimizers.1.options.lr: `);
    const dataset = curvelab('study', 'run', bad, '--db', db, '--dataset', join(dir, 'nowhere'));
    expect(dataset.stderr).toMatch(new RegExp(`--dataset ${join(dir, 'nowhere')}: .*nowhere`));
    const count = curvelab('study', 'run', 'seed-table', '--count', '3', '--db', db);
    expect(count.status).toBe(2);
    expect(count.stderr).toMatch(/--count 3: only random-architectures takes a count/);
    expect(curvelab('study', 'list', '--db', db, '--json').stdout.trim()).toBe('[]');
    expect(curvelab('study', 'report', '7', '--db', db).stderr).toMatch(/no study with id 7/);
  });

  it('runs a study with a progress bar, prints its table, writes its report; list and report find it', () => {
    const db = join(dir, 'run.db');
    const file = specFile('small.json', small);
    const html = join(dir, 'small-report.html');
    const result = curvelab('study', 'run', file, '--db', db, '--out', html);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/study 1: small: 4 runs, 4 to train/);
    expect(result.stderr).toMatch(/100% 4\/4 runs/);
    expect(result.stdout).toMatch(/small: 4 runs: 4 completed/);
    expect(result.stdout).toMatch(/Architecture\s+curveball\s+SGD/);
    expect(result.stdout).toMatch(/mlp \(widths=8\)\s+\d+\.\d \/ \d+\.\d/);
    expect(result.stdout).toMatch(/\nLinear\s+\d+\.\d \/ \d+\.\d/);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/i);

    const list = JSON.parse(curvelab('study', 'list', '--db', db, '--json').stdout) as { id: number; name: string; finished: boolean; statusCounts: object }[];
    expect(list).toEqual([expect.objectContaining({ id: 1, name: 'small', finished: true, statusCounts: { completed: 4 } })]);
    expect(curvelab('study', 'list', '--db', db).stdout).toMatch(/1\s+small\s+–\s+4\s+4\s+0\s+0\s+0\s+0\s+yes/);
    const csv = join(dir, 'small.csv');
    expect(curvelab('study', 'report', '1', '--db', db, '--out', csv).status).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n').filter((line) => line.startsWith('cell,'))).toHaveLength(4);
    expect(curvelab('study', 'report', '1', '--db', db).stdout).toContain('| Architecture | curveball | SGD |');
  });

  it("refuses to add a `curvelab train` run to a study's experiment, naming --experiment", () => {
    const db = join(dir, 'run.db');
    const before = curvelab('runs', '--db', db, '--json').stdout;
    const result = curvelab('train', '--dataset', 'mnist', '--arch', 'linear', '--optimizer', 'sgd', '--steps', '1', '--backend', 'cpu', '--db', db, '--experiment', 'small');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--experiment "small": experiment 1 is a study/);
    expect(curvelab('runs', '--db', db, '--json').stdout).toBe(before);
  });

  it('Ctrl-C stops a study: exit 130, the runs not finished left interrupted, and `study resume` names how to go on', async () => {
    const db = join(dir, 'stopped.db');
    const file = specFile('stopped.json', { ...small, architectures: [{ preset: 'linear' }], optimizers: [{ name: 'sgd' }, { name: 'adam' }, { name: 'rmsprop' }], budget: { steps: 1500 } });
    const child = spawn(process.execPath, [bin, 'study', 'run', file, '--db', db, '--concurrency', '1', '--backend', 'cpu'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await oneCompletedOneTraining(db);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/study 1 stopped with 1 of 3 runs finished: `curvelab study resume 1` trains the others/);
    const reader = new Database(db, { readonly: true });
    expect(snapshot(reader).runs.map((r) => r.status)).toEqual(['completed', 'interrupted', 'interrupted']);
    reader.close();
  });

  it('a study killed (kill -9) mid-way finishes with `study resume`: every run completed, the ones completed before not rerun', async () => {
    const db = join(dir, 'killed.db');
    const file = specFile('killed.json', {
      ...small,
      trainSize: 1000,
      architectures: [{ preset: 'linear' }, { preset: 'mlp', options: { widths: '8' } }],
      optimizers: [{ name: 'sgd' }, { name: 'adam' }],
      budget: { steps: 1500 },
    });
    const child = spawn(process.execPath, [bin, 'study', 'run', file, '--db', db, '--concurrency', '1', '--backend', 'cpu'], { env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));

    const before = await oneCompletedOneTraining(db);
    child.kill('SIGKILL');
    await exited;

    const resumed = curvelab('study', 'resume', '1', '--db', db, '--backend', 'cpu');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/killed: 4 runs: 4 completed/);

    const reader = new Database(db, { readonly: true });
    const after = snapshot(reader);
    reader.close();
    expect(after.runs.map((r) => r.id)).toEqual(before.runs.map((r) => r.id));
    expect(after.runs.map((r) => [r.status, r.stored])).toEqual(before.runs.map(() => ['completed', 1500]));
    for (const done of before.runs.filter((r) => r.status === 'completed')) {
      const now = after.runs.find((r) => r.id === done.id)!;
      expect(now).toEqual(done); // same ended_at, same rows: not rerun
    }
    const killed = before.runs.find((r) => r.status === 'running')!;
    expect(after.runs.find((r) => r.id === killed.id)!.startedAt! > killed.startedAt!).toBe(true); // trained again from its start
  });
});

/** Watches the database as another reader would, until a run completed and another has rows stored; its snapshot then. */
async function oneCompletedOneTraining(db: string): Promise<ReturnType<typeof snapshot>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the study never had a completed run and one training');
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!existsSync(db)) continue;
    const reader = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const seen = snapshot(reader);
      if (seen.runs.some((r) => r.status === 'completed') && seen.runs.some((r) => r.status === 'running' && r.stored > 0)) return seen;
    } catch {
      // the schema is not there yet
    } finally {
      reader.close();
    }
  }
}

/** Every run of the database with its times and a digest of its rows of metrics and traces. */
function snapshot(db: Database.Database) {
  const runs = db.prepare('SELECT id, status, started_at AS startedAt, ended_at AS endedAt FROM runs ORDER BY id').all() as {
    id: number;
    status: string;
    startedAt: string | null;
    endedAt: string | null;
  }[];
  const rows = (table: string, id: number) => JSON.stringify(db.prepare(`SELECT * FROM ${table} WHERE run_id = ? ORDER BY 2, 3`).raw().all(id));
  return {
    runs: runs.map((r) => ({
      ...r,
      stored: (db.prepare('SELECT COUNT(*) FROM step_metrics WHERE run_id = ?').pluck().get(r.id) as number),
      metrics: ['step_metrics', 'epoch_metrics', 'trace_values'].map((t) => rows(t, r.id)).join('\n'),
    })),
  };
}
