import { expect, test } from 'vitest';
import { base64ToBlob, base64ToBytes, bytesToBase64, readFileAsBase64 } from './fileTransfer';

const ascii = (text: string): Uint8Array => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

test('encodes by the RFC 4648 examples, padding included', () => {
  expect(bytesToBase64(ascii(''))).toBe('');
  expect(bytesToBase64(ascii('f'))).toBe('Zg==');
  expect(bytesToBase64(ascii('fo'))).toBe('Zm8=');
  expect(bytesToBase64(ascii('foo'))).toBe('Zm9v');
  expect(bytesToBase64(ascii('foobar'))).toBe('Zm9vYmFy');
  expect(bytesToBase64(new Uint8Array([0, 255, 128]))).toBe('AP+A');
});

test('a file longer than one chunk encodes as if in one piece', () => {
  // 49152 + 2 bytes of 0xff 0xff 0xff… : every full group of three is "////", the last two "//8=".
  const bytes = new Uint8Array(3 * 0x4000 + 2).fill(255);
  const encoded = bytesToBase64(bytes);
  expect(encoded).toBe('////'.repeat(0x4000) + '//8=');
  const decoded = base64ToBytes(encoded);
  expect(decoded.length).toBe(bytes.length);
  expect(decoded.every((b) => b === 255)).toBe(true);
});

test('decodes back to the bytes', () => {
  expect(base64ToBytes('Zm9vYmFy')).toEqual(ascii('foobar'));
  expect(base64ToBytes('AP+A')).toEqual(new Uint8Array([0, 255, 128]));
});

test('reads a file as base64 and turns base64 into a blob', async () => {
  const file = { name: 'x.csv', arrayBuffer: async () => ascii('a,b\n1,2\n').buffer as ArrayBuffer };
  expect(await readFileAsBase64(file)).toBe('YSxiCjEsMgo=');
  const blob = base64ToBlob('YSxiCjEsMgo=', 'text/csv');
  expect(blob.type).toBe('text/csv');
  expect(new Uint8Array(await blob.arrayBuffer())).toEqual(ascii('a,b\n1,2\n'));
});
