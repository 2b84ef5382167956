import { describe, expect, test } from 'vitest';
import { ChartViewState } from './chartView.svelte';

describe('ChartViewState', () => {
  test('linked panels share one zoom; an unlinked panel keeps its own', () => {
    const view = new ChartViewState();
    view.setZoom('loss', { min: 10, max: 20 });
    expect(view.zoomOf('loss')).toEqual({ min: 10, max: 20 });
    expect(view.zoomOf('rho')).toEqual({ min: 10, max: 20 });

    view.setLinked('rho', false);
    // It keeps showing what it showed, then moves on its own.
    expect(view.zoomOf('rho')).toEqual({ min: 10, max: 20 });
    view.setZoom('rho', { min: 0, max: 5 });
    expect(view.zoomOf('rho')).toEqual({ min: 0, max: 5 });
    expect(view.zoomOf('loss')).toEqual({ min: 10, max: 20 });
    view.setZoom('loss', null);
    expect(view.zoomOf('rho')).toEqual({ min: 0, max: 5 });

    view.setLinked('rho', true);
    expect(view.zoomOf('rho')).toBeNull();
  });

  test('every zoom change is reported (the hook a range loader uses)', () => {
    const view = new ChartViewState();
    const seen: unknown[] = [];
    view.onZoomChange = (panelId, range) => seen.push([panelId, range]);
    view.setZoom('loss', { min: 1, max: 2 });
    view.setZoom('loss', null);
    expect(seen).toEqual([
      ['loss', { min: 1, max: 2 }],
      ['loss', null],
    ]);
  });

  test('panel options merge per key', () => {
    const view = new ChartViewState();
    view.setPanelOption('lambda', 'smooth', true);
    view.setPanelOption('lambda', 'logY', true);
    expect(view.panelOptions.get('lambda')).toEqual({ smooth: true, logY: true });
  });

  test('resetZoom zooms everything out', () => {
    const view = new ChartViewState();
    view.setZoom('loss', { min: 1, max: 2 });
    view.setLinked('rho', false);
    view.setZoom('rho', { min: 3, max: 4 });
    view.resetZoom();
    expect([view.zoomOf('loss'), view.zoomOf('rho')]).toEqual([null, null]);
  });
});
