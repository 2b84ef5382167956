import { expect, test } from 'vitest';
import { compareCsv } from './compareCsv';
import type { PanelModel } from './panelModels';

test('one column per plotted dataset of every panel, headed with panel id and curve label', () => {
  const panels: PanelModel[] = [
    {
      id: 'loss',
      title: 'Training loss',
      source: { kind: 'step', series: 'loss' },
      smoothed: true,
      datasets: [
        { id: 'run:1|raw', entryKey: 'run:1', label: '#1 sgd lr=0.1 seed 0 (raw)', color: 'red', role: 'raw', points: [{ x: 0, y: 2 }, { x: 1, y: 1 }] },
        { id: 'run:1|line', entryKey: 'run:1', label: '#1 sgd lr=0.1 seed 0', color: 'red', role: 'line', points: [{ x: 0, y: 2 }, { x: 1, y: 1.5 }] },
      ],
    },
    {
      id: 'val_loss',
      title: 'Validation loss',
      source: { kind: 'epoch', field: 'valLoss' },
      smoothed: false,
      datasets: [{ id: 'run:1|line', entryKey: 'run:1', label: '#1 sgd lr=0.1 seed 0', color: 'red', role: 'line', points: [{ x: 2, y: 0.75 }] }],
    },
  ];
  expect(compareCsv(panels, 'step', 0.6)).toBe(
    'step,loss: #1 sgd lr=0.1 seed 0 (raw),loss: #1 sgd lr=0.1 seed 0 (smoothed 0.6),val_loss: #1 sgd lr=0.1 seed 0\r\n' +
      '0,2,2,\r\n' +
      '1,1,1.5,\r\n' +
      '2,,,0.75\r\n',
  );
});
