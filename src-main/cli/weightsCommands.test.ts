import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `curvelab` binary, as a user runs it (see cli.test.ts). */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-weights-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const env = { ...process.env, CURVELAB_DB: db, CURVELAB_BACKEND: 'cpu' };

function curvelab(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env, cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const trainArgs = ['train', '--dataset', 'mnist', '--arch', 'mlp', '--set', 'widths=12', '--optimizer', 'adam', '--train-size', '64', '--batch-size', '32', '--steps', '4', '--seed', '5'];
let run: { id: number; valLoss: number; valAccuracy: number };

beforeAll(() => {
  const trained = curvelab(trainArgs);
  expect(trained.status, trained.stderr).toBe(0);
  [run] = JSON.parse(curvelab(['runs', '--json']).stdout);
});

describe('curvelab export-weights, evaluate and train --init-from', () => {
  it("export a run's weights and measure them on the dataset: the run's own final validation loss", () => {
    const out = join(dir, 'mlp.safetensors');
    const exported = curvelab(['export-weights', String(run.id), '--out', out, '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ path: out, runId: run.id, bytes: readFileSync(out).length });
    expect(curvelab(['export-weights', String(run.id), '--out', out]).stderr).toMatch(/exists already/);

    const evaluated = curvelab(['evaluate', '--weights', out, '--dataset', 'mnist', '--json']);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result).toMatchObject({ dataset: 'mnist', split: 'validation' });
    expect(result.loss).toBeCloseTo(run.valLoss, 5);
    expect(result.accuracy).toBeCloseTo(run.valAccuracy, 6);
  });

  it('train from exported weights, and refuse those of another model or a truncated file, naming the file', () => {
    const weights = join(dir, 'mlp.safetensors');
    const onward = curvelab([...trainArgs, '--init-from', weights, '--json']);
    expect(onward.status, onward.stderr).toBe(0);

    const other = curvelab([...trainArgs.map((a) => (a === 'widths=12' ? 'widths=7' : a)), '--init-from', weights]);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(`curvelab: ${weights}: tensor "layers.1.weight" has shape [12, 784], but this model's is [7, 784]`);
    expect(JSON.parse(curvelab(['runs', '--json']).stdout)).toHaveLength(2); // refused before its run was recorded

    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, readFileSync(weights).subarray(0, 2000));
    const truncated = curvelab(['evaluate', '--weights', cut, '--dataset', 'mnist']);
    expect(truncated.status).toBe(2);
    expect(truncated.stderr).toContain(`${cut}: the file is truncated`);
    const elsewhere = curvelab(['evaluate', '--weights', weights, '--dataset', 'mnist', '--arch', 'mlp', '--set', 'widths=7']);
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toContain(`${weights}: tensor "layers.1.weight" has shape [12, 784]`);
  });

  it('say what is missing', () => {
    expect(curvelab(['export-weights']).stderr).toMatch(/give the run id/);
    expect(curvelab(['export-weights', '999']).stderr).toMatch(/no run with id 999/);
    expect(curvelab(['evaluate', '--dataset', 'mnist']).stderr).toMatch(/--weights is required/);
    const help = curvelab(['help', 'evaluate']);
    for (const flag of ['--weights', '--dataset', '--arch', '--split']) expect(help.stdout).toContain(flag);
  });
});
