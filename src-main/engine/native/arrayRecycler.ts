/**
 * Recycles the memory of kernel outputs. Every TF.js kernel output is a fresh typed array; at the sizes of
 * a CNN's activations that is tens of megabytes per training step, which V8 counts as external memory
 * and answers with frequent full garbage collections (measured: a fifth of a CurveBall step), and which
 * the OS hands out page by page. Here an output array whose tensors have all been disposed is kept and
 * handed to the next output of the same byte size.
 *
 * An ArrayBuffer is recycled only when no tensor data refers to it any more: the backend calls retain
 * for every typed array it stores (a kernel's output, or a view of one, such as a slice) and release when
 * that data is disposed. Arrays read back by users are copies (NativeCpuBackend.readSync), so nothing
 * outside the backend ever holds recycled memory.
 */
export class ArrayRecycler {
  /** Live references per buffer that this recycler handed out. */
  private readonly references = new WeakMap<ArrayBuffer, number>();
  /** Buffers free for reuse, by byte length. */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;

  constructor(
    /** Smaller arrays are left to the garbage collector: they cost it little. */
    private readonly minBytes = 16 * 1024,
    /** Free buffers beyond this total are dropped rather than kept. */
    private readonly maxFreeBytes = 256 * 1024 * 1024,
  ) {}

  float32(length: number): Float32Array {
    return new Float32Array(this.take(length * Float32Array.BYTES_PER_ELEMENT) ?? new ArrayBuffer(length * 4), 0, length);
  }

  int32(length: number): Int32Array {
    return new Int32Array(this.take(length * Int32Array.BYTES_PER_ELEMENT) ?? new ArrayBuffer(length * 4), 0, length);
  }

  /** Whether the buffer came from this recycler (so reading it out must copy). */
  owns(buffer: ArrayBufferLike): boolean {
    return this.references.has(buffer as ArrayBuffer);
  }

  /** Tensor data now refers to `values` (no-op for arrays this recycler did not hand out). */
  retain(values: unknown): void {
    const buffer = bufferOf(values);
    if (!buffer) return;
    const count = this.references.get(buffer);
    if (count !== undefined) this.references.set(buffer, count + 1);
  }

  /** Tensor data that referred to `values` is gone; the last release frees the buffer for reuse. */
  release(values: unknown): void {
    const buffer = bufferOf(values);
    if (!buffer) return;
    const count = this.references.get(buffer);
    if (!count) return; // not ours, or already free
    if (count > 1) {
      this.references.set(buffer, count - 1);
      return;
    }
    this.references.set(buffer, 0);
    if (this.freeBytes + buffer.byteLength > this.maxFreeBytes) {
      this.references.delete(buffer);
      return;
    }
    const list = this.free.get(buffer.byteLength);
    if (list) list.push(buffer);
    else this.free.set(buffer.byteLength, [buffer]);
    this.freeBytes += buffer.byteLength;
  }

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.freeBytes;
  }

  /**
   * A buffer of exactly `bytes` bytes, whose contents are undefined: a recycled one, a new uninitialised
   * one (the kernel overwrites it all), or null below minBytes.
   */
  private take(bytes: number): ArrayBuffer | null {
    if (bytes < this.minBytes) return null;
    let buffer = this.free.get(bytes)?.pop();
    if (buffer) {
      this.freeBytes -= bytes;
    } else {
      // Node's own, unpooled, uninitialised ArrayBuffer: zero-filling it would be wasted work.
      const fresh = Buffer.allocUnsafeSlow(bytes);
      buffer = fresh.buffer as ArrayBuffer;
    }
    // Not referenced until the backend stores it (retain); an output that never gets stored is left
    // to the garbage collector, as the count never reaches a release.
    this.references.set(buffer, 0);
    return buffer;
  }
}

function bufferOf(values: unknown): ArrayBuffer | null {
  return ArrayBuffer.isView(values) ? (values.buffer as ArrayBuffer) : null;
}
