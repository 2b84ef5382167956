import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';
import { reuseOldestBuffersFirst } from './bufferReuseOrder';

/**
 * TF.js's webgpu backend records each kernel with a uniform block written to a pooled buffer
 * (queue.writeBuffer) and a bind group made for it, every dispatch. A training step repeats the same
 * dispatches, with the same uniforms, on the same pooled buffers (bufferReuseOrder.ts) step after step,
 * so both are cached here: uniform buffers by their bytes (made once with them, never written again),
 * bind groups by their pipeline and buffers. Everything else is recorded as TF.js records it: the tensors' use by pending
 * commands (commandQueueOwnedIds), one compute pass, a submit every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE
 * dispatches. Timed runs (tf.time, profiling) and pixel programs go TF.js's own way.
 *
 * Relies on the internals of @tensorflow/tfjs-backend-webgpu 4.22's WebGPUBackend, private in its
 * typings (BackendInternals below); cachedDispatch.test.ts fails where they change.
 */

/** A uniform field as TF.js's programs give them: int32, uint32 or (anything else) float32 numbers. */
export interface UniformField {
  type: string;
  data: number[];
}

/** The members of TF.js 4.22's WebGPUBackend, private in its typings, that recording a dispatch uses. */
interface BackendInternals {
  recordAndSubmit(program: WebGPUProgram, output: tf.TensorInfo, inputs: tf.TensorInfo[], programUniforms?: UniformField[]): void;
  /** Set while tf.time() measures kernels (each then in a pass of its own, with timestamps). */
  activeTimers: unknown;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  /** Tensors used by recorded, unsubmitted commands: their buffers are released only after the submit. */
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
}

/** The backend with those members seen (a mapped type drops the typings' private declarations of them). */
type CachingBackend = Pick<WebGPUBackend, keyof WebGPUBackend> & BackendInternals;

export interface DispatchCacheBounds {
  /** Uniform buffers kept; beyond it the least recently used are destroyed at the next submit. */
  uniformBuffers: number;
  /** Bind groups kept; beyond it the least recently used are dropped. */
  bindGroups: number;
}

/**
 * A step's dispatches (up to a few hundred, each with its own uniforms) many times over. Bind groups of
 * buffers TF.js destroyed (a tensor's, only when the backend is disposed, in 4.22) are never hit again,
 * since a destroyed buffer is never handed out again: they age out.
 */
const DEFAULT_BOUNDS: DispatchCacheBounds = { uniformBuffers: 4096, bindGroups: 8192 };

/** The bounds each backend class was set up with (cacheDispatches), and each backend's caches. */
const classBounds = new WeakMap<object, DispatchCacheBounds>();
const caches = new WeakMap<object, DispatchCache>();

/**
 * Makes `backendClass` (a subclass of TF.js's WebGPUBackend) record its dispatches with cached uniform
 * buffers and bind groups, each backend object with caches of its own, emptied when it is disposed.
 */
export function cacheDispatches(backendClass: typeof WebGPUBackend, bounds: DispatchCacheBounds = DEFAULT_BOUNDS): void {
  const prototype = backendClass.prototype as unknown as CachingBackend;
  classBounds.set(prototype, bounds);
  const tfjs = { record: prototype.recordAndSubmit, submitQueue: prototype.submitQueue, dispose: prototype.dispose };

  prototype.recordAndSubmit = function (this: CachingBackend, program, output, inputs, programUniforms) {
    const pipeline = program.pipeline;
    const resources = [output, ...inputs].map((t) => this.tensorMap.get(t.dataId).resource);
    const cacheable =
      this.activeTimers == null &&
      program.pixelsOpType == null &&
      pipeline != null &&
      !(pipeline instanceof Promise) &&
      resources.every((resource) => resource instanceof GPUBuffer);
    if (!cacheable) return tfjs.record.call(this, program, output, inputs, programUniforms);
    const uniforms = packUniforms(uniformFields(program, output, inputs, programUniforms));
    recordDispatch(this as unknown as WebGPUBackend, pipeline, resources as GPUBuffer[], uniforms, program.dispatch, [...inputs, output]);
  };

  prototype.submitQueue = function (this: CachingBackend) {
    tfjs.submitQueue.call(this);
    // Nothing recorded is left unsubmitted: the uniform buffers past the bound can go.
    caches.get(this)?.trimUniformBuffers();
  };

  prototype.dispose = function (this: CachingBackend) {
    caches.get(this)?.clear();
    caches.delete(this);
    tfjs.dispose.call(this);
  };
}

/**
 * Records one dispatch of `pipeline` into the backend's compute pass, as TF.js records its own: bound to
 * `buffers` whole at bindings 0, 1, … and the uniform block `uniforms` (if any) after them, the tensors
 * it reads and writes marked in use by a pending command, a submit every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE
 * dispatches. Uniform buffer and bind group come from the backend's caches.
 */
export function recordDispatch(
  webGpuBackend: WebGPUBackend,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
  uniforms: ArrayBuffer | null,
  dispatch: [number, number, number],
  tensors: tf.TensorInfo[],
): void {
  const backend = webGpuBackend as unknown as CachingBackend;
  const cache = cacheOf(backend);
  const bindGroup = cache.bindGroup(pipeline, uniforms ? [...buffers, cache.uniformBuffer(uniforms)] : buffers);
  for (const t of tensors) backend.commandQueueOwnedIds.add(t.dataId);

  backend.ensureCommandEncoderReady();
  backend.computePassEncoder ??= backend.commandEncoder!.beginComputePass({});
  backend.computePassEncoder.setPipeline(pipeline);
  backend.computePassEncoder.setBindGroup(0, bindGroup);
  backend.computePassEncoder.dispatchWorkgroups(...dispatch);
  backend.dispatchCountInPass++;
  if (backend.dispatchCountInPass >= tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
}

/** The backend's caches, made at its first dispatch with its class's bounds. */
function cacheOf(backend: CachingBackend): DispatchCache {
  let cache = caches.get(backend);
  if (!cache) {
    caches.set(backend, (cache = new DispatchCache(backend.device, boundsOf(backend))));
    // Without it, a step's tensors land in other pooled buffers each step, and its bind groups are new.
    reuseOldestBuffersFirst(backend.bufferManager);
  }
  return cache;
}

function boundsOf(backend: object): DispatchCacheBounds {
  for (let prototype = Object.getPrototypeOf(backend); prototype; prototype = Object.getPrototypeOf(prototype)) {
    const bounds = classBounds.get(prototype);
    if (bounds) return bounds;
  }
  return DEFAULT_BOUNDS;
}

/**
 * The uniform block TF.js's shaders declare (webgpu_program's Uniforms): NAN and INFINITY (for programs
 * that are not pixel programs), each input's and the output's shape and strides, the output's size
 * (in elements of outputComponent) for programs with `size`, then the program's own.
 */
function uniformFields(program: WebGPUProgram, output: tf.TensorInfo, inputs: tf.TensorInfo[], programUniforms: UniformField[] = []): UniformField[] {
  const fields: UniformField[] = [
    { type: 'float32', data: [NaN] },
    { type: 'float32', data: [Infinity] },
  ];
  for (const t of [...inputs, output]) {
    fields.push({ type: 'int32', data: t.shape }, { type: 'int32', data: tf.util.computeStrides(t.shape) });
  }
  if (program.size) {
    const size = tf.util.sizeFromShape(program.outputShape);
    fields.push({ type: 'int32', data: [size / (program.outputComponent ?? 1)] });
  }
  return [...fields, ...programUniforms];
}

/**
 * Byte offsets of uniform fields of these lengths in a WGSL struct in the uniform address space, and
 * the struct's size. TF.js declares a field of n numbers as a scalar (n = 1; n = 0 stands for a scalar
 * too), vecN (2 to 4) or a struct of n 32-bit members (5, 6). WGSL: a scalar aligns to 4, vec2 to 8,
 * vec3 and vec4 to 16; in the uniform address space a struct member aligns to 16 and the member after it
 * starts a multiple of 16 bytes later; the struct's size is its end rounded up to its largest alignment.
 */
export function uniformLayout(lengths: number[]): { offsets: number[]; size: number } {
  const offsets: number[] = [];
  let end = 0;
  let largestAlignment = 4;
  let afterStruct = false;
  for (const rawLength of lengths) {
    const length = Math.max(rawLength, 1);
    if (length > 6) throw new Error(`a uniform field of ${length} numbers: TF.js's shaders declare at most 6`);
    const isStruct = length > 4;
    const alignment = length === 1 ? 4 : length === 2 ? 8 : 16;
    largestAlignment = Math.max(largestAlignment, alignment);
    const offset = roundUp(end, afterStruct ? 16 : alignment);
    offsets.push(offset);
    end = offset + 4 * length;
    afterStruct = isStruct;
  }
  return { offsets, size: roundUp(end, largestAlignment) };
}

/** The fields' bytes laid out by uniformLayout. */
export function packUniforms(fields: UniformField[]): ArrayBuffer {
  const { offsets, size } = uniformLayout(fields.map((f) => f.data.length));
  const bytes = new ArrayBuffer(size);
  fields.forEach((field, i) => {
    const data = field.data.length > 0 ? field.data : [1];
    const View = field.type === 'int32' ? Int32Array : field.type === 'uint32' ? Uint32Array : Float32Array;
    new View(bytes, offsets[i], data.length).set(data);
  });
  return bytes;
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** One backend's uniform buffers (by content) and bind groups (by pipeline and buffers), least recently used first. */
class DispatchCache {
  private readonly uniformBuffers = new Map<string, GPUBuffer>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  /** getBindGroupLayout makes a new object each call; one per pipeline here. */
  private readonly layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();
  /** Identities of pipelines and buffers in the bind groups' keys; never reused. */
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly bounds: DispatchCacheBounds,
  ) {}

  uniformBuffer(bytes: ArrayBuffer): GPUBuffer {
    const key = String.fromCharCode(...new Uint16Array(bytes));
    let buffer = takeEntry(this.uniformBuffers, key);
    if (!buffer) {
      buffer = this.device.createBuffer({ size: bytes.byteLength, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true });
      new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(bytes));
      buffer.unmap();
    }
    this.uniformBuffers.set(key, buffer);
    return buffer;
  }

  /** A bind group of `buffers`, each whole, at bindings 0, 1, … of the pipeline's group 0. */
  bindGroup(pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
    const key = [pipeline, ...buffers].map((o) => this.idOf(o)).join(',');
    let bindGroup = takeEntry(this.bindGroups, key);
    if (!bindGroup) {
      let layout = this.layouts.get(pipeline);
      if (!layout) this.layouts.set(pipeline, (layout = pipeline.getBindGroupLayout(0)));
      bindGroup = this.device.createBindGroup({ layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
      if (this.bindGroups.size >= this.bounds.bindGroups) this.bindGroups.delete(this.bindGroups.keys().next().value!);
    }
    this.bindGroups.set(key, bindGroup);
    return bindGroup;
  }

  /** Only between submits: a buffer destroyed while recorded commands use it would fail their submit. */
  trimUniformBuffers(): void {
    for (const [key, buffer] of this.uniformBuffers) {
      if (this.uniformBuffers.size <= this.bounds.uniformBuffers) break;
      buffer.destroy();
      this.uniformBuffers.delete(key);
    }
  }

  clear(): void {
    for (const buffer of this.uniformBuffers.values()) buffer.destroy();
    this.uniformBuffers.clear();
    this.bindGroups.clear();
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }
}

/** The entry under `key`, taken out of `map` (the caller puts it back as the most recently used). */
function takeEntry<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value !== undefined) map.delete(key);
  return value;
}
