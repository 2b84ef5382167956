import { ModelSpecError } from '../errors';
import type { LayerType, ModelSpec } from '../../shared/modelSpec';

/**
 * Checks that a value (typically parsed JSON) is a well-formed ModelSpec: every field has the right type
 * and range, no field is unknown (so typos are caught), and explicit layer names are unique. Errors name
 * the path of the offending value, e.g. `layers[2].kernelSize`. Shape compatibility between layers is
 * checked when the model is built (Model.fromSpec). Returns a copy typed as a ModelSpec.
 */
export function validateModelSpec(json: unknown): ModelSpec {
  if (!isRecord(json)) throw new ModelSpecError(`the model spec must be an object with inputShape and layers, got ${describeValue(json)}`);
  rejectUnknownFields(json, '', ['inputShape', 'layers']);
  checkInputShape(json.inputShape);
  if (!('layers' in json)) throw new ModelSpecError('layers: missing; expected a non-empty array of layer specs', 'layers');
  const names = new Map<string, string>();
  checkLayerList(json.layers, 'layers', names);
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

type Check = (value: unknown, path: string, names: Map<string, string>) => void;

interface FieldRule {
  required: boolean;
  check: Check;
}

const POSITIVE_INTEGER = 'a positive integer';
const PAIR = 'a positive integer or [height, width] of positive integers';

const positiveInteger: Check = (v, path) => {
  if (!isPositiveInteger(v)) throw fieldError(path, POSITIVE_INTEGER, v);
};
const nonNegativeInteger: Check = (v, path) => {
  if (!(v === 0 || isPositiveInteger(v))) throw fieldError(path, 'a non-negative integer', v);
};
const pair: Check = (v, path) => {
  const ok = isPositiveInteger(v) || (Array.isArray(v) && v.length === 2 && v.every(isPositiveInteger));
  if (!ok) throw fieldError(path, PAIR, v);
};
const padding: Check = (v, path) => {
  if (v !== 'same' && v !== 'valid') throw fieldError(path, `'same' or 'valid'`, v);
};
const boolean: Check = (v, path) => {
  if (typeof v !== 'boolean') throw fieldError(path, 'true or false', v);
};
const kernelInit: Check = (v, path) => {
  if (v !== 'glorotUniform' && v !== 'heNormal') throw fieldError(path, `'glorotUniform' or 'heNormal'`, v);
};
const fraction: Check = (v, path) => {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw fieldError(path, 'a number in [0, 1)', v);
};
const positiveNumber: Check = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw fieldError(path, 'a positive number', v);
};
const layerName: Check = (v, path, names) => {
  // '/' separates the layer name from the parameter name in "<layer>/<param>".
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(v)) {
    throw fieldError(path, 'a non-empty name of letters, digits, "_", "-" or "."', v);
  }
  const earlier = names.get(v);
  if (earlier !== undefined) throw new ModelSpecError(`${path}: the name "${v}" is already used by ${earlier}; layer names must be unique`, path);
  names.set(v, path.replace(/\.name$/, ''));
};
const layerList: Check = (v, path, names) => checkLayerList(v, path, names);

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

function checkInputShape(v: unknown): void {
  if (v === undefined) throw new ModelSpecError('inputShape: missing; expected [features] or [height, width, channels]', 'inputShape');
  if (!Array.isArray(v) || v.length === 0 || !v.every(isPositiveInteger)) {
    throw fieldError('inputShape', 'a non-empty array of positive integers, e.g. [784] or [28, 28, 1]', v);
  }
}

function checkLayerList(v: unknown, path: string, names: Map<string, string>): void {
  if (!Array.isArray(v) || v.length === 0) throw fieldError(path, 'a non-empty array of layer specs', v);
  v.forEach((layer, i) => checkLayer(layer, `${path}[${i}]`, names));
}

function checkLayer(v: unknown, path: string, names: Map<string, string>): void {
  if (!isRecord(v)) throw fieldError(path, 'a layer spec object with a "type"', v);
  const type = v.type;
  if (typeof type !== 'string' || !(layerTypes as readonly string[]).includes(type)) {
    throw fieldError(`${path}.type`, `one of ${layerTypes.join(', ')}`, type);
  }
  const rules = fieldRules[type as LayerType];
  rejectUnknownFields(v, `${path}.`, ['type', 'name', ...Object.keys(rules)]);
  if (v.name !== undefined) layerName(v.name, `${path}.name`, names);
  for (const [field, rule] of Object.entries(rules)) {
    const fieldPath = `${path}.${field}`;
    if (v[field] === undefined) {
      if (rule.required) throw new ModelSpecError(`${fieldPath}: missing; a ${type} layer needs ${field}`, fieldPath);
    } else {
      rule.check(v[field], fieldPath, names);
    }
  }
}

function rejectUnknownFields(v: Record<string, unknown>, prefix: string, allowed: string[]): void {
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) {
      const where = prefix === '' ? 'the model spec' : `a ${String(v.type)} layer`;
      throw new ModelSpecError(`${prefix}${key}: unknown field; ${where} takes ${allowed.join(', ')}`, `${prefix}${key}`);
    }
  }
}

function fieldError(path: string, expected: string, got: unknown): ModelSpecError {
  return new ModelSpecError(`${path}: expected ${expected}, got ${describeValue(got)}`, path);
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

