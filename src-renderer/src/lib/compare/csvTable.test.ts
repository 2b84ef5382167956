import { describe, expect, test } from 'vitest';
import { buildCsv, shortestFloat32 } from './csvTable';

describe('buildCsv', () => {
  test('x column, one column per series, rows at the union of x, empty cells where a series has no point', () => {
    const csv = buildCsv('step', [
      { header: 'loss: #1 sgd lr=0.1 seed 0', points: [{ x: 0, y: 2.5 }, { x: 2, y: 1.25 }] },
      { header: 'loss: "mean", 2 runs', points: [{ x: 1, y: 0.1 }, { x: 2, y: 3 }] },
    ]);
    expect(csv).toBe(
      'step,loss: #1 sgd lr=0.1 seed 0,"loss: ""mean"", 2 runs"\r\n' + //
        '0,2.5,\r\n' +
        '1,,0.1\r\n' +
        '2,1.25,3\r\n',
    );
  });

  test('sorts x numerically, not as text, and writes numbers to float32 precision', () => {
    // float32(1/3) = 0.3333333432674408, whose shortest float32 decimal is 0.33333334 (8 digits).
    const csv = buildCsv('passes', [{ header: 'v', points: [{ x: 10, y: 1 / 3 }, { x: 9, y: 1e-7 }] }]);
    expect(csv).toBe('passes,v\r\n9,1e-7\r\n10,0.33333334\r\n');
  });

  test('a value that came as float32 is written as the decimal it was: 0.1, not 0.10000000149011612', () => {
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(2.3))).toBe(2.3);
    expect(shortestFloat32(16_777_216)).toBe(16_777_216);
    // Beyond float32's range (a page-computed band edge of a diverged run) it stays as it is.
    expect(shortestFloat32(1e39)).toBe(1e39);
  });

  test('no columns: just the header', () => {
    expect(buildCsv('epoch', [])).toBe('epoch\r\n');
  });
});
