import type { CurvePoint, EncodedCurve, EncodedRunCurves, RunCurves } from '$api/labApi';

/** The bytes of a base64 string. */
function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function float64s(base64: string, length: number): Float64Array {
  const column = new Float64Array(bytesOf(base64).buffer);
  if (column.length !== length) throw new RangeError(`a curve column holds ${column.length} numbers, expected ${length}`);
  return column;
}

/** One series' columns (EncodedCurve) back into points. */
export function decodeCurve(encoded: EncodedCurve): CurvePoint[] {
  const { length } = encoded;
  const [step, epoch, seconds, passes, value, min, max] = [encoded.step, encoded.epoch, encoded.seconds, encoded.passes, encoded.value, encoded.min, encoded.max].map((c) =>
    float64s(c, length),
  );
  const count = new Int32Array(bytesOf(encoded.count).buffer);
  if (count.length !== length) throw new RangeError(`a curve's count column holds ${count.length} numbers, expected ${length}`);
  const points = new Array<CurvePoint>(length);
  for (let i = 0; i < length; i++) {
    points[i] = { step: step[i], epoch: epoch[i], seconds: seconds[i], passes: passes[i], value: value[i], min: min[i], max: max[i], count: count[i] };
  }
  return points;
}

/** readCurves' answer for one run, decoded. */
export function decodeRunCurves(encoded: EncodedRunCurves): RunCurves {
  const series: Record<string, CurvePoint[]> = {};
  for (const [name, curve] of Object.entries(encoded.series)) series[name] = decodeCurve(curve);
  return { runId: encoded.runId, series, epochs: encoded.epochs };
}
