import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { WeightsFileError } from '../errors';
import type { ModelSpec } from '../../shared/modelSpec';
import type { ModelWeights } from './modelWeights';
import { decodeSafetensors, encodeSafetensors, headerExtent, parseSafetensorsHeader, type SafetensorsFile, type SafetensorsHeader } from './safetensors';

/**
 * A CurveLab weights file: safetensors whose `__metadata__` says which format version wrote it and holds
 * the model spec as JSON (docs/weights.md). A plain safetensors file (PyTorch's `save_file` of a state
 * dict) is read as well: it has no spec, so whoever reads it must know the architecture.
 */
export const WEIGHTS_FORMAT_VERSION = 1;

export const weightsMetadataKeys = {
  /** The weights format version, "1": a reader refuses a newer one. */
  version: 'curvelab.weightsFormat',
  /** The model spec (the resolved layers of a preset), JSON. */
  modelSpec: 'curvelab.modelSpec',
  /** The run spec the weights were trained with, JSON (a run's weights). */
  runSpec: 'curvelab.runSpec',
  /** The standardisation of the inputs the model was trained on, JSON {mean, std, names}. */
  inputNormalization: 'curvelab.inputNormalization',
} as const;

export interface WeightsFile extends SafetensorsFile {
  /** Where it was read from, for messages. */
  file: string;
  /** The model spec the file carries, or null for a plain safetensors file. */
  modelSpec: ModelSpec | null;
}

/** The file's bytes: the tensors, the spec and the format version, plus `metadata` (string values). */
export function encodeWeightsFile(weights: ModelWeights, metadata: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(weights.tensors, {
    // `format: pt` tells Hugging Face's loaders the tensors are in PyTorch's layouts.
    format: 'pt',
    ...metadata,
    [weightsMetadataKeys.version]: String(WEIGHTS_FORMAT_VERSION),
    [weightsMetadataKeys.modelSpec]: JSON.stringify(weights.modelSpec),
    ...(weights.inputNormalization ? { [weightsMetadataKeys.inputNormalization]: JSON.stringify(weights.inputNormalization) } : {}),
  });
}

/** A weights file's bytes, checked in full (the format, the version, the spec's JSON). */
export function decodeWeightsFile(bytes: Uint8Array, file: string): WeightsFile {
  const decoded = decodeSafetensors(bytes, file);
  return { ...decoded, file, modelSpec: checkedMetadata(decoded, file) };
}

/** Reads and decodes a weights file; an unreadable or malformed file is a WeightsFileError naming it. */
export async function readWeightsFile(file: string): Promise<WeightsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new WeightsFileError(file, `cannot read the file (${(error as Error).message})`);
  }
  return decodeWeightsFile(bytes, file);
}

/**
 * The header of a weights file, read without its tensors' data (a quick check that it fits a model before
 * a run is queued), checked as decodeWeightsFile checks it.
 */
export function readWeightsHeader(file: string): SafetensorsHeader & { modelSpec: ModelSpec | null } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new WeightsFileError(file, `cannot read the file (${(error as Error).message})`);
  }
  try {
    const size = fstatSync(fd).size;
    const start = new Uint8Array(8);
    const prefix = start.subarray(0, readSync(fd, start, 0, 8, 0));
    const header = new Uint8Array(headerExtent(prefix, size, file));
    readSync(fd, header, 0, header.length, 0);
    const parsed = parseSafetensorsHeader(header, size, file);
    return { ...parsed, modelSpec: checkedMetadata(parsed, file) };
  } catch (error) {
    if (error instanceof WeightsFileError) throw error;
    throw new WeightsFileError(file, `cannot read the file (${(error as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a newer format version or a spec that is not JSON; returns the spec, if any. */
function checkedMetadata({ metadata }: SafetensorsHeader, file: string): ModelSpec | null {
  const version = metadata[weightsMetadataKeys.version];
  if (version !== undefined) {
    if (!/^[1-9]\d*$/.test(version)) throw new WeightsFileError(file, `the weights format version "${version}" is not a positive integer`);
    if (Number(version) > WEIGHTS_FORMAT_VERSION) {
      throw new WeightsFileError(file, `written in weights format ${version} by a newer CurveLab; this one reads format ${WEIGHTS_FORMAT_VERSION}: update CurveLab to read it`);
    }
  }
  const spec = metadata[weightsMetadataKeys.modelSpec];
  if (spec === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(spec);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as ModelSpec;
  } catch {
    // Refused below, as any spec that is not an object.
  }
  throw new WeightsFileError(file, `the model spec in its metadata ("${weightsMetadataKeys.modelSpec}") is not a JSON object`);
}
