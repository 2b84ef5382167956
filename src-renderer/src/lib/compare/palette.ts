/**
 * The compare view's categorical palette. Colours go by position in the current view (the first curve
 * or group gets the first colour, and so on), so a view of three groups always gets three clearly
 * different colours; a curve keeps its colour as long as the selection and the grouping stay the same.
 *
 * The first seven are Okabe & Ito's colour-blind-safe set (its black left out: it vanishes on the dark
 * theme), then a wine red, an olive and a violet. One palette serves both themes: each of the first
 * eight is at least CIEDE2000 20 from every other and from both themes' panel backgrounds (see the
 * test). Past the end the palette repeats; the legend and the hover readout still tell curves apart.
 */
export const categoricalPalette: readonly string[] = [
  '#0072b2', // blue
  '#e69f00', // orange
  '#009e73', // bluish green
  '#cc79a7', // reddish purple
  '#56b4e9', // sky blue
  '#d55e00', // vermillion
  '#f0e442', // yellow
  '#882255', // wine
  '#999933', // olive
  '#7570b3', // violet
];

/** The colour of the curve or group at this position (0-based) in the view. */
export function paletteColor(position: number): string {
  if (!Number.isInteger(position) || position < 0) throw new RangeError(`paletteColor: expected a position ≥ 0, got ${position}`);
  return categoricalPalette[position % categoricalPalette.length];
}

/** A palette colour (`#rrggbb`) at another opacity, for the faint raw curve and the band. */
export function withAlpha(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) throw new RangeError(`withAlpha: expected a colour as #rrggbb, got ${JSON.stringify(color)}`);
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
