import { expect, test } from 'vitest';
import type { PresetInfo } from '$api/labApi';
import { architectureFields, defaultPresetValues } from './architectureChoice';

const mlp: PresetInfo = {
  name: 'mlp',
  description: 'a multilayer perceptron',
  options: [
    { name: 'widths', description: 'hidden widths', default: '128' },
    { name: 'activation', description: 'relu, tanh, sigmoid', default: 'relu' },
  ],
};

test('a preset with its defaults is just its name', () => {
  expect(defaultPresetValues(mlp)).toEqual({ widths: '128', activation: 'relu' });
  expect(architectureFields({ kind: 'preset', preset: mlp, values: { widths: '128', activation: 'relu' } })).toEqual({ ok: true, value: { arch: 'mlp' } });
});

test('changed preset options are sent, trimmed; emptied ones fall back to the default', () => {
  expect(architectureFields({ kind: 'preset', preset: mlp, values: { widths: ' 256,128 ', activation: '' } })).toEqual({
    ok: true,
    value: { arch: 'mlp', archOptions: { widths: '256,128' } },
  });
});

test('no preset chosen', () => {
  expect(architectureFields({ kind: 'preset', preset: null, values: {} })).toEqual({ ok: false, error: 'architecture: choose a preset' });
});

test('a JSON spec is parsed', () => {
  expect(architectureFields({ kind: 'json', text: '{"layers": [{"type": "dense", "units": 10}]}' })).toEqual({
    ok: true,
    value: { arch: { layers: [{ type: 'dense', units: 10 }] } },
  });
});

test('bad JSON is reported in words, with the parser message', () => {
  const result = architectureFields({ kind: 'json', text: '{"layers": [' });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error).toMatch(/^spec JSON: \S/);
  expect(architectureFields({ kind: 'json', text: '[1, 2]' })).toEqual({
    ok: false,
    error: 'spec JSON: expected an object with a "layers" array (and optionally "inputShape")',
  });
  expect(architectureFields({ kind: 'json', text: '  ' })).toMatchObject({ ok: false });
});
