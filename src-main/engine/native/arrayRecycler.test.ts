import { describe, expect, it } from 'vitest';
import { ArrayRecycler } from './arrayRecycler';

describe('ArrayRecycler', () => {
  it('hands a released buffer to the next array of the same byte size, and not before', () => {
    const recycler = new ArrayRecycler(16);
    const a = recycler.float32(10);
    recycler.retain(a);
    expect(recycler.float32(10).buffer).not.toBe(a.buffer); // a is still referred to
    recycler.release(a);
    expect(recycler.heldBytes).toBe(40);
    expect(recycler.int32(10).buffer).toBe(a.buffer); // same byte size, any element type
    expect(recycler.heldBytes).toBe(0);
  });

  it('frees a buffer only when its last reference (a view of it included) is released', () => {
    const recycler = new ArrayRecycler(16);
    const a = recycler.float32(8);
    const view = a.subarray(2, 6);
    recycler.retain(a);
    recycler.retain(view);
    recycler.release(a);
    expect(recycler.float32(8).buffer).not.toBe(a.buffer);
    recycler.release(view);
    expect(recycler.float32(8).buffer).toBe(a.buffer);
  });

  it('ignores arrays it did not hand out, double releases, and small arrays', () => {
    const recycler = new ArrayRecycler(1024);
    const foreign = new Float32Array(1000);
    recycler.retain(foreign);
    recycler.release(foreign);
    expect(recycler.owns(foreign.buffer)).toBe(false);
    const a = recycler.float32(1000);
    recycler.retain(a);
    recycler.release(a);
    recycler.release(a);
    expect(recycler.heldBytes).toBe(4000);
    const small = recycler.float32(10);
    expect(recycler.owns(small.buffer)).toBe(false);
  });

  it('keeps at most maxFreeBytes for reuse', () => {
    const recycler = new ArrayRecycler(16, 100);
    const arrays = [recycler.float32(20), recycler.float32(20)];
    for (const a of arrays) recycler.retain(a);
    for (const a of arrays) recycler.release(a);
    expect(recycler.heldBytes).toBe(80);
  });
});
