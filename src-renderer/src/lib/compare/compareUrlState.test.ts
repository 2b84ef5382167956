import { describe, expect, test } from 'vitest';
import { parseGroupBy, type GroupBy } from './runGrouping';
import { applyCompareView, compareViewOf, defaultCompareView, formatCompareView, parseCompareView, type CompareView, type CompareViewHost } from './compareUrlState';

const view = (changes: Partial<CompareView>): CompareView => ({ ...defaultCompareView, ...changes });

describe('formatCompareView and parseCompareView', () => {
  test('the defaults write nothing, and nothing reads as the defaults', () => {
    expect(formatCompareView(defaultCompareView)).toBe('');
    expect(parseCompareView('')).toEqual(defaultCompareView);
  });

  test('every setting written by hand reads back', () => {
    const query = 'x=epoch&smooth=0.25&log=1&group=option%3Alr&band=0&spread=sd&hide=optimizer%3Asgd&hide=run%3A3';
    const expected = view({ xAxis: 'epoch', smoothing: 0.25, logY: true, groupBy: 'option:lr', showBand: false, band: 'sd', hidden: ['optimizer:sgd', 'run:3'] });
    expect(parseCompareView(query)).toEqual(expected);
    expect(formatCompareView(expected)).toBe(query);
  });

  test.each([
    view({ xAxis: 'seconds' }),
    view({ smoothing: 0 }),
    view({ smoothing: 0.99, logY: true }),
    view({ groupBy: 'optimizer', hidden: ['a,b&c=d', 'é ü'] }),
    view({ groupBy: 'config', showBand: false }),
    view({ band: 'ci95' }),
    view({ panels: { loss: { logY: true, smooth: false }, 'val:loss': { unlinked: true }, rho: { logY: false, unlinked: true } } }),
    view({ zoom: { min: 120.5, max: 1e4 }, panels: { rho: { unlinked: true, zoom: { min: -2.5, max: 3e-5 } } } }),
  ])('round trip: %j', (v) => {
    expect(parseCompareView(formatCompareView(v))).toEqual(v);
  });

  test('a panel\'s settings read from hand-written flags; unknown flags and a panel without an id are dropped', () => {
    expect(parseCompareView('panel=loss%3Alog%2Craw&panel=rho%3Aunlinked%2Cbogus&panel=%3Alog&panel=beta%3Awhat')).toEqual(
      view({ panels: { loss: { logY: true, smooth: false }, rho: { unlinked: true } } }),
    );
    expect(formatCompareView(view({ panels: { loss: { logY: true, smooth: false }, rho: { unlinked: true } } }))).toBe('panel=loss%3Alog%2Craw&panel=rho%3Aunlinked');
  });

  test('zoom ranges read from `<min>_<max>`, for the linked panels and as an unlinked panel\'s flag', () => {
    expect(parseCompareView('zoom=100_250.5&panel=rho%3Aunlinked%2C0_40')).toEqual(view({ zoom: { min: 100, max: 250.5 }, panels: { rho: { unlinked: true, zoom: { min: 0, max: 40 } } } }));
    expect(formatCompareView(view({ zoom: { min: 100, max: 250.5 } }))).toBe('zoom=100_250.5');
    // Empty, reversed, non-numeric or infinite ranges are ignored.
    for (const bad of ['zoom=5_5', 'zoom=9_3', 'zoom=a_b', 'zoom=1_Infinity', 'zoom=1_', 'zoom=_'])
      expect(parseCompareView(bad)).toEqual(defaultCompareView);
  });

  test('unknown parameters and malformed values are ignored, the rest kept', () => {
    expect(parseCompareView('?runs=1,2&zoom=3&x=furlongs&smooth=-1&log=yes&group=bogus&band=2&spread=iqr&hide=&hide=k&x2=epoch')).toEqual(view({ hidden: ['k'] }));
    expect(parseCompareView('smooth=1e5&log=0&x=passes')).toEqual(view({ xAxis: 'passes' }));
    expect(parseCompareView('smooth=NaN')).toEqual(defaultCompareView);
    expect(parseCompareView('%%%&x=epoch')).toEqual(view({ xAxis: 'epoch' }));
  });
});

describe('compareViewOf and applyCompareView', () => {
  function host(): CompareViewHost & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      xAxis: 'step',
      smoothing: 0.6,
      logY: false,
      groupBy: { kind: 'none' } as GroupBy,
      showBand: true,
      band: 'minmax',
      hidden: new Set<string>(['stale']),
      chartView: { panelOptions: new Map(), unlinked: new Set<string>(), linkedZoom: null, ownZooms: new Map() },
      setSmoothing(weight) {
        calls.push(`smoothing ${weight}`);
        this.smoothing = weight;
      },
      setGroupBy(value) {
        calls.push(`group ${value}`);
        this.groupBy = parseGroupBy(value)!;
        this.hidden = new Set();
      },
    };
  }

  test('applies the grouping first, so the hidden entries it asks for stay hidden', () => {
    const state = host();
    applyCompareView(state, view({ groupBy: 'optimizer', hidden: ['optimizer:adam'], xAxis: 'epoch', smoothing: 0.123456 }));
    expect(state.calls).toEqual(['group optimizer', 'smoothing 0.123456']);
    expect(compareViewOf(state)).toEqual(view({ groupBy: 'optimizer', hidden: ['optimizer:adam'], xAxis: 'epoch', smoothing: 0.12 }));
  });

  test('carries each panel\'s own settings and unlinked zoom both ways', () => {
    const state = host();
    applyCompareView(state, { panels: { loss: { logY: true, unlinked: true }, rho: { smooth: true } } });
    expect([...state.chartView.panelOptions]).toEqual([
      ['loss', { logY: true }],
      ['rho', { smooth: true }],
    ]);
    expect([...state.chartView.unlinked]).toEqual(['loss']);
    expect(compareViewOf(state).panels).toEqual({ loss: { logY: true, unlinked: true }, rho: { smooth: true } });
  });

  test('carries the linked zoom and an unlinked panel\'s own zoom both ways, to six significant digits', () => {
    const state = host();
    applyCompareView(state, { zoom: { min: 10, max: 20 }, panels: { loss: { unlinked: true, zoom: { min: 1, max: 2 } }, rho: { zoom: { min: 3, max: 4 } } } });
    expect(state.chartView.linkedZoom).toEqual({ min: 10, max: 20 });
    // Only an unlinked panel has a zoom of its own; the zoom is no panel option.
    expect([...state.chartView.ownZooms]).toEqual([['loss', { min: 1, max: 2 }]]);
    expect([...state.chartView.panelOptions]).toEqual([]);
    state.chartView.linkedZoom = { min: 1 / 3, max: 123456.789 };
    expect(compareViewOf(state).zoom).toEqual({ min: 0.333333, max: 123457 });
  });

  test('the same grouping again is not set again (which would show hidden entries)', () => {
    const state = host();
    applyCompareView(state, { groupBy: 'none' });
    expect(state.calls).toEqual([]);
    expect([...state.hidden]).toEqual(['stale']);
  });
});
