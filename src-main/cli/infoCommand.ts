import { availableParallelism, cpus, totalmem } from 'node:os';
import { type BackendAttempt, selectBackend } from '../engine/backend';
import { tf } from '../engine/tf';
import { parseCommandArgs } from './argumentValues';

/** What @tensorflow/tfjs-node-gpu needs (its scripts/deps-constants.js pins libtensorflow 2.9.1). */
export const tfjsNodeGpuRequirements =
  '@tensorflow/tfjs-node-gpu 4.22 needs libtensorflow 2.9.1 for CUDA 11.2 and cuDNN 8.1 (downloaded at its install), ' +
  'Linux x64 only; unreleased since October 2024';

/**
 * Whether the tfjs-node-gpu backend loaded on a CUDA device when the backends were tried ('not tried' when
 * another backend was named).
 */
export function tfjsNodeGpuStatus(attempts: BackendAttempt[]): 'loaded' | 'unavailable' | 'not tried' {
  const attempt = attempts.find((a) => a.candidate.includes('tfjs-node-gpu'));
  return attempt === undefined ? 'not tried' : attempt.ok ? 'loaded' : 'unavailable';
}

export async function runInfoCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('info', { args: argv, options: { backend: { type: 'string' }, json: { type: 'boolean' } } });
  const backend = await selectBackend(values.backend);
  const info = {
    backend: backend.name,
    reason: backend.reason,
    attempts: backend.attempts,
    tfjs: tf.version_core,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    tfjsNodeGpu: { status: tfjsNodeGpuStatus(backend.attempts), optional: true, requirements: tfjsNodeGpuRequirements },
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  }
  const lines = [
    `backend   ${info.backend} (${info.reason})`,
    ...info.attempts.map((a) => `          ${a.ok ? '✓' : '✗'} ${a.candidate}: ${a.detail}`),
    `tfjs      ${info.tfjs}`,
    `node      ${info.node} (${info.platform})`,
    `machine   ${info.cores} cores, ${info.memoryGiB} GiB, ${info.cpu}`,
    ...(info.tfjsNodeGpu.status === 'loaded' ? [] : twoLines('cuda      ', `tfjs-node-gpu ${info.tfjsNodeGpu.status} (optional; CurveLab's GPU path is webgpu): ${tfjsNodeGpuRequirements}`)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The text after the label, broken at the last space before column 110. */
function twoLines(label: string, text: string): string[] {
  const cut = text.lastIndexOf(' ', 110 - label.length);
  return [label + text.slice(0, cut), ' '.repeat(label.length) + text.slice(cut + 1)];
}
