import { expect, test } from 'vitest';
import { timelineMark } from './timelineMark';

test('keeps one entry per name: the latest mark, and the latest measure from its start', () => {
  const start = performance.now();
  timelineMark('test: draw');
  timelineMark('test: draw');
  timelineMark('test: span', start);
  timelineMark('test: span', start);
  expect(performance.getEntriesByName('test: draw', 'mark')).toHaveLength(1);
  const spans = performance.getEntriesByName('test: span', 'measure');
  expect(spans).toHaveLength(1);
  expect(spans[0]!.startTime).toBe(start);
});
