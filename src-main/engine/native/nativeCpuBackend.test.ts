import { expect, it } from 'vitest';
import { tf } from '../tf';
import { describeNative } from './nativeBackend.testkit';

// The recycling of kernel outputs must be invisible: data read back, and tensors that share an output's
// memory (views such as slices), keep their values while other tensors come and go.
describeNative('NativeCpuBackend', () => {
  const big = 64 * 1024;

  it('hands out copies when data is read, so later kernels cannot change what was read', async () => {
    await tf.setBackend('cpu-blas');
    const x = tf.fill([big], 2);
    const y = tf.relu(x); // a native, recycled output
    const read = y.dataSync();
    y.dispose();
    const z = tf.tidy(() => tf.relu(tf.fill([big], -1))); // may reuse y's memory
    expect(read[0]).toBe(2);
    expect(read[big - 1]).toBe(2);
    expect(z.dataSync()[0]).toBe(0);
    tf.dispose([x, z]);
  });

  it('keeps a view of an output alive after the output is disposed', async () => {
    await tf.setBackend('cpu-blas');
    const x = tf.fill([2, big], 3);
    const y = tf.relu(x);
    const firstRow = tf.slice(y, [0, 0], [1, big]); // TF.js's CPU slice is a view of y's array
    y.dispose();
    const others = Array.from({ length: 4 }, () => tf.relu(tf.fill([2, big], -5)));
    expect(firstRow.dataSync().every((v) => v === 3)).toBe(true);
    tf.dispose([x, firstRow, ...others]);
  });

  it('leaves no tensor data behind', async () => {
    await tf.setBackend('cpu-blas');
    const before = tf.memory().numTensors;
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    for (let i = 0; i < 5; i++) tf.tidy(() => tf.sum(tf.mul(tf.relu(tf.ones([big])), 2)).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    expect(backend.numDataIds()).toBe(ids);
  });
});
