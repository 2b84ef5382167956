import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, float32Values, parseSafetensorsHeader } from './safetensors';

const file = '/data/w.safetensors';

/** A file built by hand from the format's definition: u64 LE header length, the JSON header, the data. */
function fileOf(header: object, data: number[] | Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

/** Little-endian float32 bytes, written one by one with DataView. */
function f32(...values: number[]): number[] {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return [...new Uint8Array(view.buffer)];
}

const twoTensors = {
  a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
  b: { dtype: 'F32', shape: [1, 1], data_offsets: [8, 12] },
};

describe('safetensors', () => {
  it('reads a file built by hand from the format', () => {
    const bytes = fileOf({ ...twoTensors, __metadata__: { note: 'hi' } }, f32(1, -2, 0.5));
    const decoded = decodeSafetensors(bytes, file);
    expect(decoded.metadata).toEqual({ note: 'hi' });
    expect(decoded.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['a', 'F32', [2]],
      ['b', 'F32', [1, 1]],
    ]);
    const [a, b] = decoded.tensors;
    expect([...float32Values(a!, decoded.bytesOf(a!), file)]).toEqual([1, -2]);
    expect([...float32Values(b!, decoded.bytesOf(b!), file)]).toEqual([0.5]);
  });

  it('writes what the format defines: an 8-aligned JSON header, then little-endian float32 data', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'w', shape: [2, 1], values: new Float32Array([1, -2]) },
        { name: 'b', shape: [1], values: new Float32Array([0.25]) },
      ],
      { format: 'pt' },
    );
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      w: { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    });
    expect([...bytes.subarray(8 + headerLength)]).toEqual(f32(1, -2, 0.25));
    // 1.0f is 0x3f800000: low byte first.
    expect([...bytes.subarray(8 + headerLength, 12 + headerLength)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('takes tensors in any order of offsets, empty ones included', () => {
    const bytes = fileOf({ late: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, early: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, none: { dtype: 'F32', shape: [0], data_offsets: [8, 8] } }, f32(3, 4));
    const decoded = decodeSafetensors(bytes, file);
    const late = decoded.tensors.find((t) => t.name === 'late')!;
    expect([...float32Values(late, decoded.bytesOf(late), file)]).toEqual([4]);
  });

  const refusals: [string, Uint8Array, RegExp][] = [
    ['a file shorter than the header length', new Uint8Array([1, 0, 0]), /truncated.*3 bytes/],
    ['a header length past the end', fileOf(twoTensors, f32(1, 2, 3)).subarray(0, 20), /header length \(\d+ bytes\) runs past the end of the file \(20 bytes\)/],
    ['data cut short', fileOf(twoTensors, f32(1, 2, 3)).slice(0, -2), /truncated: tensor "b" takes data bytes 8–12, but only 10 bytes follow the header/],
    ['overlapping tensors', fileOf({ a: twoTensors.a, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(1, 2, 3)), /tensors "a" and "b" overlap/],
    ['a gap between tensors', fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(1, 2, 3)), /data bytes 4–8 belong to no tensor/],
    ['bytes after the last tensor', fileOf(twoTensors, f32(1, 2, 3, 4)), /4 bytes after the last tensor/],
    ['an unknown dtype', fileOf({ a: { dtype: 'Q8', shape: [4], data_offsets: [0, 4] } }, f32(1)), /tensor "a": unknown dtype "Q8"/],
    ['offsets that do not match the shape', fileOf({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(1, 2)), /hold 8 bytes, but F32 of shape \[3\] takes 12/],
    ['a negative shape', fileOf({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, []), /shape \[-1\] is not a list of non-negative integers/],
    ['offsets backwards', fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, f32(1)), /data_offsets \[4,0\]/],
    ['a metadata value that is not a string', fileOf({ ...twoTensors, __metadata__: { version: 2 } }, f32(1, 2, 3)), /__metadata__ "version" is not a string/],
    ['a header that is not JSON', fileOf({}, []).map((b, i) => (i === 8 ? 0x5b : b)), /not JSON/],
    ['a header that is a list', fileOf([], []), /not a JSON object/],
  ];

  it.each(refusals)('refuses %s, naming the file', (_what, bytes, problem) => {
    expect(() => decodeSafetensors(bytes, file)).toThrow(problem);
    expect(() => decodeSafetensors(bytes, file)).toThrow(/^\/data\/w\.safetensors: /);
  });

  it('checks a header read alone against the size of the whole file', () => {
    const bytes = fileOf(twoTensors, f32(1, 2, 3));
    const headerOnly = bytes.subarray(0, bytes.length - 12);
    expect(parseSafetensorsHeader(headerOnly, bytes.length, file).tensors).toHaveLength(2);
    expect(() => parseSafetensorsHeader(headerOnly, bytes.length - 1, file)).toThrow(/truncated/);
  });

  it('reads only F32 values, naming the tensor of another dtype', () => {
    const bytes = fileOf({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [0, 60, 0, 60]);
    const decoded = decodeSafetensors(bytes, file);
    const h = decoded.tensors[0]!;
    expect(() => float32Values(h, decoded.bytesOf(h), file)).toThrow(/w\.safetensors: tensor "h" is F16; CurveLab reads F32/);
  });
});
