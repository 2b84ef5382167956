import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { openLab, type Lab } from '../lab/lab';
import { openStore } from '../lab/store';

/** The real `curvelab` binary, as a user runs it. */
const bin = fileURLToPath(new URL('../../bin/curvelab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs record into a database of the test's own, never the user's.
const env = { ...process.env, CURVELAB_DB: join(dir, 'default.db') };

function curvelab(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000, env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const csv = join(dir, 'tiny.csv');
writeFileSync(
  csv,
  'x1,x2,label\n' + Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${((i * 3) % 5) / 5},${i % 2}`).join('\n') + '\n',
);

describe('curvelab', () => {
  it('prints help for the program and for train', () => {
    const top = curvelab('--help');
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/train/);
    const help = curvelab('train', '--help');
    expect(help.status).toBe(0);
    for (const word of ['--dataset', '--arch', '--optimizer', 'curveball', 'hessian-free', 'autoLambda', 'basic-cnn-bn', 'widths']) {
      expect(help.stdout).toContain(word);
    }
  });

  it.each([
    [['train', '--arch', 'mlp', '--optimizer', 'sgd'], /--dataset is required/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'nope'], /nope/],
    [['train', '--dataset', 'mnist', '--arch', 'nope', '--optimizer', 'sgd'], /--arch nope/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--epochs', '0'], /--epochs 0: expected a positive integer/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--set', 'lambda=1'], /--set lambda: no such option/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--steps', '2', '--epochs', '1'], /either --epochs or --steps/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--bogus'], /bogus/],
    [['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--augment', '--no-augment'], /either --augment or --no-augment/],
    [['train', '--dataset', join(dir, 'missing.csv'), '--arch', 'mlp', '--optimizer', 'sgd'], /missing\.csv/],
    [['frobnicate'], /no such command: frobnicate/],
  ])('rejects bad arguments with a clear message and exit code 2: %j', (args, message) => {
    const result = curvelab(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints JSON lines: steps from 0 with the optimizer trace, epochs, and done last', () => {
    const result = curvelab(
      'train', '--dataset', csv, '--target', 'label', '--arch', 'linear', '--optimizer', 'curveball',
      '--batch-size', '8', '--epochs', '2', '--seed', '1', '--json',
    );
    expect(result.status, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    const steps = lines.filter((l) => l.type === 'step');
    expect(steps[0]).toMatchObject({ step: 0, rho: 0 });
    for (const key of ['loss', 'accuracy', 'seconds', 'beta', 'lambda', 'forwardPasses', 'backwardPasses', 'forwardModePasses']) {
      expect(steps[0]).toHaveProperty(key);
    }
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: steps.length }, (_, i) => i));
    expect(lines.filter((l) => l.type === 'epoch')).toHaveLength(2);
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ type: 'done', status: 'completed', steps: steps.length });
    expect(['cpu-blas', 'cpu', 'tensorflow', 'webgpu']).toContain(done.backend);
    for (const key of ['trainLoss', 'valLoss', 'valAccuracy', 'seconds']) expect(typeof done[key]).toBe('number');
  });

  it('shows progress and a summary without --json', () => {
    const result = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', 'mlp', '--set', 'widths=4', '--optimizer', 'adam', '--batch-size', '4');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/100% 9\/9 loss/); // 40 rows, 4 held out for validation
    expect(result.stderr).toMatch(/epoch 1: train loss/);
    expect(result.stdout).toMatch(/status\s+completed/);
    expect(result.stdout).toMatch(/val accuracy\s+\d/);
  });

  it('trains a model from a JSON spec file, and names the bad field of a broken one', () => {
    const good = join(dir, 'residual.json');
    writeFileSync(
      good,
      JSON.stringify({
        layers: [
          { type: 'dense', units: 6 },
          { type: 'residual', layers: [{ type: 'dense', units: 6 }, { type: 'tanh' }] },
          { type: 'dense', units: 2 },
        ],
      }),
    );
    const ok = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', good, '--optimizer', 'curveball', '--steps', '3', '--json');
    expect(ok.status, ok.stderr).toBe(0);
    expect(jsonLines(ok.stdout).at(-1)).toMatchObject({ status: 'completed', steps: 3 });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ layers: [{ type: 'dense', units: -3 }] }));
    const rejected = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', bad, '--optimizer', 'sgd');
    expect(rejected.status).toBe(2);
    expect(rejected.stderr).toMatch(/layer 1 \(dense\): units/);

    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "layers": [');
    const unreadable = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', notJson, '--optimizer', 'sgd');
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/broken\.json: not valid JSON/);
  });

  it('reports its backend', () => {
    const result = curvelab('info', '--json');
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout) as { backend: string; attempts: unknown[] };
    expect(info.backend).toBeTruthy();
    expect(info.attempts.length).toBeGreaterThan(0);
  });

  // The acceptance runs of the engine issue: one epoch of the embedded digits on the plain CPU backend.
  it.each([
    ['curveball', []],
    ['sgd', ['--set', 'lr=0.1']],
    ['adam', []],
  ])('trains an MLP on the embedded mnist to at least 0.85 validation accuracy in one epoch with %s', (optimizer, extra) => {
    const result = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', optimizer, ...extra, '--epochs', '1', '--backend', 'cpu', '--json');
    expect(result.status, result.stderr).toBe(0);
    const done = jsonLines(result.stdout).at(-1)!;
    expect(done).toMatchObject({ type: 'done', status: 'completed', steps: 125, backend: 'cpu' });
    expect(done.valAccuracy as number).toBeGreaterThanOrEqual(0.85);
  });

  it('records a run in the lab database, and `runs --json` lists it', () => {
    const db = join(dir, 'recorded.db');
    const result = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', 'linear', '--optimizer', 'sgd', '--batch-size', '6', '--db', db, '--json');
    expect(result.status, result.stderr).toBe(0);
    const steps = jsonLines(result.stdout).filter((l) => l.type === 'step').length;
    const listed = curvelab('runs', '--db', db, '--json');
    expect(listed.status, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', optimizer: 'sgd', steps });
    for (const key of ['id', 'experimentId', 'trainLoss', 'valLoss', 'valAccuracy']) expect(runs[0]).toHaveProperty(key);
  });

  it('ends a blowing-up run (--set lr=100) as diverged: exit 1, the reason printed, and `runs` says so', () => {
    const db = join(dir, 'diverged.db');
    const result = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--set', 'lr=100', '--steps', '40', '--backend', 'cpu', '--db', db);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^status\s+diverged \(the batch loss \S+ at step \d+ exceeds 1000 × the first step's \d\.\d\d\)$/m);
    expect(result.stdout).not.toMatch(/final train/);
    const [run] = JSON.parse(curvelab('runs', '--db', db, '--json').stdout) as Record<string, unknown>[];
    expect(run).toMatchObject({ status: 'diverged', error: expect.stringMatching(/exceeds 1000 × the first step's/), trainEvalLoss: null });
    const table = curvelab('runs', '--db', db);
    expect(table.stdout).toMatch(/diverged .*exceeds 1000 × the first step's/);

    // Without the bound the same run completes, its loss astronomically large, as every such run once did.
    const off = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--set', 'lr=100', '--steps', '40', '--backend', 'cpu', '--divergence-factor', 'off', '--db', db, '--json');
    expect(off.status, off.stderr).toBe(0);
    expect(jsonLines(off.stdout).at(-1)).toMatchObject({ status: 'completed' });
  });

  it('trains on subsets, reports the final model on its training examples, and groups runs with --experiment', () => {
    const db = join(dir, 'subsets.db');
    const args = ['train', '--dataset', csv, '--target', 'label', '--arch', 'linear', '--batch-size', '5', '--train-size', '20', '--val-size', '3', '--db', db];
    const human = curvelab(...args, '--optimizer', 'sgd', '--experiment', 'subset study');
    expect(human.status, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/\(20 train \/ 3 validation\)/);
    expect(human.stdout).toMatch(/^final train loss\s+\d+\.\d{4}$/m);
    expect(human.stdout).toMatch(/^final train acc\s+\d\.\d{4}$/m);
    const json = curvelab(...args, '--optimizer', 'adam', '--experiment', 'subset study', '--json');
    expect(json.status, json.stderr).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines[0]).toMatchObject({ type: 'start', stepsPerEpoch: 4, dataset: { trainSize: 20, validationSize: 3, augment: false } });
    const done = lines.at(-1)!;
    expect(typeof done.trainEvalLoss).toBe('number');
    expect(typeof done.trainEvalAccuracy).toBe('number');
    expect(curvelab(...args, '--optimizer', 'sgd').status).toBe(0);

    const runs = JSON.parse(curvelab('runs', '--db', db, '--json').stdout) as { id: number; experimentId: number; trainEvalLoss: number }[];
    const [third, second, first] = runs;
    expect(second!.experimentId).toBe(first!.experimentId);
    expect(third!.experimentId).not.toBe(first!.experimentId);
    expect(second!.trainEvalLoss).toBe(done.trainEvalLoss);
    const store = openStore(db);
    try {
      expect(store.getExperiment(first!.experimentId)!.name).toBe('subset study');
      expect(store.getExperiment(third!.experimentId)!.name).toBe('tiny.csv · linear · sgd');
    } finally {
      store.close();
    }
  });

  it('--dry-run checks the spec against the data, prints layers, parameters and FLOPs, and records nothing', () => {
    const db = join(dir, 'dry-run.db');
    const args = ['train', '--dataset', csv, '--target', 'label', '--arch', 'mlp', '--set', 'widths=4', '--optimizer', 'sgd', '--db', db, '--dry-run'];
    const result = curvelab(...args);
    expect(result.status, result.stderr).toBe(0);
    // dense 2→4 (8 weights + 4 biases), relu, dense 4→2 (8 + 2); FLOPs: 2 × (2·4 + 4·2) multiply-adds.
    expect(result.stdout).toMatch(/^parameters\s+22$/m);
    expect(result.stdout).toMatch(/^FLOPs per example\s+32 \(forward pass\)$/m);
    expect(result.stdout).toMatch(/36 train \/ 4 validation examples/);
    expect(result.stdout).toMatch(/^layer\s+type\s+output\s+parameters$/m);
    const json = curvelab(...args, '--json', '--train-size', '10');
    expect(json.status, json.stderr).toBe(0);
    const [description] = jsonLines(json.stdout);
    expect(description).toMatchObject({ type: 'dry-run', paramCount: 22, flopsPerExample: 32, dataset: { trainSize: 10, validationSize: 4, augment: false } });
    expect((description!.layers as { type: string; paramCount: number }[]).map((l) => [l.type, l.paramCount])).toEqual([
      ['dense', 12],
      ['relu', 0],
      ['dense', 10],
    ]);
    expect(existsSync(db)).toBe(false);

    // What the loaded data refuses, a dry run refuses as the run would, naming the flag.
    const tooLarge = curvelab(...args, '--train-size', '37');
    expect(tooLarge.status).toBe(2);
    expect(tooLarge.stderr).toContain('curvelab: --train-size 37: expected at most 36 (the size of the training split)\n');
    const augmented = curvelab(...args, '--augment');
    expect(augmented.status).toBe(2);
    expect(augmented.stderr).toContain("curvelab: --augment: augmentation flips and shifts images, but this dataset's examples have the shape [2]\n");
    expect(existsSync(db)).toBe(false);
  });

  it('leaves no rows behind when a run fails before it starts', () => {
    const db = join(dir, 'untouched.db');
    const bad = join(dir, 'bad-output.json');
    writeFileSync(bad, JSON.stringify({ layers: [{ type: 'dense', units: 0 }] }));
    const result = curvelab('train', '--dataset', csv, '--target', 'label', '--arch', bad, '--optimizer', 'sgd', '--db', db);
    expect(result.status).toBe(2);
    expect(JSON.parse(curvelab('runs', '--db', db, '--json').stdout)).toEqual([]);
  });

  it('keeps the steps of a run killed with SIGKILL and marks it interrupted', async () => {
    const db = join(dir, 'killed.db');
    // Plain TF.js: slow enough (about 0.1 s a step) to be killed in the middle.
    const child = spawn(process.execPath, [bin, 'train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'curveball', '--epochs', '1', '--backend', 'cpu', '--db', db, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = 0;
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString().split('\n').filter((l) => l.includes('"type":"step"')).length));
    const deadline = Date.now() + 120_000;
    while (printed < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Steps printed more than a second ago must be on disk: the recorder flushes every second.
    const printedBefore = printed;
    await new Promise((r) => setTimeout(r, 1200));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(printedBefore).toBeGreaterThanOrEqual(25);

    const store = openStore(db);
    try {
      const [run] = store.listRuns();
      expect(run.status).toBe('interrupted');
      expect(run.storedSteps).toBeGreaterThanOrEqual(printedBefore);
      expect(run.storedSteps).toBeLessThan(125);
    } finally {
      store.close();
    }
  });

  describe('accepts exactly what the Lab API accepts, with the same messages', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await openLab({ databasePath: ':memory:', mode: 'web', backend: 'cpu', concurrency: 1, dataDir: dir });
    });
    afterAll(() => lab.close());

    /** The lab's verdict on the one-run request the flags stand for, as a client calls it. */
    async function apiRefusal(base: Record<string, unknown>, seed = 0): Promise<{ field?: string; message: string }> {
      const request = { base: { dataset: 'mnist', arch: 'mlp', ...base }, optimizers: [{ name: 'sgd' }], seeds: [seed] };
      const response = await createLabDispatch(lab, () => {})('startRuns', request);
      if (response.ok) throw new Error('expected the lab to refuse the request');
      return response.error;
    }

    it('refuses a JSON model spec that does not fit the data with the message the API gives, and records nothing', async () => {
      const spec = join(dir, 'cifar-shaped.json');
      writeFileSync(spec, JSON.stringify({ inputShape: [32, 32, 3], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] }));
      const api = await apiRefusal({ arch: JSON.parse('{"inputShape":[32,32,3],"layers":[{"type":"flatten"},{"type":"dense","units":10}]}') });
      expect(api).toMatchObject({ field: 'base.arch.inputShape', message: "the model's inputShape [32,32,3] does not match the dataset's examples [28,28,1]" });

      const db = join(dir, 'refused-spec.db');
      const result = curvelab('train', '--dataset', 'mnist', '--arch', spec, '--optimizer', 'sgd', '--steps', '2', '--db', db);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`curvelab: --arch ${spec}: ${api.message}\n`);
      expect(JSON.parse(curvelab('runs', '--db', db, '--json').stdout)).toEqual([]);
    });

    it('refuses an option value with the message the API gives for it', async () => {
      const request = { base: { dataset: 'mnist', arch: 'mlp' }, optimizers: [{ name: 'sgd', options: { lr: -1 } }], seeds: [0] };
      const response = await createLabDispatch(lab, () => {})('startRuns', request);
      expect(response).toMatchObject({ ok: false, error: { field: 'optimizers.0.options.lr', message: 'sgd: option "lr" must be ≥ 0, got -1' } });
      const result = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', '--set', 'lr=-1');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('curvelab: --set lr: sgd: option "lr" must be ≥ 0, got -1\n');
    });

    it.each([
      [['--train-size', '0'], { trainSize: 0 }, '--train-size 0'],
      [['--val-size', 'x'], { valSize: Number.NaN }, '--val-size x'],
      [['--divergence-factor', '1'], { divergenceFactor: 1 }, '--divergence-factor 1'],
      [['--divergence-factor', 'on'], { divergenceFactor: 'on' }, '--divergence-factor on'],
      [['--init', 'glorot'], { init: 'glorot' }, '--init glorot'],
      [['--experiment', ' '], { experimentName: ' ' }, '--experiment  '],
    ])('refuses the new run fields %j as the API refuses them, with its message', async (flags, request, flag) => {
      const { experimentName, ...base } = request as { experimentName?: string } & Record<string, unknown>;
      const response = await createLabDispatch(lab, () => {})('startRuns', {
        ...(experimentName !== undefined ? { experimentName } : {}),
        base: { dataset: 'mnist', arch: 'mlp', ...base },
        optimizers: [{ name: 'sgd' }],
        seeds: [0],
      });
      if (response.ok) throw new Error('expected the lab to refuse the request');
      const message = response.error.message.replace(/^startRuns: field '[^']+': /, '');
      const result = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', ...flags);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`curvelab: ${flag}: ${message}\n`);
    });

    it.each([
      [['--seed', '4294967295'], { seeds: 4294967295 }, '--seed 4294967295'],
      [['--epochs', '100001'], { epochs: 100_001 }, '--epochs 100001'],
      [['--steps', '100000001'], { steps: 100_000_001 }, '--steps 100000001'],
      [['--batch-size', '1000001'], { batchSize: 1_000_001 }, '--batch-size 1000001'],
    ])('refuses %j as the API refuses it', async (flags, request, flag) => {
      const { seeds, ...base } = request as { seeds?: number } & Record<string, unknown>;
      const api = await apiRefusal(base, seeds);
      const message = api.message.replace(/^startRuns: field '[^']+': /, '');
      expect(message).toMatch(/^expected (a positive integer, at most|an integer from 0 to) \d+/);
      const result = curvelab('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd', ...flags);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`curvelab: ${flag}: ${message}\n`);
    });
  });
});
