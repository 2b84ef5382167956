import { describe, expect, test } from 'vitest';
import { ciede2000, srgbHexToLab } from './colorDifference';
import { categoricalPalette, paletteColor, withAlpha } from './palette';

/** The panel backgrounds (--panel) of styles/theme.css, light and dark. */
const panelBackgrounds = { light: '#ffffff', dark: '#1d2128' };

describe('the categorical palette', () => {
  const eight = [0, 1, 2, 3, 4, 5, 6, 7].map(paletteColor);

  test('eight groups are pairwise at least CIEDE2000 20 apart', () => {
    const labs = eight.map(srgbHexToLab);
    for (let i = 0; i < labs.length; i++)
      for (let j = i + 1; j < labs.length; j++) expect(ciede2000(labs[i], labs[j]), `${eight[i]} vs ${eight[j]}`).toBeGreaterThanOrEqual(20);
  });

  test.each(['light', 'dark'] as const)('each of the eight stands at least 20 away from the %s theme’s panel background', (theme) => {
    const background = panelBackgrounds[theme];
    for (const color of eight) expect(ciede2000(srgbHexToLab(color), srgbHexToLab(background)), color).toBeGreaterThanOrEqual(20);
  });

  test('colours go by position and repeat past the end', () => {
    expect(paletteColor(0)).toBe('#0072b2');
    expect(paletteColor(1)).toBe('#e69f00');
    expect(paletteColor(categoricalPalette.length)).toBe(paletteColor(0));
    expect(new Set(categoricalPalette).size).toBe(categoricalPalette.length);
    expect(() => paletteColor(-1)).toThrow(/expected a position ≥ 0/);
  });

  test('withAlpha keeps the colour and sets the opacity', () => {
    expect(withAlpha('#0072b2', 0.25)).toBe('rgba(0, 114, 178, 0.25)');
    expect(() => withAlpha('hsl(0, 70%, 50%)', 0.5)).toThrow(/expected a colour as #rrggbb/);
  });
});
