import { describe, expect, test } from 'vitest';
import { figurePdf, rgb } from './figurePdf';
import { figureSvg } from './figureSvg';
import { linearTicks, panelFigure } from './panelFigure';
import type { PanelModel, PlotDataset, PlotPoint } from './panelModels';

const points = (ys: number[]): PlotPoint[] => ys.map((y, i) => ({ x: i * 10, y }));
const dataset = (entryKey: string, role: PlotDataset['role'], ys: number[], color = '#0072b2'): PlotDataset => ({
  id: `${entryKey}|${role}`,
  entryKey,
  label: `${entryKey} label`,
  color,
  role,
  points: points(ys),
});

/** Two groups with bands and raw curves, and an entry with no points in this panel (an SGD run in ρ's panel). */
const panel: PanelModel = {
  id: 'rho',
  title: 'ρ: CurveBall momentum (rho)',
  source: { kind: 'step', series: 'rho' },
  smoothed: true,
  datasets: [
    dataset('optimizer:curveball', 'line', [0.9, 0.8, 0.7]),
    dataset('optimizer:curveball', 'raw', [0.95, 0.75, 0.72]),
    dataset('optimizer:curveball', 'band-min', [0.85, 0.7, 0.6]),
    dataset('optimizer:curveball', 'band-max', [0.95, 0.9, 0.8]),
    dataset('optimizer:adam', 'line', [0.5, 0.4, 0.45], '#e69f00'),
    dataset('optimizer:sgd', 'line', []),
  ],
};

const svg = figureSvg(panelFigure(panel, { xAxis: 'step', logY: false }));

describe('panelFigure and figureSvg', () => {
  test('one path per drawn curve (lines and raw curves), one band polygon, on a white page', () => {
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect([...svg.matchAll(/data-dataset="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['optimizer:adam|line', 'optimizer:curveball|line', 'optimizer:curveball|raw']);
    expect(svg.match(/<polygon /g)).toHaveLength(1);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>\n<rect width="640" height="[\d.]+" fill="#ffffff"\/>/);
  });

  test('the legend names only the curves the panel draws', () => {
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain('optimizer:curveball label');
    expect(texts).toContain('optimizer:adam label');
    expect(texts).not.toContain('optimizer:sgd label');
    expect(texts).toContain('ρ: CurveBall momentum (rho)');
  });

  test('well-formed: every element closed, attributes escaped', () => {
    const tricky = { ...panel, title: 'a < b & "c"' };
    const text = figureSvg(panelFigure(tricky, { xAxis: 'epoch', logY: true }));
    expect(text).toContain('a &lt; b &amp; &quot;c&quot;');
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of text.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    expect(stack).toEqual([]);
  });

  test('curves map into the plot area: the lowest point at its bottom, the highest at its top', () => {
    const figure = panelFigure({ ...panel, datasets: [dataset('a', 'line', [0, 10, 5])] }, { xAxis: 'step', logY: false });
    const line = figure.shapes.find((s) => s.kind === 'polyline');
    if (line?.kind !== 'polyline') throw new Error('no curve drawn');
    // Ticks 0…10 step 2 span the data exactly: y 0 at the plot's bottom (36 + 320), y 10 at its top (36); x 0…20 over 64…624.
    expect(line.points).toEqual([[64, 356], [344, 36], [624, 196]]);
  });

  test('linear ticks: the smallest 1, 2 or 5 × 10^n step at least (max − min) / count, inside the range', () => {
    expect(linearTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    // 0.74 / 6 ≈ 0.123: the next nice step is 0.2.
    expect(linearTicks(0.13, 0.87, 6)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(linearTicks(-3, 1700, 6)).toEqual([0, 500, 1000, 1500]);
  });
});

describe('figurePdf', () => {
  const pdf = figurePdf(panelFigure(panel, { xAxis: 'step', logY: false }));

  test('a PDF header, and a cross-reference table whose offsets point at each object', () => {
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(pdf.slice(startxref))!;
    expect(Number(first)).toBe(0);
    const entries = pdf.slice(startxref).split('\n').slice(2, 2 + Number(count));
    expect(entries[0]).toBe('0000000000 65535 f ');
    entries.slice(1).forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(pdf.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj\n`)).toBe(true);
    });
    expect(pdf).toContain(`/Size ${count}`);
  });

  test('the content stream’s length is its byte length, and each curve is a stroked path', () => {
    const [, length, stream] = /\/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(pdf)!;
    expect(new TextEncoder().encode(stream).length).toBe(Number(length));
    expect(stream!.match(/ S Q/g)!.length).toBeGreaterThanOrEqual(3);
    expect(stream).toContain('(rho: CurveBall momentum \\(rho\\)) Tj'); // Greek spelled out, parentheses escaped
    expect(/[^\x00-\x7f]/.test(pdf)).toBe(false);
  });

  test('colours as PDF rgb operands', () => {
    expect(rgb('#ff8000')).toBe('1 0.502 0');
    expect(rgb('#fff')).toBe('1 1 1');
    expect(rgb('rgb(0, 51, 255)')).toBe('0 0.2 1');
    expect(rgb('teal')).toBe('0 0 0');
  });
});
