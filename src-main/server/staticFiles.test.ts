import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveInside } from './staticFiles';

const root = mkdtempSync(join(tmpdir(), 'curvelab-static-'));
const site = join(root, 'site');
mkdirSync(join(site, 'assets'), { recursive: true });
writeFileSync(join(site, 'index.html'), '12345');
writeFileSync(join(site, 'assets', 'a.js'), 'x');
writeFileSync(join(root, 'site-secret.txt'), 'secret'); // a sibling whose name starts like the folder's
symlinkSync(join(site, 'assets', 'a.js'), join(site, 'inner-link.js'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInside', () => {
  it('finds regular files inside the folder, with their size', async () => {
    expect(await resolveInside(site, '/index.html')).toEqual({ path: join(site, 'index.html'), size: 5 });
    expect(await resolveInside(site, '/assets/a.js')).toMatchObject({ path: join(site, 'assets', 'a.js') });
    expect(await resolveInside(site, '/inner-link.js')).toMatchObject({ path: join(site, 'assets', 'a.js') }); // a link that stays inside
  });

  it.each(['/../site-secret.txt', '/../site/../site-secret.txt', '/assets/../../site-secret.txt', '/index.html\0.png', '/', '/assets', '/nothing'])(
    'returns null for %j',
    async (path) => {
      expect(await resolveInside(site, path)).toBeNull();
    },
  );
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/b/app-x1.JS', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['font.woff2', 'font/woff2'],
    ['data.bin', 'application/octet-stream'],
    ['Makefile', 'application/octet-stream'],
  ])('%s → %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});
