import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudySpec } from '../shared/studySpec';

/**
 * Checkpoints and resume as a user meets them: `curvelab train` or `curvelab study run` killed with
 * SIGKILL in the middle of a run, then `curvelab resume` / `curvelab study resume`, the real binary in
 * child processes on cpu-blas. The reference is the same run trained without interruption.
 */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-resume-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, CURVELAB_DB: join(dir, 'default.db') };

function curvelab(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `args`, and kills it with SIGKILL as soon as a checkpoint of `step` steps or more is on disk beside `db`. */
async function killAtCheckpoint(args: string[], db: string, step: number): Promise<void> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 240_000;
  while (newestCheckpoint(db) < step) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no checkpoint of ${step} steps appeared beside ${db}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

function newestCheckpoint(db: string): number {
  const root = `${db}.checkpoints`;
  if (!existsSync(root)) return -1;
  const steps = readdirSync(root).flatMap((run) => {
    try {
      return readdirSync(join(root, run)).flatMap((name) => /^step-(\d+)\.ckpt$/.exec(name)?.[1] ?? []).map(Number);
    } catch {
      return []; // pruned or deleted meanwhile
    }
  });
  return Math.max(-1, ...steps);
}

interface StepRow {
  step: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

function read<T>(db: string, use: (d: Database.Database) => T): T {
  const reader = new Database(db, { readonly: true });
  try {
    return use(reader);
  } finally {
    reader.close();
  }
}

const stepRows = (d: Database.Database, runId: number) =>
  d.prepare('SELECT step, loss, accuracy, seconds FROM step_metrics WHERE run_id = ? ORDER BY step').all(runId) as StepRow[];
const epochRows = (d: Database.Database, runId: number) =>
  d.prepare('SELECT epoch, steps, train_loss, train_accuracy, val_loss, val_accuracy FROM epoch_metrics WHERE run_id = ? ORDER BY epoch').all(runId);
const traceRows = (d: Database.Database, runId: number) => d.prepare('SELECT step, name, value FROM trace_values WHERE run_id = ? ORDER BY step, name').all(runId);
const runRow = (d: Database.Database, runId: number) =>
  d.prepare('SELECT status, steps, train_loss, val_loss, val_accuracy, train_eval_loss FROM runs WHERE id = ?').get(runId) as { status: string; steps: number | null };

describe('curvelab resume', () => {
  it.each([
    ['curveball', []],
    ['adam', []],
    ['momentum', ['--set', 'momentum=0.9']],
  ])(
    '%s: killed (SIGKILL) about step 500 of 1000 and resumed, it takes exactly the steps of the run never stopped, on cpu-blas',
    async (optimizer, settings) => {
      const db = join(dir, `${optimizer}.db`);
      const train = ['train', '--dataset', 'mnist', '--arch', 'mlp', '--set', 'widths=32', '--optimizer', optimizer, ...settings, '--steps', '1000'];
      const args = [...train, '--batch-size', '16', '--train-size', '2000', '--val-size', '200', '--backend', 'cpu-blas', '--checkpoint-every', '100', '--db', db];

      await killAtCheckpoint(args, db, 500);
      const killed = read(db, (d) => ({ run: runRow(d, 1), rows: stepRows(d, 1) }));
      expect(killed.run.status).toBe('running'); // as the killed process left it
      expect(killed.rows.length).toBeGreaterThanOrEqual(400);
      expect(killed.rows.length).toBeLessThan(1000);

      const resumed = curvelab('resume', '1', '--db', db, '--backend', 'cpu-blas');
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/run 1: completed, 1000 steps/);
      const reference = curvelab(...args);
      expect(reference.status, reference.stderr).toBe(0);

      read(db, (d) => {
        const after = stepRows(d, 1);
        const uninterrupted = stepRows(d, 2);
        expect(after).toHaveLength(1000);
        expect(after.map((r) => [r.step, r.loss, r.accuracy])).toEqual(uninterrupted.map((r) => [r.step, r.loss, r.accuracy]));
        expect(epochRows(d, 1)).toEqual(epochRows(d, 2));
        expect(traceRows(d, 1)).toEqual(traceRows(d, 2));
        expect(runRow(d, 1)).toEqual(runRow(d, 2));
        // Resumed from a checkpoint (400 or 500), not from the start: the rows before it are the killed process's own.
        expect(after.slice(0, 400)).toEqual(killed.rows.slice(0, 400));
      });
      // A completed run keeps no checkpoints.
      expect(newestCheckpoint(db)).toBe(-1);
    },
    240_000,
  );

  it('refuses a run that is not interrupted, and an unknown one', () => {
    const db = join(dir, 'curveball.db');
    expect(curvelab('resume', '1', '--db', db).stderr).toMatch(/run 1 is completed: only an interrupted run can be resumed/);
    expect(curvelab('resume', '99', '--db', db).stderr).toMatch(/no run with id 99/);
  });
});

describe('curvelab study resume', () => {
  it('a study killed (kill -9) mid-way resumes its interrupted run from its checkpoint, not from scratch', async () => {
    const db = join(dir, 'study.db');
    const spec: StudySpec = {
      dataset: 'mnist',
      trainSize: 2000,
      valSize: 200,
      architectures: [{ preset: 'mlp', options: { widths: '32' } }],
      optimizers: [{ name: 'curveball' }, { name: 'adam' }],
      seeds: [1],
      budget: { steps: 1000 },
      batchSize: 16,
      checkpointEvery: { steps: 100 },
    };
    const file = join(dir, 'study.json');
    writeFileSync(file, JSON.stringify(spec));
    await killAtCheckpoint(['study', 'run', file, '--db', db, '--concurrency', '1', '--backend', 'cpu-blas'], db, 500);
    const before = read(db, (d) => ({ first: runRow(d, 1), rows: stepRows(d, 1) }));
    expect(before.first.status).toBe('running');
    expect(before.rows.length).toBeGreaterThanOrEqual(400);

    const resumed = curvelab('study', 'resume', '1', '--db', db, '--backend', 'cpu-blas');
    expect(resumed.status, resumed.stderr).toBe(0);
    read(db, (d) => {
      expect([runRow(d, 1).status, runRow(d, 2).status]).toEqual(['completed', 'completed']);
      const after = stepRows(d, 1);
      expect(after.map((r) => r.step)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      // From its checkpoint: the first 400 steps are the rows the killed lab wrote, times and all.
      expect(after.slice(0, 400)).toEqual(before.rows.slice(0, 400));
      expect(after[after.length - 1]!.seconds).toBeGreaterThan(before.rows[399]!.seconds);
    });
  }, 240_000);
});
