import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../tf';
import { packUniforms, recordDispatch } from '../cachedDispatch';

/**
 * A compute program of CurveLab's own that writes several outputs in one dispatch, where TF.js's
 * programs write one (so that a kernel with two results took two dispatches). Its WGSL is whole here:
 * the outputs (float32, read_write) at bindings 0…, then the inputs (read), then a uniform block of
 * scalars if it has any, recorded like TF.js's own dispatches (cachedDispatch.ts). Its code must use
 * every input and uniform it declares: the pipeline's layout is the one its code implies.
 */
export interface MultiOutputProgram {
  /** Names the shader code: one pipeline per key, so sizes go in uniforms, not in the code. */
  key: string;
  inputs: { name: string; tensor: tf.TensorInfo }[];
  /** float32 outputs, made by the run. */
  outputs: { name: string; shape: number[] }[];
  /** 32-bit scalars, in this order: `uniforms.<name>` in the code. */
  uniforms: { name: string; type: 'i32' | 'f32'; value: number }[];
  workgroupSize: number;
  /** Workgroups of `workgroupSize` invocations, more than a dispatch's x allows included. */
  workgroups: number;
  /** WGSL: helper functions, then the body of main, where `index` is the invocation's number, from 0. */
  functions?: string;
  main: string;
}

/**
 * Runs `program` on the backend and returns its outputs. Compiled once per key into the backend's own
 * pipeline cache, which TF.js's compile-only mode fills asynchronously (a run's step compiled before
 * it, RunState.compileFirstSteps) and checkCompileCompletionAsync completes; nothing is dispatched then.
 */
export function runMultiOutputProgram(backend: WebGPUBackend, program: MultiOutputProgram): tf.TensorInfo[] {
  // TF.js 4.22's map of compiled pipelines (private in its typings): pipelines or, while compiling, promises.
  const pipelines = (backend as unknown as { pipelineCache: Record<string, GPUComputePipeline | Promise<GPUComputePipeline>> }).pipelineCache;
  const outputs = program.outputs.map((o) => backend.makeTensorInfo(o.shape, 'float32'));
  const tensors = [...outputs, ...program.inputs.map((i) => i.tensor)];
  for (const t of tensors) backend.uploadToGPU(t.dataId);

  const key = `curvelabMultiOutput_${program.key}`;
  const compileOnly = tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY');
  let pipeline = pipelines[key];
  if (!pipeline || (pipeline instanceof Promise && !compileOnly)) {
    const module = backend.device.createShaderModule({ code: shaderCode(program), label: key });
    const descriptor: GPUComputePipelineDescriptor = { layout: 'auto', compute: { module, entryPoint: 'main' }, label: key };
    pipeline = pipelines[key] = compileOnly ? backend.device.createComputePipelineAsync(descriptor) : backend.device.createComputePipeline(descriptor);
  }
  if (compileOnly) return outputs;

  const buffers = tensors.map((t) => backend.tensorMap.get(t.dataId).resource as GPUBuffer);
  // Past the device's workgroups per dimension (65,535 by default) the workgroups go in rows of that many.
  const perRow = backend.device.limits.maxComputeWorkgroupsPerDimension;
  const dispatch: [number, number, number] = program.workgroups <= perRow ? [program.workgroups, 1, 1] : [perRow, Math.ceil(program.workgroups / perRow), 1];
  recordDispatch(backend, pipeline as GPUComputePipeline, buffers, uniformBytes(program), dispatch, tensors);
  return outputs;
}

/** The uniforms packed as WGSL lays them out, padded to a multiple of 16 bytes; null without any. */
function uniformBytes(program: MultiOutputProgram): ArrayBuffer | null {
  if (program.uniforms.length === 0) return null;
  const packed = packUniforms(program.uniforms.map((u) => ({ type: u.type === 'i32' ? 'int32' : 'float32', data: [u.value] })));
  const padded = new Uint8Array(Math.ceil(packed.byteLength / 16) * 16);
  padded.set(new Uint8Array(packed));
  return padded.buffer;
}

/**
 * isnan(x) and isinf(x), which TF.js's shaders define and WGSL does not: so that WGSL shared with TF.js
 * programs (curveballScalarFunctions.ts, softmaxRow.ts) compiles here too. Exponent all ones: NaN with a
 * fraction, ±∞ without.
 */
const IS_NAN_IS_INF = `
    fn isnan(value : f32) -> bool {
      return (bitcast<u32>(value) & 0x7fffffffu) > 0x7f800000u;
    }
    fn isinf(value : f32) -> bool {
      return (bitcast<u32>(value) & 0x7fffffffu) == 0x7f800000u;
    }`;

function shaderCode(program: MultiOutputProgram): string {
  const bindings = [
    ...program.outputs.map((o, i) => `@group(0) @binding(${i}) var<storage, read_write> ${o.name} : array<f32>;`),
    ...program.inputs.map(
      (input, i) =>
        `@group(0) @binding(${program.outputs.length + i}) var<storage, read> ${input.name} : array<${input.tensor.dtype === 'int32' ? 'i32' : 'f32'}>;`,
    ),
  ];
  // A pipeline's layout ('auto') holds only the bindings its code uses: every input and uniform must be.
  const uniforms =
    program.uniforms.length === 0
      ? ''
      : `struct Uniforms { ${program.uniforms.map((u) => `${u.name} : ${u.type},`).join(' ')} };
    @group(0) @binding(${program.outputs.length + program.inputs.length}) var<uniform> uniforms : Uniforms;`;
  return `
    ${bindings.join('\n    ')}
    ${uniforms}
    ${IS_NAN_IS_INF}
    ${program.functions ?? ''}
    @compute @workgroup_size(${program.workgroupSize})
    fn main(@builtin(global_invocation_id) globalId : vec3<u32>, @builtin(num_workgroups) workgroups : vec3<u32>) {
      let index = i32(globalId.y * workgroups.x * ${program.workgroupSize}u + globalId.x);
      ${program.main}
    }`;
}
