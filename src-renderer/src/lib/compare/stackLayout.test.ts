import { expect, test } from 'vitest';
import { stackLayout } from './stackLayout';

test('panels stacked under their titles, padded around and between', () => {
  // Padding 10, titles 20: first title at 10, image at 30 (height 100) → next title at 140, image at 160 (height 50) → end 220.
  expect(
    stackLayout(
      [
        { width: 300, height: 100 },
        { width: 280, height: 50 },
      ],
      20,
      10,
    ),
  ).toEqual({
    width: 320,
    height: 220,
    slots: [
      { titleY: 10, imageY: 30 },
      { titleY: 140, imageY: 160 },
    ],
  });
});

test('nothing to stack: an empty layout', () => {
  expect(stackLayout([], 20, 10)).toEqual({ width: 20, height: 0, slots: [] });
});

test('a header (the legend) pushes every panel down', () => {
  // Padding 10, header 30: title at 40, image at 60 (height 100), end 170.
  expect(stackLayout([{ width: 300, height: 100 }], 20, 10, 30)).toEqual({ width: 320, height: 170, slots: [{ titleY: 40, imageY: 60 }] });
});
