import { describe, expect, it } from 'vitest';
import { prefersLog, renderSvgPlot } from './svgPlot';

const tickLabels = (svg: string) => [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('inline SVG plots', () => {
  it('use a log scale when the values span a decade, with ticks at 1, 2, 5 × 10^k', () => {
    expect(prefersLog([2.3, 0.5, 0.02])).toBe(true);
    expect(prefersLog([2.3, 0.5])).toBe(false);
    expect(prefersLog([10, 0, 1])).toBe(false);
    const svg = renderSvgPlot({ title: 't', xLabel: 'step', yLabel: 'training loss', lines: [{ label: 'SGD', color: '#000', dash: '', points: [{ x: 0, y: 2.3 }, { x: 100, y: 0.02 }] }] });
    expect(svg).toContain('training loss (log scale)');
    // y: 0.02 … 2.3 (padded); x: 0 … 100 by 20.
    expect(tickLabels(svg)).toEqual(['0.02', '0.05', '0.1', '0.2', '0.5', '1', '2', '0', '20', '40', '60', '80', '100']);
  });

  it('use a linear scale widened to whole ticks otherwise', () => {
    const svg = renderSvgPlot({ title: 't', xLabel: 'τ', yLabel: 'fraction', yScale: 'linear', xDomain: [1, 4], lines: [{ label: 'A', color: '#000', dash: '', points: [{ x: 1, y: 0.13 }, { x: 4, y: 0.91 }] }] });
    // y: 0.13 … 0.91 → step 0.2 (≥ 0.78 / 5), widened to 0 … 1; x: 1 … 4 → step 1 (≥ 3 / 5), not widened.
    expect(tickLabels(svg)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1', '1', '2', '3', '4']);
  });

  it('break a line at non-finite points, draw a legend and escape its text', () => {
    const points = [{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: NaN }, { x: 3, y: 1 }, { x: 4, y: 2 }];
    const svg = renderSvgPlot({ title: 'a <b>', xLabel: 'x', yLabel: 'y', lines: [{ label: '<i>SGD</i>', color: '#123456', dash: '2 3', points }] });
    expect(svg.match(/<path class="series"/g)).toHaveLength(2);
    expect(svg).toContain('<text class="legend" x="94" y="334" dominant-baseline="middle">&#60;i&#62;SGD&#60;/i&#62;</text>');
    expect(svg).toContain('<title>a &#60;b&#62;</title>');
    expect(svg).not.toContain('<b>');
  });
});
