import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobHeapMb, jobMemoryBytes, maxOldSpaceFlagMb } from './memoryLimits';

describe('maxOldSpaceFlagMb', () => {
  it('reads the last --max-old-space-size among the arguments, in either spelling', () => {
    expect(maxOldSpaceFlagMb(['--enable-source-maps'])).toBeNull();
    expect(maxOldSpaceFlagMb(['--max-old-space-size=192'])).toBe(192);
    expect(maxOldSpaceFlagMb(['--max_old_space_size=512', '--max-old-space-size=256'])).toBe(256);
    expect(maxOldSpaceFlagMb(['--max-old-space-size'])).toBeNull();
  });

  it('caps jobHeapMb when NODE_OPTIONS sets it', () => {
    const before = process.env['NODE_OPTIONS'];
    try {
      process.env['NODE_OPTIONS'] = '--max-old-space-size=192';
      expect(jobHeapMb()).toBe(Math.min(192, Math.floor(jobMemoryBytes() / 2 ** 20)));
      delete process.env['NODE_OPTIONS'];
      expect(jobHeapMb()).toBe(Math.floor(jobMemoryBytes() / 2 ** 20));
    } finally {
      if (before === undefined) delete process.env['NODE_OPTIONS'];
      else process.env['NODE_OPTIONS'] = before;
    }
  });

  it('is what caps a worker thread\'s heap, whatever its resourceLimits ask (so jobHeapMb follows it)', () => {
    // A worker asking for 4 GB in a process started with a 192 MB cap gets the cap's heap (V8 adds the young generation).
    const script = `const { Worker } = require('node:worker_threads');
      new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20)",
        { eval: true, resourceLimits: { maxOldGenerationSizeMb: 4096 } }).once('message', (mb) => { console.log(mb); process.exit(0); });`;
    const limit = (nodeArgs: string[]): number => Number(spawnSync(process.execPath, [...nodeArgs, '-e', script], { cwd: join(import.meta.dirname), encoding: 'utf8' }).stdout.trim());
    expect(limit(['--max-old-space-size=192'])).toBeLessThan(400);
    expect(limit([])).toBeGreaterThan(4000);
  });
});
