import { describe, expect, test } from 'vitest';
import { boldLineLimit, paintCurves, visiblePixels, type PaintArea, type PaintContext } from './curvePainter';
import type { DatasetRole, PlotDataset, PlotPoint } from './panelModels';

/** A context that records what is drawn: each path's points and how it was finished. */
function recorder(): PaintContext & { paths: { points: [number, number][]; done: string; style: string; width: number; arcs: number }[] } {
  let current: { points: [number, number][]; done: string; style: string; width: number; arcs: number } = { points: [], done: '', style: '', width: 0, arcs: 0 };
  const paths: (typeof current)[] = [];
  const ctx = {
    paths,
    strokeStyle: '' as string,
    fillStyle: '' as string,
    lineWidth: 1,
    lineJoin: 'miter' as CanvasLineJoin,
    save() {},
    restore() {},
    clip() {},
    rect() {},
    closePath() {},
    beginPath() {
      current = { points: [], done: '', style: '', width: 0, arcs: 0 };
    },
    moveTo(x: number, y: number) {
      current.points.push([x, y]);
    },
    lineTo(x: number, y: number) {
      current.points.push([x, y]);
    },
    arc() {
      current.arcs++;
    },
    stroke() {
      paths.push({ ...current, done: 'stroke', style: String(ctx.strokeStyle), width: ctx.lineWidth });
    },
    fill() {
      paths.push({ ...current, done: 'fill', style: String(ctx.fillStyle), width: 0 });
    },
  };
  return ctx as unknown as ReturnType<typeof recorder>;
}

// A plot area 100..300 px wide and 0..100 px high showing x 0..10 and y 0..1: 20 px per x, 100 px per y (down).
const area: PaintArea = { left: 100, right: 300, top: 0, bottom: 100, x: (v) => 100 + 20 * v, y: (v) => 100 - 100 * v, xMin: 0, xMax: 10 };
const points = (...xy: [number, number][]): PlotPoint[] => xy.map(([x, y]) => ({ x, y }));
const dataset = (role: DatasetRole, pts: PlotPoint[], entryKey = 'a'): PlotDataset => ({ id: `${entryKey}|${role}`, entryKey, label: entryKey, color: '#112233', role, points: pts });

describe('visiblePixels', () => {
  test('maps points to pixels, keeping one neighbour beyond each edge of the view', () => {
    const view = { ...area, xMin: 2, xMax: 4 };
    // x 0..6; in view 2, 3, 4; neighbours 1 and 5; 0 and 6 skipped.
    const pixels = visiblePixels(points([0, 0], [1, 0.5], [2, 0], [3, 1], [4, 0], [5, 0.5], [6, 0]), view);
    expect([...pixels]).toEqual([120, 50, 140, 100, 160, 0, 180, 100, 200, 50]);
  });

  test('holds far-off values to a drawable distance from the plot', () => {
    const pixels = visiblePixels(points([1, 1e35], [2, -1e35]), area);
    expect([...pixels]).toEqual([120, -1e4, 140, 100 + 1e4]);
  });
});

describe('paintCurves', () => {
  test('fills bands first, then strokes faint raw curves, then lines', () => {
    const ctx = recorder();
    const lineData = dataset('line', points([0, 0.5], [5, 0.5], [10, 0.5], [11, 0.5], [12, 0.5], [13, 0.5], [14, 0.5], [15, 0.5], [16, 0.5], [17, 0.5], [18, 0.5], [19, 0.5], [20, 0.5]));
    paintCurves(ctx, area, [lineData, dataset('raw', points([0, 0], [10, 1])), dataset('band-min', points([0, 0.25], [10, 0.25])), dataset('band-max', points([0, 0.75], [10, 0.75]))], false);
    expect(ctx.paths.map((p) => p.done)).toEqual(['fill', 'stroke', 'stroke']);
    // The band: lower edge left to right, upper edge right to left (y 0.25 → 75 px, 0.75 → 25 px).
    expect(ctx.paths[0]!.points).toEqual([[100, 75], [300, 75], [300, 25], [100, 25]]);
    expect(ctx.paths[1]!.width).toBe(1);
    expect(ctx.paths[1]!.style).not.toBe('#112233'); // raw: the colour made faint
    // The line: x 0, 5, 10 in view and x 11, its one neighbour beyond; no markers (13 points).
    expect(ctx.paths[2]).toMatchObject({ style: '#112233', width: 1.75, arcs: 0, points: [[100, 50], [200, 50], [300, 50], [320, 50]] });
  });

  test('draws a few lines bold, and many lines one pixel wide', () => {
    const lines = (count: number): PlotDataset[] => Array.from({ length: count }, (_, i) => dataset('line', points([0, 0.5], [10, 0.5]), `run ${i}`));
    const widths = (count: number): number[] => {
      const ctx = recorder();
      paintCurves(ctx, area, lines(count), false);
      return [...new Set(ctx.paths.filter((p) => p.done === 'stroke').map((p) => p.width))];
    };
    expect(widths(boldLineLimit)).toEqual([1.75]);
    expect(widths(boldLineLimit + 1)).toEqual([1]);
    expect(widths(50)).toEqual([1]);
  });

  test('marks the points of a sparse line, and where a line leaves a clipped range', () => {
    const ctx = recorder();
    // y 2 lies above the plot (pixel −100): one ▲ where the line goes out, none while it stays out.
    paintCurves(ctx, area, [dataset('line', points([1, 0.5], [2, 2], [3, 2], [4, 0.5]))], true);
    const markers = ctx.paths.filter((p) => p.done === 'fill');
    const dots = markers.filter((p) => p.arcs === 1);
    const triangles = markers.filter((p) => p.points.length === 3);
    expect(dots).toHaveLength(4);
    // The triangle on the top edge at x 2 (pixel 140), pointing up.
    expect(triangles.map((t) => t.points)).toEqual([[[140, -5], [135, 5], [145, 5]]]);
  });
});
