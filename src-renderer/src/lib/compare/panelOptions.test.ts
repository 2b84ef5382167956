import { expect, test } from 'vitest';
import type { PanelSpec } from './comparePanels';
import { panelOptionsFor } from './panelOptions';

const spec = (id: string): PanelSpec => ({ id, title: id, source: { kind: 'step', series: id } });

test('smoothing is on by default for training loss and accuracy only; log y follows the toolbar', () => {
  expect(panelOptionsFor(spec('loss'), undefined, false)).toEqual({ smooth: true, logY: false });
  expect(panelOptionsFor(spec('accuracy'), undefined, true)).toEqual({ smooth: true, logY: true });
  expect(panelOptionsFor(spec('lambda'), undefined, false)).toEqual({ smooth: false, logY: false });
});

test('a panel’s own choices win over the defaults', () => {
  const overrides = new Map([['lambda', { smooth: true }], ['loss', { logY: true, smooth: false }]]);
  expect(panelOptionsFor(spec('lambda'), overrides, false)).toEqual({ smooth: true, logY: false });
  expect(panelOptionsFor(spec('loss'), overrides, false)).toEqual({ smooth: false, logY: true });
});
