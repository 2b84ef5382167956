import type { CurvePoint, EncodedCurve, EncodedRunCurves, RunCurves } from '$api/labApi';

/** `Uint8Array.fromBase64` (Chromium 140 and later), where the browser has it. */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (base64: string) => Uint8Array }).fromBase64;

/** The bytes of a base64 string: natively where the browser can, else through atob. */
function bytesOf(base64: string): Uint8Array {
  if (fromBase64) return fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function column<T extends Float32Array | Int32Array>(Type: { new (buffer: ArrayBuffer): T }, base64: string, length: number, name: string): T {
  const bytes = bytesOf(base64);
  // A fresh array of its own: its buffer starts at 0, as a typed array over it needs.
  const values = new Type(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer));
  if (values.length !== length) throw new RangeError(`a curve's ${name} column holds ${values.length} numbers, expected ${length}`);
  return values;
}

/** One series' columns (EncodedCurve: float32, count int32) back into points. */
export function decodeCurve(encoded: EncodedCurve): CurvePoint[] {
  const { length } = encoded;
  const [step, epoch, seconds, passes, value, min, max] = (['step', 'epoch', 'seconds', 'passes', 'value', 'min', 'max'] as const).map((name) =>
    column(Float32Array, encoded[name], length, name),
  );
  const count = column(Int32Array, encoded.count, length, 'count');
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
