import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { doneEvent, startEvent } from '../lab/runner/trainEvents.testkit';
import { openStore } from '../lab/store';
import { sampleSpec } from '../lab/store/runFixtures.testkit';
import { main } from './main';

/** What `curvelab` says, in this process: main(argv) with stdout and stderr captured. */
let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'curvelab-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = join(dir, 'tiny.csv');
writeFileSync(csv, 'x1,x2,label\n' + Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${((i * 3) % 5) / 5},${i % 2}`).join('\n') + '\n');

async function refusal(...argv: string[]): Promise<string> {
  const status = await main(argv);
  expect(status, stdout).toBe(2);
  return stderr;
}

const train = ['train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'sgd'];

describe('curvelab messages', () => {
  it.each([
    ['--batch-size', '-1', 'curvelab: --batch-size -1: expected a positive integer, at most 1000000, or "full"\n'],
    ['--epochs', '-1', 'curvelab: --epochs -1: expected a positive integer, at most 100000\n'],
    ['--steps', '-0.5', 'curvelab: --steps -0.5: expected a positive integer, at most 100000000\n'],
  ])('takes a negative number as the value of %s and judges it as the API does', async (flag, value, message) => {
    const said = await refusal(...train, flag, value);
    expect(said.startsWith(message), said).toBe(true);
    expect(said).not.toMatch(/ambiguous|XYZ/);
  });

  it.each([
    [[...train, '--epoch', '3'], "curvelab: --epoch: no such option; did you mean --epochs?\nRun 'curvelab train --help' for usage.\n"],
    [[...train, '--frobnicate'], "curvelab: --frobnicate: no such option\nRun 'curvelab train --help' for usage.\n"],
    [[...train, '--epochs'], "curvelab: --epochs: missing its value\nRun 'curvelab train --help' for usage.\n"],
    [[...train, '--epochs', '--json'], "curvelab: --epochs: missing its value\nRun 'curvelab train --help' for usage.\n"],
    [[...train, '--json=yes'], "curvelab: --json takes no value (got --json=yes)\nRun 'curvelab train --help' for usage.\n"],
    [['runs', 'everything'], 'curvelab: unexpected argument "everything"\nRun \'curvelab runs --help\' for usage.\n'],
    [['export', '--experimnt', '3'], "curvelab: --experimnt: no such option; did you mean --experiment?\nRun 'curvelab export --help' for usage.\n"],
    [['bench', '--optimizer', 'adma'], "curvelab: --optimizer adma: no such optimizer (curveball, sgd, momentum, adam, adamw, rmsprop, adagrad, hessian-free); did you mean adam?\nRun 'curvelab bench --help' for usage.\n"],
    [['trian'], "curvelab: no such command: trian; did you mean train?\nRun 'curvelab --help' for usage.\n"],
    [['study', 'resme', '1'], "curvelab: study resme: no such subcommand (run, resume, list, report); did you mean resume?\nRun 'curvelab study --help' for usage.\n"],
  ])('says what is wrong with the arguments in its own words: %j', async (argv, message) => {
    expect(await refusal(...argv)).toBe(message);
  });

  it('suggests the optimizer, architecture, dataset and backend a misspelt name resembles', async () => {
    expect(await refusal('train', '--dataset', 'mnist', '--arch', 'mlp', '--optimizer', 'curvebal')).toMatch(
      /^curvelab: --optimizer curvebal: unknown optimizer "curvebal"; valid optimizers: .*; did you mean curveball\?\n/,
    );
    stderr = '';
    expect(await refusal('train', '--dataset', 'mnist', '--arch', 'mpl', '--optimizer', 'sgd')).toMatch(/^curvelab: --arch mpl: not a preset .*; did you mean mlp\?\n/);
    stderr = '';
    expect(await refusal('train', '--dataset', 'mnsit', '--arch', 'mlp', '--optimizer', 'sgd')).toMatch(
      /^curvelab: --dataset mnsit: not a built-in dataset, and no file or folder has that path; did you mean mnist\?\n/,
    );
    stderr = '';
    expect(await refusal('info', '--backend', 'cpu-blsa')).toBe(
      "curvelab: unknown backend 'cpu-blsa': expected auto or one of tensorflow, webgpu, cpu-blas, cpu; did you mean cpu-blas?\n",
    );
  });

  it('names the file, line and column of a model spec that is not JSON, and the layer counted from 1 of one that is wrong', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "layers": [\n    { "type": "dense" "units": 3 }\n  ]\n}\n');
    expect(await refusal('train', '--dataset', 'mnist', '--arch', broken, '--optimizer', 'sgd')).toBe(
      `curvelab: ${broken}: not valid JSON at line 3, column 23: expected ',' or '}' after a property, found "units"\n`,
    );
    stderr = '';
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ layers: [{ type: 'flatten' }, { type: 'dense', units: 8 }, { type: 'conv2d', filters: 4, kernelSize: 0 }] }));
    // The spec is checked against the data's shapes once they are loaded.
    expect(await refusal('train', '--dataset', 'mnist', '--arch', wrong, '--optimizer', 'sgd')).toContain(
      `\ncurvelab: --arch ${wrong}: layer 3 (conv2d): kernelSize: expected a positive integer or [height, width] of positive integers, got 0\n`,
    );
  });

  it('prints huge losses in scientific notation', async () => {
    const db = join(dir, 'huge.db');
    const store = openStore(db);
    try {
      const journal = store.recordRun(store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec).id);
      journal.record(startEvent(1));
      journal.record({ ...doneEvent(1), valLoss: 17899064893414187008, trainEvalLoss: 2.5e9 });
      journal.close();
    } finally {
      store.close();
    }
    expect(await main(['runs', '--db', db])).toBe(0);
    expect(stdout).toMatch(/ 2\.500e\+9 .* 1\.790e\+19 /);
    expect(stdout).not.toContain('17899064893414187008');
  });

  it('ends train with where the run went, names its experiment after it unless --experiment groups it, and says when the batch is the whole set', async () => {
    const db = join(dir, 'train.db');
    const args = ['train', '--dataset', csv, '--target', 'label', '--arch', 'linear', '--optimizer', 'sgd', '--steps', '2', '--backend', 'cpu', '--db', db];
    expect(await main([...args, '--batch-size', '100']), stderr).toBe(0);
    // 40 rows, 4 held out for validation.
    expect(stderr).toContain('batch size 100 is more than the 36 training examples: each step uses all 36 (full batch)\n');
    const path = resolve(db);
    expect(stdout).toContain(
      `run               1 in experiment "tiny.csv · linear · sgd"\n` +
        `database          ${path}\n` +
        `see it            curvelab runs --db ${path}, or in the lab: npm run web -- --db ${path}\n`,
    );

    expect(await main(args)).toBe(0);
    expect(await main([...args, '--experiment', 'mine'])).toBe(0);
    expect(await main([...args, '--experiment', 'mine', '--json'])).toBe(0);
    const store = openStore(db);
    try {
      const experimentOf = new Map(store.listRuns().map((run) => [run.id, store.getExperiment(run.experimentId)!.name]));
      expect([...experimentOf].sort(([a], [b]) => a - b)).toEqual([
        [1, 'tiny.csv · linear · sgd'],
        [2, 'tiny.csv · linear · sgd'],
        [3, 'mine'],
        [4, 'mine'],
      ]);
      expect(store.listExperiments()).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});

describe('commands that only read', () => {
  it('list nothing, and create nothing, where there is no database yet', async () => {
    const missing = join(dir, 'none-yet.db');
    expect(await main(['runs', '--db', missing])).toBe(0);
    expect(stdout).toMatch(/^no runs yet/i);
    expect(await main(['study', 'list', '--db', missing])).toBe(0);
    expect(stdout).toMatch(/no studies yet/);
    expect(existsSync(missing)).toBe(false);
  });

  it('read a database they may not write (a read-only file), writing nothing to it', async () => {
    const file = join(dir, 'read-only.db');
    openStore(file).close();
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    expect(await main(['runs', '--db', file, '--json'])).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
