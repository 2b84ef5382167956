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

test('the Compare view settings ride in the hash after the runs, replaced in place', () => {
  const host = { hash: '#/compare?runs=4,8&x=epoch&group=optimizer' };
  const replaced: string[] = [];
  const router = new Router(host, (hash) => {
    replaced.push(hash);
    host.hash = hash;
  });
  expect(router.route).toEqual({ screen: 'compare', runIds: [4, 8] });
  expect(router.view).toBe('x=epoch&group=optimizer');
  router.replaceView('smooth=0.3');
  expect(replaced).toEqual(['#/compare?runs=4,8&smooth=0.3']);
  router.replaceView('smooth=0.3');
  expect(replaced).toHaveLength(1);
  router.go('runs');
  router.replaceView('x=epoch'); // not on the Compare screen: nothing to write
  expect(host.hash).toBe('#/runs');
  expect(replaced).toHaveLength(1);
});
