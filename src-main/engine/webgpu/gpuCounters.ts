/**
 * What the process asked of the WebGPU device, counted at the device's own WebGPU calls (countGpuWork)
 * rather than in TF.js's backend: whichever kernel, copy or read issues them, they are counted.
 * Not counted: texture writes and indirect dispatches, which nothing here uses.
 * Counts only grow: take gpuWorkCounts() before and after, and gpuWorkBetween the two.
 */
export interface GpuWorkCounts {
  /** Compute pass dispatchWorkgroups calls: one per kernel run. */
  dispatches: number;
  /** queue.submit calls. */
  submits: number;
  /** Buffers mapped for reading that the caller then waits for in place (a `dataSync()`). */
  blockingReadbacks: number;
  /** Buffers mapped for reading that the caller awaits (`await tensor.data()`). */
  asyncReadbacks: number;
  /** Bytes given to queue.writeBuffer, plus the size of each buffer created mapped (which the CPU fills). */
  bytesUploaded: number;
}

const counts: GpuWorkCounts = { dispatches: 0, submits: 0, blockingReadbacks: 0, asyncReadbacks: 0, bytesUploaded: 0 };
/** Set while a synchronous read maps its buffer (countedAsBlocking). */
let mappingToWaitInPlace = false;

/** The counts so far (a copy). */
export function gpuWorkCounts(): GpuWorkCounts {
  return { ...counts };
}

/** What was counted from one gpuWorkCounts() snapshot to a later one. */
export function gpuWorkBetween(before: GpuWorkCounts, after: GpuWorkCounts): GpuWorkCounts {
  const difference = { ...after };
  for (const key of Object.keys(difference) as (keyof GpuWorkCounts)[]) difference[key] -= before[key];
  return difference;
}

/** Counts over `steps` steps, per step (means, so fractions). */
export function gpuWorkPerStep(total: GpuWorkCounts, steps: number): GpuWorkCounts {
  const mean = { ...total };
  for (const key of Object.keys(mean) as (keyof GpuWorkCounts)[]) mean[key] /= steps;
  return mean;
}

/**
 * Runs `read`, whose buffer mappings count as blocking readbacks: for a read that waits for its
 * mapping in place. Any other mapping for reading counts as asynchronous.
 */
export function countedAsBlocking<T>(read: () => T): T {
  mappingToWaitInPlace = true;
  try {
    return read();
  } finally {
    mappingToWaitInPlace = false;
  }
}

/**
 * Makes `device` count its work: wraps, on the device object itself, queue.submit and
 * queue.writeBuffer, createBuffer (buffers created mapped; mapAsync of read-back buffers) and the
 * compute passes of every command encoder it creates. Call once, before anyone uses the device.
 */
export function countGpuWork(device: GPUDevice): void {
  const queue = device.queue;
  const submit = queue.submit;
  queue.submit = function (...args: Parameters<GPUQueue['submit']>) {
    counts.submits++;
    return submit.apply(this, args);
  };
  const writeBuffer = queue.writeBuffer;
  queue.writeBuffer = function (...args: Parameters<GPUQueue['writeBuffer']>) {
    counts.bytesUploaded += writtenBytes(args[2], args[3], args[4]);
    return writeBuffer.apply(this, args);
  };

  const createBuffer = device.createBuffer;
  device.createBuffer = function (...args: Parameters<GPUDevice['createBuffer']>) {
    const buffer = createBuffer.apply(this, args);
    const descriptor = args[0];
    if (descriptor.mappedAtCreation) counts.bytesUploaded += descriptor.size;
    if (descriptor.usage & GPUBufferUsage.MAP_READ) countMappings(buffer);
    return buffer;
  };

  const createCommandEncoder = device.createCommandEncoder;
  device.createCommandEncoder = function (...args: Parameters<GPUDevice['createCommandEncoder']>) {
    const encoder = createCommandEncoder.apply(this, args);
    const beginComputePass = encoder.beginComputePass;
    encoder.beginComputePass = function (...passArgs: Parameters<GPUCommandEncoder['beginComputePass']>) {
      const pass = beginComputePass.apply(this, passArgs);
      const dispatchWorkgroups = pass.dispatchWorkgroups;
      pass.dispatchWorkgroups = function (...dispatchArgs: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
        counts.dispatches++;
        return dispatchWorkgroups.apply(this, dispatchArgs);
      };
      return pass;
    };
    return encoder;
  };
}

/** A MAP_READ buffer can only be mapped for reading: each mapping is a readback. */
function countMappings(buffer: GPUBuffer): void {
  const mapAsync = buffer.mapAsync;
  buffer.mapAsync = function (...args: Parameters<GPUBuffer['mapAsync']>) {
    if (mappingToWaitInPlace) counts.blockingReadbacks++;
    else counts.asyncReadbacks++;
    return mapAsync.apply(this, args);
  };
}

/** writeBuffer's dataOffset and size count elements of a typed array, bytes of anything else. */
function writtenBytes(data: Parameters<GPUQueue['writeBuffer']>[2], dataOffset = 0, size?: number): number {
  const elementBytes = ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? (data.BYTES_PER_ELEMENT as number) : 1;
  return size !== undefined ? size * elementBytes : data.byteLength - dataOffset * elementBytes;
}
