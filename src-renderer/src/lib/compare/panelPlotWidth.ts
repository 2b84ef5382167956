/** The compare panels' grid (CompareScreen's style): columns at least 30rem wide, 0.75rem apart. */
const minColumnPx = 30 * 16;
const gapPx = 0.75 * 16;
/** A panel's plot area is narrower than its column by the panel's padding and the y axis's labels. */
const chromePx = 70;

/**
 * About how many pixels wide each panel's plot is, for a panel grid `gridWidth` pixels wide: the number
 * of points worth asking the lab for per curve (one bucket per pixel; each keeps its min and max).
 */
export function panelPlotWidth(gridWidth: number): number {
  const columns = Math.max(1, Math.floor((gridWidth + gapPx) / (minColumnPx + gapPx)));
  const column = (gridWidth - (columns - 1) * gapPx) / columns;
  return Math.round(Math.max(200, column - chromePx));
}

/**
 * The points to ask the lab for per curve, for a plot `plotWidth` pixels wide: 2 + the power of two
 * nearest the width (in ratio), from 2 + 128 to 2 + 4,096. The lab answers a whole-curve read of 2 + a
 * divisor of 1,024 or 4,096 points from its stored overviews exactly as from the raw rows, and 2 + 1,024
 * or fewer from the small one, which is what makes fifty runs open fast.
 */
export function curvePointsFor(plotWidth: number): number {
  const exponent = Math.min(12, Math.max(7, Math.round(Math.log2(Math.max(1, plotWidth)))));
  return 2 + 2 ** exponent;
}
