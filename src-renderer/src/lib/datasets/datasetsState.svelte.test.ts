import { describe, expect, test } from 'vitest';
import { LabError } from '$api/labErrors';
import { FakeLabClient, makeDataset } from '../lab/fakeLabClient.testkit';
import { DatasetsState } from './datasetsState.svelte';

const ascii = (text: string): ArrayBuffer => new Uint8Array([...text].map((c) => c.charCodeAt(0))).buffer as ArrayBuffer;

describe('adding from a path', () => {
  test('an error from the lab is shown next to the file field and nothing is added', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    await state.refresh();
    client.fail('addDataset', new LabError('invalid-input', "addDataset: /data/x.idx: expected an IDX file (magic 0x0803), got 0x0000"));
    state.path = '/data/x.idx';
    await state.addFromPath();
    expect(state.fileError).toBe('addDataset: /data/x.idx: expected an IDX file (magic 0x0803), got 0x0000');
    expect(state.fileErrorSource).toBe('path');
    expect(state.datasets.map((d) => d.name)).toEqual(['mnist']);
    // The path stays, so the user can fix it.
    expect(state.path).toBe('/data/x.idx');
  });

  test('success refreshes the list, selects the new dataset and clears the form', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    await state.refresh();
    state.path = ' /data/fashion ';
    state.name = 'fashion';
    await state.addFromPath();
    expect(client.callsOf('addDataset')).toEqual([{ path: '/data/fashion', name: 'fashion' }]);
    expect(state.fileError).toBe('');
    expect(state.datasets.map((d) => d.name)).toEqual(['mnist', 'fashion']);
    expect(client.callsOf('listDatasets')).toHaveLength(2);
    expect(state.selected?.name).toBe('fashion');
    expect(state.path).toBe('');
    expect(state.name).toBe('');
  });

  test('an empty path is refused without a call', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    state.path = '   ';
    await state.addFromPath();
    expect(state.fileError).toMatch(/^path: /);
    expect(client.callsOf('addDataset')).toEqual([]);
  });
});

describe('uploading', () => {
  test('sends each file as base64 with the CSV target', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    state.target = 'label';
    await state.upload([{ name: 'iris.csv', arrayBuffer: async () => ascii('a,label\n1,x\n') }]);
    expect(client.callsOf('uploadDataset')).toEqual([{ files: [{ fileName: 'iris.csv', base64: 'YSxsYWJlbAoxLHgK' }], target: 'label' }]);
    expect(state.datasets.map((d) => d.name)).toEqual(['mnist', 'iris.csv']);
    expect(state.notice).toBe('Added “iris.csv”.');
  });

  test('an upload error is shown in words', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    client.fail('uploadDataset', new LabError('invalid-input', 'uploadDataset: iris.csv: target column "label" not found; columns are a, b'));
    await state.upload([{ name: 'iris.csv', arrayBuffer: async () => ascii('a,b\n') }]);
    expect(state.fileError).toBe('uploadDataset: iris.csv: target column "label" not found; columns are a, b');
    expect(state.fileErrorSource).toBe('upload');
    expect(state.busy).toBe(false);
  });

  test('too many files are refused before reading them', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    const file = { name: 'f', arrayBuffer: async () => ascii('') };
    await state.upload(Array.from({ length: 17 }, () => file));
    expect(state.fileError).toBe('upload: at most 16 files at once, got 17');
    expect(client.callsOf('uploadDataset')).toEqual([]);
  });
});

describe('preview and removal', () => {
  test('selecting a dataset loads its preview', async () => {
    const client = new FakeLabClient();
    client.previews.set(1, { kind: 'images', height: 1, width: 1, channels: 1, samples: [{ label: '7', pixels: [255] }] });
    const state = new DatasetsState(client);
    await state.select(1);
    expect(client.callsOf('previewDataset')).toEqual([{ id: 1, count: 24 }]);
    expect(state.preview).toEqual({ kind: 'images', height: 1, width: 1, channels: 1, samples: [{ label: '7', pixels: [255] }] });
  });

  test('removal refused by the lab shows the reason on that row', async () => {
    const client = new FakeLabClient();
    client.datasets.push(makeDataset({ id: 2, name: 'mine', origin: 'path' }));
    const state = new DatasetsState(client);
    await state.refresh();
    client.fail('removeDataset', new LabError('conflict', 'removeDataset: runs 4, 5 still use dataset "mine"'));
    await state.remove(2);
    expect(state.removeErrors).toEqual({ 2: 'removeDataset: runs 4, 5 still use dataset "mine"' });
    expect(state.datasets).toHaveLength(2);
  });

  test('removal refreshes the list and drops the selection', async () => {
    const client = new FakeLabClient();
    client.datasets.push(makeDataset({ id: 2, name: 'mine', origin: 'path' }));
    client.previews.set(2, { kind: 'table', columns: ['a'], rows: [[1]] });
    const state = new DatasetsState(client);
    await state.refresh();
    await state.select(2);
    await state.remove(2);
    expect(state.datasets.map((d) => d.id)).toEqual([1]);
    expect(state.selectedId).toBeNull();
    expect(state.preview).toBeNull();
  });

  test('attaching shows the first dataset', async () => {
    const client = new FakeLabClient();
    client.previews.set(1, { kind: 'images', height: 1, width: 1, channels: 1, samples: [{ label: '3', pixels: [9] }] });
    const state = new DatasetsState(client);
    const stop = state.attach();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.selected?.name).toBe('mnist');
    expect(state.preview).toEqual({ kind: 'images', height: 1, width: 1, channels: 1, samples: [{ label: '3', pixels: [9] }] });
    stop();
  });

  test('a datasets-changed event refreshes the list', async () => {
    const client = new FakeLabClient();
    const state = new DatasetsState(client);
    const stop = state.attach();
    await Promise.resolve();
    client.datasets.push(makeDataset({ id: 9, name: 'cifar' }));
    client.emit({ type: 'datasets-changed' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.datasets.map((d) => d.name)).toEqual(['mnist', 'cifar']);
    stop();
  });
});
