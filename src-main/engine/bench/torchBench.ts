import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePresets } from '../nn/presets';
import type { BenchmarkCase } from './benchmarkCase';

/** One model for torchBench.py: a preset with every option given, its input and the caps on its timing. */
export interface TorchCase {
  arch: string;
  archOptions: Record<string, string>;
  batchSize: number;
  inputShape: number[];
  classes: number;
  steps: number;
  maxSeconds: number;
}

/** PyTorch's SGD step on one model, as torchBench.py prints it. */
export interface TorchStepTime {
  arch: string;
  batchSize: number;
  inputShape: number[];
  /** 'cuda' or 'cpu'. */
  device: string;
  deviceName: string;
  torch: string;
  parameters: number;
  msPerStep: number;
  timedSteps: number;
}

export interface TorchBenchOutcome {
  times: TorchStepTime[];
  /** Why some or all of the cases have no PyTorch time, one line each. */
  notes: string[];
}

/** The Pythons tried, in order: the first that imports torch runs the cases (Debian's has python3-torch). */
export const torchPythons = ['python3', '/usr/bin/python3'];

/**
 * The models of the SGD cases (PyTorch's SGD step is the reference; CurveBall has no faithful PyTorch
 * twin to time), with their preset options' defaults filled in; a JSON model spec has no twin.
 */
export function torchCases(cases: BenchmarkCase[]): { cases: Omit<TorchCase, 'maxSeconds'>[]; notes: string[] } {
  const sgd = cases.filter((c) => c.optimizer === 'sgd');
  const presets = sgd.flatMap((c) => (typeof c.arch === 'string' ? [{ ...c, arch: c.arch }] : []));
  const notes = [
    ...(sgd.length === 0 && cases.length > 0 ? ['PyTorch: times SGD steps only: add sgd to the optimizers'] : []),
    ...(presets.length < sgd.length ? ['PyTorch: no twin of a JSON model spec: only presets are timed'] : []),
  ];
  const torch = presets.map((c) => {
    const defaults = describePresets().find((p) => p.name === c.arch)?.options ?? [];
    const archOptions = Object.fromEntries(defaults.map((o) => [o.name, c.archOptions[o.name] ?? o.default]));
    return { arch: c.arch, archOptions, batchSize: c.batchSize, inputShape: c.inputShape, classes: c.classes, steps: c.steps };
  });
  return { cases: torch, notes };
}

/**
 * Runs torchBench.py on the cases with the first of `pythons` that imports torch. What cannot run (no
 * Python, no torch, a failure, the time limit) comes back as notes, never as an error: the PyTorch side
 * of a benchmark is optional.
 */
export function runTorchBench(cases: TorchCase[], options: { timeoutSeconds: number; pythons?: string[] }): TorchBenchOutcome {
  const missing: string[] = [];
  for (const python of options.pythons ?? torchPythons) {
    const run = spawnSync(python, [torchBenchScript(), JSON.stringify(cases)], { encoding: 'utf8', timeout: options.timeoutSeconds * 1000, maxBuffer: 1 << 24 });
    const errorCode = (run.error as NodeJS.ErrnoException | undefined)?.code;
    if (errorCode === 'ENOENT') {
      missing.push(`${python}: not found`);
      continue;
    }
    const lines = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Partial<TorchStepTime> & { skipped?: string; unavailable?: string });
    const unavailable = lines.find((l) => l.unavailable !== undefined);
    if (unavailable) {
      missing.push(`${python}: ${unavailable.unavailable}`);
      continue;
    }
    const notes = lines.flatMap((l) => (l.skipped !== undefined ? [`PyTorch: ${l.skipped}`] : []));
    if (run.error || run.status !== 0) {
      const why = errorCode === 'ETIMEDOUT' ? `stopped after ${options.timeoutSeconds} s` : `failed: ${lastLine(run.stderr) || run.error?.message || `exit ${run.status}`}`;
      notes.push(`PyTorch ${why}; ${cases.length - lines.length} of ${cases.length} models not timed`);
    }
    return { times: lines.filter((l): l is TorchStepTime => l.msPerStep !== undefined), notes };
  }
  return { times: [], notes: [`PyTorch not timed: no Python here imports torch (${missing.join('; ')})`] };
}

/**
 * torchBench.py: beside this module in the sources, or under src-main/engine/bench of the package
 * root some levels above a bundled build.
 */
function torchBenchScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'torchBench.py'), join(dir, 'src-main', 'engine', 'bench', 'torchBench.py')]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no src-main/engine/bench/torchBench.py found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
