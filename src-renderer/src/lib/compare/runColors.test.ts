import { describe, expect, test } from 'vitest';
import { fnv1a32, groupColor, keyHue, runColor, runHue, withAlpha } from './runColors';

function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}

describe('run colours', () => {
  test('a run id maps to id × 137.5078° (the golden angle) mod 360', () => {
    expect(runHue(0)).toBe(0);
    expect(runHue(1)).toBeCloseTo(137.50776, 4);
    expect(runHue(3)).toBeCloseTo(412.52329 - 360, 4);
    expect(runColor(0)).toBe('hsl(0, 70%, 50%)');
    // Hue 52.5 is a yellow: darker, so it reads on white.
    expect(runColor(3)).toBe('hsl(52.5, 70%, 40%)');
    expect(runColor(1, 0.2)).toBe('hsla(137.5, 70%, 40%, 0.2)');
  });

  test('depends on the id only, not on which other runs are selected or the call order', () => {
    const first = [5, 6, 7].map((id) => runColor(id));
    const later = [7, 42, 6, 5].map((id) => runColor(id));
    expect(later[3]).toBe(first[0]);
    expect(later[2]).toBe(first[1]);
    expect(later[0]).toBe(first[2]);
  });

  test('neighbouring ids are far apart in hue: ≥ 50° for the next 3 ids, ≥ 20° for the next 8', () => {
    for (let id = 1; id <= 500; id++) {
      for (let k = 1; k <= 8; k++) {
        const d = circularDistance(runHue(id), runHue(id + k));
        expect(d).toBeGreaterThanOrEqual(k <= 3 ? 50 : 20);
      }
    }
  });
});

describe('group colours', () => {
  test('FNV-1a 32 matches the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  test('a key maps to its hash mod 360, the same every time', () => {
    // 0xe40c292c = 3826002220 = 10627783 · 360 + 340.
    expect(keyHue('a')).toBe(340);
    expect(groupColor('a')).toBe('hsl(340, 70%, 50%)');
    expect(groupColor('group:optimizer:sgd')).toBe(groupColor('group:optimizer:sgd'));
    expect(groupColor('group:optimizer:sgd')).not.toBe(groupColor('group:optimizer:curveball'));
  });
});

test('withAlpha turns our colours into the same hue at another opacity', () => {
  expect(withAlpha('hsl(137.5, 70%, 40%)', 0.25)).toBe('hsla(137.5, 70%, 40%, 0.25)');
  expect(withAlpha('hsla(0, 70%, 50%, 0.5)', 0.1)).toBe('hsla(0, 70%, 50%, 0.1)');
  expect(() => withAlpha('#ff0000', 0.5)).toThrow(/expected a colour from hueColor/);
});
