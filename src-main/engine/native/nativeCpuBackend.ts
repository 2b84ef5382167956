import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { tf } from '../tf';
import { ArrayRecycler } from './arrayRecycler';

type DataId = Parameters<MathBackendCPU['readSync']>[0];
type BackendValues = Parameters<MathBackendCPU['write']>[0];

/**
 * The `cpu-blas` backend's storage: TF.js's CPU backend, whose tensor data lives in typed arrays, with
 * the native kernels' outputs recycled (arrayRecycler.ts). It tracks every array it stores and releases
 * it when the data is disposed, and hands out copies of recycled arrays when they are read.
 */
export class NativeCpuBackend extends MathBackendCPU {
  private readonly recycler = new ArrayRecycler();

  /** An output array for a kernel that overwrites all of it. */
  outputFloat32(length: number): Float32Array {
    return this.recycler.float32(length);
  }

  outputInt32(length: number): Int32Array {
    return this.recycler.int32(length);
  }

  override write(values: BackendValues, shape: number[], dtype: tf.DataType): DataId {
    const dataId = super.write(values, shape, dtype);
    this.recycler.retain(values);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.recycler.retain(values);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const disposed = super.disposeData(dataId, force);
    if (disposed && values !== undefined && !this.data.has(dataId)) this.recycler.release(values);
    return disposed;
  }

  /** Users keep what they read; recycled memory must not be it. */
  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    return ArrayBuffer.isView(values) && this.recycler.owns(values.buffer) ? (values.slice() as BackendValues) : values;
  }
}
