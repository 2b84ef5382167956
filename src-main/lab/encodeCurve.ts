import type { EncodedCurve } from './api/labApi';
import type { CurveColumns } from './store';

/** A typed array's bytes in base64 (little-endian on every machine CurveLab runs on). */
function base64Of(column: Float64Array | Int32Array): string {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString('base64');
}

/** A curve's columns in the Lab API's compact form (EncodedCurve). */
export function encodeCurve(columns: CurveColumns): EncodedCurve {
  return {
    length: columns.step.length,
    step: base64Of(columns.step),
    epoch: base64Of(columns.epoch),
    seconds: base64Of(columns.seconds),
    passes: base64Of(columns.passes),
    value: base64Of(columns.value),
    min: base64Of(columns.min),
    max: base64Of(columns.max),
    count: base64Of(columns.count),
  };
}
