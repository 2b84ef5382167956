import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { torchPythons } from '../engine/bench/torchBench';
import { runBenchCommand } from './benchCommand';
import { UsageError } from './usageError';

const torch = torchPythons.some((candidate) => spawnSync(candidate, ['-c', 'import torch']).status === 0);
const required = process.env['CURVELAB_REQUIRE_TORCH'] === '1';
if (!torch && !required) console.warn('benchCommand.test.ts: the --torch table is checked without PyTorch times: no python3 here imports torch');

async function bench(...argv: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await runBenchCommand(argv)).toBe(0);
  vi.restoreAllMocks();
  return out;
}

afterEach(() => vi.restoreAllMocks());

/** The printed ratio `n×` is a / b of the printed cells, to within their rounding to 2 decimals. */
function expectQuotient(ratio: string, a: string, b: string): void {
  expect(ratio).toMatch(/^\d+\.\d\d×$/);
  const [r, x, y] = [Number(ratio.slice(0, -1)), Number(a), Number(b)];
  expect(Math.abs(r - x / y)).toBeLessThanOrEqual((x / y) * (0.005 / x + 0.005 / y) * 1.01 + 0.005);
}

const tiny = ['--arch', 'mlp', '--set', 'widths=8', '--input', '12', '--batch-size', '4', '--steps', '2', '--backend', 'cpu', '--torch'];

describe('curvelab bench --torch', () => {
  it('refuses --suite with model flags, and a suite of none', async () => {
    await expect(runBenchCommand(['--suite', 'gpu', '--arch', 'mlp'])).rejects.toThrow(new UsageError('--suite picks the models: leave out --arch, --batch-size, --input and --classes', 'bench'));
    await expect(runBenchCommand(['--suite', 'gpus'])).rejects.toThrow('--suite gpus: expected standard or gpu');
    await expect(runBenchCommand(['--budget', '0'])).rejects.toThrow(/--budget 0/);
  });

  it("prints each case beside PyTorch's SGD step and its own SGD step, — where there is no reference", { timeout: 120_000 }, async () => {
    const text = await bench(...tiny);
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('arch') && l.includes('PyTorch ms/step'));
    expect(lines[header]!.split(/ {2,}/)).toEqual(['arch', 'optimizer', 'batch', 'backend', 'ms/step', 'PyTorch ms/step', 'CurveLab/PyTorch', 'CurveBall/own SGD']);
    const [sgd, curveball] = [lines[header + 2]!, lines[header + 3]!].map((l) => l.split(/ +/));
    expect(curveball!.slice(0, 4)).toEqual(['mlp', 'curveball', '4', 'cpu']);
    expect(curveball!.slice(5, 7)).toEqual(['—', '—']);
    expectQuotient(curveball![7]!, curveball![4]!, sgd![4]!);
    expect(sgd!.slice(0, 4)).toEqual(['mlp', 'sgd', '4', 'cpu']);
    expect(sgd![7]).toBe('—');
    if (torch) {
      expect(lines[header - 1]).toMatch(/^PyTorch \d+\.\d+\S* on (cpu|cuda) \(.+\), float32: its SGD step beside CurveLab's \(no PyTorch CurveBall: —\)$/);
      expectQuotient(sgd![6]!, sgd![4]!, sgd![5]!);
    } else {
      expect(lines[header - 1]).toBe('PyTorch: no step timed');
      expect(lines[header + 4]).toMatch(/^PyTorch not timed: no Python here imports torch/);
    }
  });

  it.skipIf(!torch && !required)('writes a JSON line per PyTorch model beside the cases', { timeout: 120_000 }, async () => {
    const lines = (await bench(...tiny, '--optimizer', 'sgd', '--json'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ framework: 'pytorch', arch: 'mlp', batchSize: 4, inputShape: [12], parameters: 12 * 8 + 8 + 8 * 10 + 10, timedSteps: 2 });
    expect(lines[1]).toMatchObject({ arch: 'mlp', optimizer: 'sgd', backend: 'cpu', timedSteps: 2 });
  });
});
