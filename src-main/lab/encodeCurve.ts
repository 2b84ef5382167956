import type { EncodedCurve } from './api/labApi';
import type { CurveColumns } from './store';

/** A typed array's bytes in base64 (little-endian on every machine CurveLab runs on). */
function base64Of(column: Float32Array | Int32Array): string {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString('base64');
}

/** A Float64 column rounded to float32: what a plot needs (the values were float32 in training), in half the bytes. */
function float32Base64(column: Float64Array): string {
  return base64Of(Float32Array.from(column));
}

/** A curve's columns in the Lab API's compact form (EncodedCurve). */
export function encodeCurve(columns: CurveColumns): EncodedCurve {
  return {
    length: columns.step.length,
    step: float32Base64(columns.step),
    epoch: float32Base64(columns.epoch),
    seconds: float32Base64(columns.seconds),
    passes: float32Base64(columns.passes),
    value: float32Base64(columns.value),
    min: float32Base64(columns.min),
    max: float32Base64(columns.max),
    count: base64Of(columns.count),
  };
}
