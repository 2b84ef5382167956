import { expect, test } from 'vitest';
import { placeStudyIssues } from './placeStudyIssues';

test("each issue goes to the field its path starts with; a spec issue keeps where in the spec it is", () => {
  const placed = placeStudyIssues([
    { field: 'spec.optimizers.1.options.lr', message: 'sgd: option "lr" must be ≥ 0, got -1' },
    { field: 'spec.seeds', message: 'seeds: expected at least one' },
    { field: 'spec', message: 'spec: expected an object' },
    { field: 'count', message: 'count: expected 1 to 200, got 500' },
    { field: 'target', message: 'target: no column "y"' },
    { field: 'dataset', message: 'dataset: no such folder' },
    { field: 'scale', message: 'scale: expected tiny, small or paper' },
    { field: 'builtIn', message: 'builtIn: no built-in study "x"' },
    { field: '', message: 'the lab is shutting down' },
    { field: 'experimentId', message: 'something else' },
  ]);
  expect(placed).toEqual({
    byField: {
      spec: [
        { where: 'optimizers.1.options.lr', message: 'sgd: option "lr" must be ≥ 0, got -1' },
        { where: 'seeds', message: 'seeds: expected at least one' },
        { where: '', message: 'spec: expected an object' },
      ],
      count: [{ where: '', message: 'count: expected 1 to 200, got 500' }],
      dataset: [
        { where: '', message: 'target: no column "y"' },
        { where: '', message: 'dataset: no such folder' },
      ],
      scale: [{ where: '', message: 'scale: expected tiny, small or paper' }],
      builtIn: [{ where: '', message: 'builtIn: no built-in study "x"' }],
    },
    general: [
      { where: '', message: 'the lab is shutting down' },
      { where: 'experimentId', message: 'something else' },
    ],
  });
});

test('a path that only looks like a field name (an inherited property) is general', () => {
  expect(placeStudyIssues([{ field: 'constructor', message: 'odd' }])).toEqual({ byField: {}, general: [{ where: 'constructor', message: 'odd' }] });
});
