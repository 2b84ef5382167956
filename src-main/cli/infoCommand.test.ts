import { afterEach, describe, expect, it, vi } from 'vitest';
import { runInfoCommand, tfjsNodeGpuRequirements, tfjsNodeGpuStatus } from './infoCommand';

async function info(...argv: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  expect(await runInfoCommand(argv)).toBe(0);
  vi.restoreAllMocks();
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('curvelab info on tfjs-node-gpu', () => {
  it('reads whether tfjs-node-gpu loaded from the backends tried', () => {
    const gpu = 'tensorflow (tfjs-node-gpu, CUDA)';
    const cpu = { candidate: 'cpu (plain TF.js)', ok: true, detail: 'plain TF.js kernels' };
    expect(tfjsNodeGpuStatus([{ candidate: gpu, ok: false, detail: 'not installed' }, cpu])).toBe('unavailable');
    expect(tfjsNodeGpuStatus([{ candidate: gpu, ok: true, detail: '@tensorflow/tfjs-node-gpu' }])).toBe('loaded');
    expect(tfjsNodeGpuStatus([cpu])).toBe('not tried');
  });

  it('states its CUDA requirements where it does not load (it does not here: no CUDA device or no binding)', { timeout: 120_000 }, async () => {
    const json = JSON.parse(await info('--json')) as { attempts: { candidate: string; ok: boolean }[]; tfjsNodeGpu: unknown };
    expect(json.attempts.find((a) => a.candidate.includes('tfjs-node-gpu'))?.ok).toBe(false);
    expect(json.tfjsNodeGpu).toEqual({ status: 'unavailable', optional: true, requirements: tfjsNodeGpuRequirements });
    expect(tfjsNodeGpuRequirements).toBe(
      '@tensorflow/tfjs-node-gpu 4.22 needs libtensorflow 2.9.1 for CUDA 11.2 and cuDNN 8.1 (downloaded at its install), Linux x64 only; unreleased since October 2024',
    );

    const text = await info();
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('cuda      '));
    expect(lines.slice(first, first + 2).join(' ').replace(/ +/g, ' ')).toBe(
      `cuda tfjs-node-gpu unavailable (optional; CurveLab's GPU path is webgpu): ${tfjsNodeGpuRequirements}`,
    );
    expect(lines[first + 1]).toMatch(/^ {10}\S/);
  });
});
