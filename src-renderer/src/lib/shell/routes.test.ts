import { describe, expect, test } from 'vitest';
import { formatRoute, parseRoute, parseRouteView, screens } from './routes';

describe('parseRoute', () => {
  test('reads each screen from its hash', () => {
    expect(parseRoute('#/runs')).toEqual({ screen: 'runs', runIds: [] });
    expect(parseRoute('#/new-run')).toEqual({ screen: 'new-run', runIds: [] });
    expect(parseRoute('#/datasets')).toEqual({ screen: 'datasets', runIds: [] });
    expect(parseRoute('#/playground')).toEqual({ screen: 'playground', runIds: [] });
    expect(parseRoute('#/compare')).toEqual({ screen: 'compare', runIds: [] });
  });

  test('the Studies screen has its own hash, and is listed after New run', () => {
    expect(parseRoute('#/studies')).toEqual({ screen: 'studies', runIds: [] });
    expect(formatRoute({ screen: 'studies', runIds: [] })).toBe('#/studies');
    expect(screens.map((s) => s.id)).toEqual(['runs', 'new-run', 'studies', 'datasets', 'compare', 'playground']);
  });

  test('the compare screen carries its run ids, dropping junk and repeats', () => {
    expect(parseRoute('#/compare?runs=3,4,7')).toEqual({ screen: 'compare', runIds: [3, 4, 7] });
    expect(parseRoute('#/compare?runs=3,x,-1,0,3,2.5, 9')).toEqual({ screen: 'compare', runIds: [3, 9] });
  });

  test('an empty or unknown hash is the Runs screen', () => {
    expect(parseRoute('')).toEqual({ screen: 'runs', runIds: [] });
    expect(parseRoute('#')).toEqual({ screen: 'runs', runIds: [] });
    expect(parseRoute('#/settings')).toEqual({ screen: 'runs', runIds: [] });
  });

  test('only the compare screen keeps run ids', () => {
    expect(parseRoute('#/runs?runs=1,2')).toEqual({ screen: 'runs', runIds: [] });
  });
});

describe('formatRoute', () => {
  test('writes the hashes parseRoute reads', () => {
    expect(formatRoute({ screen: 'datasets', runIds: [] })).toBe('#/datasets');
    expect(formatRoute({ screen: 'compare', runIds: [5, 2] })).toBe('#/compare?runs=5,2');
    expect(formatRoute({ screen: 'compare', runIds: [] })).toBe('#/compare');
  });
});

describe('the Compare view settings in the hash', () => {
  test('read without the runs, only on the Compare screen', () => {
    expect(parseRouteView('#/compare?runs=1,2&x=epoch&hide=a%2Cb')).toBe('x=epoch&hide=a%2Cb');
    expect(parseRouteView('#/runs?x=epoch')).toBe('');
    expect(parseRouteView('')).toBe('');
  });
  test('written after the runs; the route still reads the runs', () => {
    const hash = formatRoute({ screen: 'compare', runIds: [3, 5] }, 'x=epoch&log=1');
    expect(hash).toBe('#/compare?runs=3,5&x=epoch&log=1');
    expect(parseRoute(hash)).toEqual({ screen: 'compare', runIds: [3, 5] });
    expect(parseRouteView(hash)).toBe('x=epoch&log=1');
  });
});
