import { availableParallelism, cpus, totalmem } from 'node:os';
import { selectBackend } from '../engine/backend';
import { tf } from '../engine/tf';
import { parseCommandArgs } from './argumentValues';

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
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
