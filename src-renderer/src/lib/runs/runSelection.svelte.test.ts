import { expect, test } from 'vitest';
import { RunSelection } from './runSelection.svelte';

test('toggling keeps the order of ticking', () => {
  const selection = new RunSelection();
  selection.toggle(5);
  selection.toggle(2);
  selection.toggle(9);
  selection.toggle(2);
  expect(selection.ids).toEqual([5, 9]);
  selection.toggle(5, true);
  expect(selection.ids).toEqual([5, 9]);
  selection.toggle(7, false);
  expect(selection.ids).toEqual([5, 9]);
});

test("one click selects all of an experiment's runs; a second unselects them", () => {
  const selection = new RunSelection();
  selection.toggle(3);
  selection.toggleAll([1, 2, 3]);
  expect(selection.ids).toEqual([3, 1, 2]);
  expect(selection.hasAll([1, 2, 3])).toBe(true);
  selection.toggleAll([1, 2, 3]);
  expect(selection.ids).toEqual([]);
  expect(selection.hasAll([])).toBe(false);
});

test('deleted runs leave the selection', () => {
  const selection = new RunSelection();
  selection.toggleAll([1, 2, 3]);
  selection.keepOnly(new Set([1, 3, 8]));
  expect(selection.ids).toEqual([1, 3]);
});
