import { describe, expect, test } from 'vitest';
import { ciede2000, srgbHexToLab, type Lab } from './colorDifference';

const lab = (L: number, a: number, b: number): Lab => ({ L, a, b });

describe('CIEDE2000', () => {
  // Pairs from Sharma, Wu & Dalal (2005), Table 1, with their published ΔE00 (4 decimals). They cover
  // the chroma-0 case (7), the hue seam at 0°/360° (13, 15), large differences (17–20) and blues (1–3, 34).
  const pairs: [number, Lab, Lab, number][] = [
    [1, lab(50, 2.6772, -79.7751), lab(50, 0, -82.7485), 2.0425],
    [2, lab(50, 3.1571, -77.2803), lab(50, 0, -82.7485), 2.8615],
    [3, lab(50, 2.8361, -74.02), lab(50, 0, -82.7485), 3.4412],
    [7, lab(50, 0, 0), lab(50, -1, 2), 2.3669],
    [13, lab(50, 2.49, -0.001), lab(50, -2.49, 0.0009), 7.1792],
    [15, lab(50, 2.49, -0.001), lab(50, -2.49, 0.0011), 7.2195],
    [17, lab(50, 2.5, 0), lab(73, 25, -18), 27.1492],
    [18, lab(50, 2.5, 0), lab(61, -5, 29), 22.8977],
    [19, lab(50, 2.5, 0), lab(56, -27, -3), 31.903],
    [20, lab(50, 2.5, 0), lab(58, 24, 15), 19.4535],
    [25, lab(60.2574, -34.0099, 36.2677), lab(60.4626, -34.1751, 39.4387), 1.2644],
    [34, lab(22.7233, 20.0904, -46.694), lab(23.0331, 14.973, -42.5619), 2.0373],
  ];
  test.each(pairs)('pair %i', (_n, a, b, expected) => {
    expect(ciede2000(a, b)).toBeCloseTo(expected, 4);
    // The formula is symmetric in its arguments.
    expect(ciede2000(b, a)).toBeCloseTo(expected, 4);
  });

  test('a colour is 0 from itself', () => {
    expect(ciede2000(lab(40, 30, -20), lab(40, 30, -20))).toBe(0);
  });
});

describe('sRGB to Lab (D65)', () => {
  test('white, black and the primaries land on their textbook Lab values', () => {
    const close = (actual: Lab, expected: Lab) => {
      expect(actual.L).toBeCloseTo(expected.L, 1);
      expect(actual.a).toBeCloseTo(expected.a, 1);
      expect(actual.b).toBeCloseTo(expected.b, 1);
    };
    close(srgbHexToLab('#ffffff'), lab(100, 0, 0));
    close(srgbHexToLab('#000000'), lab(0, 0, 0));
    close(srgbHexToLab('#ff0000'), lab(53.24, 80.09, 67.2));
    close(srgbHexToLab('#00ff00'), lab(87.73, -86.18, 83.18));
    close(srgbHexToLab('#0000ff'), lab(32.3, 79.19, -107.86));
  });

  test('refuses anything but #rrggbb', () => {
    expect(() => srgbHexToLab('red')).toThrow(/expected a colour as #rrggbb, got "red"/);
  });
});
