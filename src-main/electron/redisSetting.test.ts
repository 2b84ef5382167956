import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redisSetting } from './redisSetting';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'curvelab-settings-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function settings(text: string): void {
  writeFileSync(join(dir, 'settings.json'), text);
}

describe("the desktop app's Redis setting", () => {
  it('CURVELAB_REDIS wins over settings.json; without either (or empty) the app trains runs itself', () => {
    expect(redisSetting({}, dir)).toBeUndefined();
    settings('{"redis": "redis://queue.lan:6379"}');
    expect(redisSetting({}, dir)).toBe('redis://queue.lan:6379');
    expect(redisSetting({ CURVELAB_REDIS: 'rediss://lab:pw@other.lan' }, dir)).toBe('rediss://lab:pw@other.lan');
    expect(redisSetting({ CURVELAB_REDIS: '' }, dir)).toBe('redis://queue.lan:6379');
    settings('{"theme": "dark"}');
    expect(redisSetting({}, dir)).toBeUndefined();
  });

  it('a bad setting is an error naming the file or the variable, and what was expected', () => {
    const file = join(dir, 'settings.json');
    settings('{"redis": ');
    expect(() => redisSetting({}, dir)).toThrow(`${file}: not valid JSON`);
    settings('["redis://queue.lan"]');
    expect(() => redisSetting({}, dir)).toThrow(`${file}: expected a JSON object`);
    settings('{"redis": 6379}');
    expect(() => redisSetting({}, dir)).toThrow(`${file}: redis: expected the address as a string`);
    settings('{"redis": "http://queue.lan"}');
    expect(() => redisSetting({}, dir)).toThrow(`${file}: redis: unknown scheme http:`);
    expect(() => redisSetting({ CURVELAB_REDIS: 'queue.lan:6379' }, dir)).toThrow(/^CURVELAB_REDIS: /);
  });
});
