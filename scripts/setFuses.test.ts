import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./setFuses.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'curvelab-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for an Electron binary: bytes around the fuse wire as Electron lays it out (the sentinel,
 * version 1, the wire's length, then one byte per fuse: '0' off, '1' on), written here by hand.
 */
const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
// RunAsNode, EnableCookieEncryption, NodeOptions, inspect arguments, asar integrity, only asar, V8 snapshot, file privileges, wasm trap handlers.
const shippedWire = '101111111';
function fakeBinary(name: string): { path: string; wireAt: number } {
  const before = Buffer.alloc(5000, 0x41);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([before, sentinel, Buffer.from([1, shippedWire.length]), Buffer.from(shippedWire, 'latin1'), Buffer.alloc(3000, 0x42)]));
  return { path, wireAt: before.length + sentinel.length + 2 };
}

describe('scripts/setFuses.mjs', () => {
  it('turns off RunAsNode, NODE_OPTIONS, the inspect arguments and file:// privileges, turns on cookie encryption, and leaves the rest', () => {
    const { path, wireAt } = fakeBinary('electron');
    const result = spawnSync(process.execPath, [script, path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const bytes = readFileSync(path);
    // Off: RunAsNode (0), NODE_OPTIONS (2), inspect arguments (3), file privileges (7); on: cookie encryption (1); the rest as shipped.
    expect(bytes.subarray(wireAt, wireAt + shippedWire.length).toString('latin1')).toBe('010011101');
    // Nothing else in the file moved.
    expect(bytes.length).toBe(5000 + sentinel.length + 2 + shippedWire.length + 3000);
    expect(bytes.subarray(0, 5000).every((b) => b === 0x41)).toBe(true);
    expect(result.stdout).toMatch(/^RunAsNode\s+0$/m);
    expect(result.stdout).toMatch(/^EnableNodeOptionsEnvironmentVariable\s+0$/m);
    expect(result.stdout).toMatch(/^EnableNodeCliInspectArguments\s+0$/m);
  });

  it('says what is wrong with a file that is no Electron binary, and with no argument', () => {
    const other = join(dir, 'not-electron');
    writeFileSync(other, 'just text');
    const refused = spawnSync(process.execPath, [script, other], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not-electron: Could not find sentinel/);
    const usage = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: node scripts\/setFuses\.mjs/);
  });
});
