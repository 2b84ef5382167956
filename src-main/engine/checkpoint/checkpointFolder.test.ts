import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A disk that fills up at the write: writeSync fails with ENOSPC while `full` is set.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    writeSync: ((...args: Parameters<typeof fs.writeSync>) => {
      if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return fs.writeSync(...args);
    }) as typeof fs.writeSync,
  };
});

const { CheckpointFolder } = await import('./checkpointFolder');

const dir = mkdtempSync(join(tmpdir(), 'curvelab-checkpoint-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CheckpointFolder on a full disk', () => {
  it('says the disk is full, names the file, keeps the checkpoint before and leaves no partial file', () => {
    const folder = new CheckpointFolder(join(dir, 'run'));
    folder.write(100, new Uint8Array([1, 2, 3]));
    disk.full = true;
    let message = '';
    try {
      folder.write(200, new Uint8Array([4, 5, 6]));
    } catch (error) {
      message = (error as Error).message;
    } finally {
      disk.full = false;
    }
    expect(message).toContain('step-200.ckpt');
    expect(message).toContain('the checkpoint could not be written: the disk is full');
    expect(message).not.toContain('ENOSPC');
    expect(readdirSync(join(dir, 'run'))).toEqual(['step-100.ckpt']);
  });
});
