import { ModelSpecError } from '../errors';
import { layerPlace } from './layerPlace';
import type { LayerType, ModelSpec } from '../../shared/modelSpec';

/**
 * Checks that a value (typically parsed JSON) is a well-formed ModelSpec: every field has the right type
 * and range, no field is unknown (so typos are caught), and explicit layer names are unique. An error's
 * message names the layer as a person counts it and the field (`layer 3 (conv2d): kernelSize: expected
 * …`), its `field` the path of the offending value (`layers[2].kernelSize`). Shape compatibility between
 * layers is checked when the model is built (Model.fromSpec). Returns a copy typed as a ModelSpec.
 */
export function validateModelSpec(json: unknown): ModelSpec {
  if (!isRecord(json)) throw new ModelSpecError(`the model spec must be an object with inputShape and layers, got ${describeValue(json)}`);
  rejectUnknownFields(json, undefined, ['inputShape', 'layers']);
  checkInputShape(json.inputShape);
  if (!('layers' in json)) throw new ModelSpecError('layers: missing; expected a non-empty array of layer specs', 'layers');
  const names = new Map<string, string>();
  checkLayerList(json.layers, placeOf('layers'), names);
  return structuredClone(json) as unknown as ModelSpec;
}

export const layerTypes: readonly LayerType[] = [
  'dense',
  'conv2d',
  'relu',
  'tanh',
  'sigmoid',
  'maxPool',
  'avgPool',
  'batchNorm',
  'dropout',
  'flatten',
  'globalAvgPool',
  'lrn',
  'residual',
];

/**
 * Where a value sits in the spec: `path` for the error's field (`layers[2].kernelSize`), `text` for its
 * message, counting layers as a person does (`layer 3 (conv2d): kernelSize`).
 */
interface Place {
  path: string;
  text: string;
}

type Check = (value: unknown, at: Place, names: Map<string, string>) => void;

interface FieldRule {
  required: boolean;
  check: Check;
}

const POSITIVE_INTEGER = 'a positive integer';
const PAIR = 'a positive integer or [height, width] of positive integers';

const positiveInteger: Check = (v, at) => {
  if (!isPositiveInteger(v)) throw fieldError(at, POSITIVE_INTEGER, v);
};
const nonNegativeInteger: Check = (v, at) => {
  if (!(v === 0 || isPositiveInteger(v))) throw fieldError(at, 'a non-negative integer', v);
};
const pair: Check = (v, at) => {
  const ok = isPositiveInteger(v) || (Array.isArray(v) && v.length === 2 && v.every(isPositiveInteger));
  if (!ok) throw fieldError(at, PAIR, v);
};
const padding: Check = (v, at) => {
  if (v !== 'same' && v !== 'valid') throw fieldError(at, `'same' or 'valid'`, v);
};
const boolean: Check = (v, at) => {
  if (typeof v !== 'boolean') throw fieldError(at, 'true or false', v);
};
const kernelInit: Check = (v, at) => {
  if (v !== 'glorotUniform' && v !== 'heNormal') throw fieldError(at, `'glorotUniform' or 'heNormal'`, v);
};
const fraction: Check = (v, at) => {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw fieldError(at, 'a number in [0, 1)', v);
};
const positiveNumber: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw fieldError(at, 'a positive number', v);
};
const layerName: Check = (v, at, names) => {
  // '/' separates the layer name from the parameter name in "<layer>/<param>".
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(v)) {
    throw fieldError(at, 'a non-empty name of letters, digits, "_", "-" or "."', v);
  }
  const earlier = names.get(v);
  if (earlier !== undefined) throw new ModelSpecError(`${at.text}: the name "${v}" is already used by ${earlier}; layer names must be unique`, at.path);
  names.set(v, layerPlace(at.path));
};
const layerList: Check = (v, at, names) => checkLayerList(v, at, names);

const required = (check: Check): FieldRule => ({ required: true, check });
const optional = (check: Check): FieldRule => ({ required: false, check });

const fieldRules: Record<LayerType, Record<string, FieldRule>> = {
  dense: { units: required(positiveInteger), useBias: optional(boolean), kernelInit: optional(kernelInit) },
  conv2d: {
    filters: required(positiveInteger),
    kernelSize: required(pair),
    strides: optional(pair),
    padding: optional(padding),
    useBias: optional(boolean),
    kernelInit: optional(kernelInit),
  },
  relu: {},
  tanh: {},
  sigmoid: {},
  maxPool: { poolSize: required(pair), strides: optional(pair), padding: optional(padding) },
  avgPool: { poolSize: required(pair), strides: optional(pair), padding: optional(padding) },
  batchNorm: { momentum: optional(fraction), epsilon: optional(positiveNumber) },
  dropout: { rate: required(fraction) },
  flatten: {},
  globalAvgPool: {},
  lrn: { depthRadius: optional(nonNegativeInteger), bias: optional(positiveNumber), alpha: optional(positiveNumber), beta: optional(positiveNumber) },
  residual: { layers: required(layerList), shortcut: optional(layerList) },
};

/** A field of the spec itself (`inputShape`, `layers`), or of the layer at `layer`. */
function placeOf(field: string, layer?: Place): Place {
  return layer === undefined ? { path: field, text: field } : { path: `${layer.path}.${field}`, text: `${layer.text}: ${field}` };
}

function checkInputShape(v: unknown): void {
  if (v === undefined) throw new ModelSpecError('inputShape: missing; expected [features] or [height, width, channels]', 'inputShape');
  if (!Array.isArray(v) || v.length === 0 || !v.every(isPositiveInteger)) {
    throw fieldError(placeOf('inputShape'), 'a non-empty array of positive integers, e.g. [784] or [28, 28, 1]', v);
  }
}

/** Residual blocks nest at most this deep: every pass over a network (checking, building, training) recurses into them. */
export const MAX_RESIDUAL_NESTING = 32;

function checkLayerList(v: unknown, at: Place, names: Map<string, string>): void {
  if (!Array.isArray(v) || v.length === 0) throw fieldError(at, 'a non-empty array of layer specs', v);
  // A list inside k residual blocks has k indices in its path (`layers[3].layers`).
  const nesting = at.path.split('[').length - 1;
  if (nesting > MAX_RESIDUAL_NESTING) {
    throw new ModelSpecError(`${at.text}: residual blocks nested ${nesting} deep; at most ${MAX_RESIDUAL_NESTING}`, at.path);
  }
  v.forEach((layer, i) => checkLayer(layer, `${at.path}[${i}]`, names));
}

function checkLayer(v: unknown, path: string, names: Map<string, string>): void {
  const untyped: Place = { path, text: layerPlace(path) };
  if (!isRecord(v)) throw fieldError(untyped, 'a layer spec object with a "type"', v);
  const type = v.type;
  if (typeof type !== 'string' || !(layerTypes as readonly string[]).includes(type)) {
    throw fieldError(placeOf('type', untyped), `one of ${layerTypes.join(', ')}`, type);
  }
  const layer: Place = { path, text: `${untyped.text} (${type})` };
  const rules = fieldRules[type as LayerType];
  rejectUnknownFields(v, layer, ['type', 'name', ...Object.keys(rules)]);
  if (v.name !== undefined) layerName(v.name, placeOf('name', layer), names);
  for (const [field, rule] of Object.entries(rules)) {
    const at = placeOf(field, layer);
    if (v[field] === undefined) {
      if (rule.required) throw new ModelSpecError(`${at.text}: missing; a ${type} layer needs ${field}`, at.path);
    } else {
      rule.check(v[field], at, names);
    }
  }
}

/** Any field besides `allowed`, in the spec itself (no `layer`) or in the layer at `layer`. */
function rejectUnknownFields(v: Record<string, unknown>, layer: Place | undefined, allowed: string[]): void {
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) {
      const at = placeOf(key, layer);
      const where = layer === undefined ? 'the model spec' : `a ${String(v.type)} layer`;
      throw new ModelSpecError(`${at.text}: unknown field; ${where} takes ${allowed.join(', ')}`, at.path);
    }
  }
}

function fieldError(at: Place, expected: string, got: unknown): ModelSpecError {
  return new ModelSpecError(`${at.text}: expected ${expected}, got ${describeValue(got)}`, at.path);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

