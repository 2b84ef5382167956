import { expect, test } from 'vitest';
import { layerPlace } from './layerPlace';

test('numbers layers from 1, nested ones after their block', () => {
  expect(layerPlace('layers[0]')).toBe('layer 1');
  expect(layerPlace('layers[11]')).toBe('layer 12');
  expect(layerPlace('layers[3].layers[1]')).toBe('layer 4 › layer 2');
  expect(layerPlace('layers[3].shortcut[0]')).toBe('layer 4 › shortcut layer 1');
  expect(layerPlace('layers[0].layers[2].shortcut[1]')).toBe('layer 1 › layer 3 › shortcut layer 2');
});
