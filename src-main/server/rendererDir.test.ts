import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRendererDir } from './rendererDir';

const root = mkdtempSync(join(tmpdir(), 'curvelab-root-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('defaultRendererDir', () => {
  it('is out/renderer in this repository when called from here', () => {
    const repository = fileURLToPath(new URL('../../', import.meta.url));
    expect(defaultRendererDir()).toBe(join(repository, 'out', 'renderer'));
  });

  it('skips package.json files of other packages on the way up', () => {
    const app = join(root, 'app');
    const nested = join(app, 'node_modules', 'other', 'lib');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'curvelab' }));
    writeFileSync(join(app, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(defaultRendererDir(nested)).toBe(join(app, 'out', 'renderer'));
  });

  it('says where it looked when there is no CurveLab folder above', () => {
    const lone = join(root, 'lone');
    mkdirSync(lone);
    expect(() => defaultRendererDir(lone)).toThrow(/no CurveLab package\.json found above .*lone/);
  });
});
