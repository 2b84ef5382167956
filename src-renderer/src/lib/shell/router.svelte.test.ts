import { expect, test } from 'vitest';
import { Router } from './router.svelte';

test('starts on the screen in the hash, so a reload keeps it', () => {
  const router = new Router({ hash: '#/datasets' });
  expect(router.route).toEqual({ screen: 'datasets', runIds: [] });
});

test('go writes the hash and the route', () => {
  const host = { hash: '' };
  const router = new Router(host);
  router.go('compare', [4, 8]);
  expect(host.hash).toBe('#/compare?runs=4,8');
  expect(router.route).toEqual({ screen: 'compare', runIds: [4, 8] });
});

test('sync follows a hash the user changed (back button, typed URL)', () => {
  const host = { hash: '#/runs' };
  const router = new Router(host);
  host.hash = '#/playground';
  router.sync();
  expect(router.route.screen).toBe('playground');
});
