import { describe, expect, test } from 'vitest';
import { entryRunCounts, runCountsText } from './groupCounts';
import type { PanelModel, PlotDataset } from './panelModels';

const line = (entryKey: string, counts?: PlotDataset['counts']): PlotDataset => ({ id: `${entryKey}|line`, entryKey, label: entryKey, color: '#000000', role: 'line', points: [], counts });

describe('run counts in the legend', () => {
  test('each group\'s counts from the first panel that draws it', () => {
    const panel = (id: string, datasets: PlotDataset[]): PanelModel => ({ id, title: id, source: { kind: 'step', series: id }, smoothed: false, datasets });
    const counts = entryRunCounts([
      panel('loss', [line('a', [{ x: 0, count: 2 }]), line('run:1')]),
      panel('rho', [line('a', [{ x: 0, count: 1 }]), line('b', [{ x: 5, count: 3 }])]),
    ]);
    expect([...counts]).toEqual([
      ['a', [{ x: 0, count: 2 }]],
      ['b', [{ x: 5, count: 3 }]],
    ]);
  });

  test('n at the start, then every change with its x', () => {
    expect(runCountsText([{ x: 0, count: 3 }], 'Step')).toBe('n=3');
    expect(
      runCountsText(
        [
          { x: 0, count: 3 },
          { x: 150, count: 2 },
          { x: 1250, count: 1 },
        ],
        'Step',
      ),
    ).toBe('n=3, 2 from step 150, 1 from step 1250');
    expect(runCountsText([], 'Step')).toBe('');
  });
});
