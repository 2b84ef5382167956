/**
 * Files to and from the lab as base64 text (how the Lab API carries them over both transports).
 * btoa/atob work on "binary strings"; encoding in chunks of a multiple of 3 bytes keeps each chunk's
 * output free of padding, so the pieces join into one valid base64 text without building a huge
 * intermediate string of the whole file at once.
 */

const chunkBytes = 3 * 0x4000;

export function bytesToBase64(bytes: Uint8Array): string {
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    const chunk = bytes.subarray(start, Math.min(start + chunkBytes, bytes.length));
    let binary = '';
    for (let i = 0; i < chunk.length; i++) binary += String.fromCharCode(chunk[i]!);
    pieces.push(btoa(binary));
  }
  return pieces.join('');
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** What a browser `File` offers that the upload needs (a plain object in tests). */
export interface ReadableFile {
  readonly name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export async function readFileAsBase64(file: ReadableFile): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

/** A Blob of a base64 file, for an `<a download>` link. */
export function base64ToBlob(base64: string, type = 'application/octet-stream'): Blob {
  return new Blob([base64ToBytes(base64)], { type });
}
