import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../tf';

/**
 * What CurveLab's own WGSL kernels share. Each runs as a WebGPUProgram through the backend's
 * runWebGPUProgram, which declares the bindings (`result` at 0, the inputs in `variableNames` order,
 * then the uniforms: NAN, INFINITY, each input's and the output's shape and strides, then the
 * program's own) around the program's `main`. Sizes reach the shader as uniforms, not as constants in
 * its code, so that one compiled pipeline serves every shape of a kind.
 */

/** What a kernel function receives on the webgpu backend. */
export interface WebGpuKernelArgs<Attrs> {
  inputs: tf.NamedTensorInfoMap;
  attrs: Attrs;
  backend: WebGPUBackend;
}

/** A kernel of the engine's fused operations (ops/fusedKernels.ts) for the webgpu backend. */
export function webGpuKernel<Attrs>(kernelName: string, run: (args: WebGpuKernelArgs<Attrs>) => tf.TensorInfo | tf.TensorInfo[]): tf.KernelConfig {
  return { kernelName, backendName: 'webgpu', kernelFunc: (args) => run(args as unknown as WebGpuKernelArgs<Attrs>) };
}

/** The same tensor seen as a flat vector (the same buffer): elementwise programs index it by flat position. */
export function flat(t: tf.TensorInfo): tf.TensorInfo {
  return { dataId: t.dataId, dtype: t.dtype, shape: [tf.util.sizeFromShape(t.shape)] };
}

/** The named input, which the op layer guarantees to be float32 (or else the kernel was misused). */
export function float32Input(kernelName: string, inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t || t.dtype !== 'float32') throw new Error(`${kernelName} takes a float32 input '${name}'`);
  return t;
}

/**
 * The pairs of inputs a0, b0, a1, b1, … (ops/fusedKernels.ts pairInputs), each float32 and of one size;
 * other inputs (a kernel's scalars) are left aside.
 */
export function pairsOf(kernelName: string, inputs: tf.NamedTensorInfoMap): [tf.TensorInfo, tf.TensorInfo][] {
  const count = Object.keys(inputs).filter((key) => /^a\d+$/.test(key)).length;
  return Array.from({ length: count }, (_, i): [tf.TensorInfo, tf.TensorInfo] => {
    const pair: [tf.TensorInfo, tf.TensorInfo] = [float32Input(kernelName, inputs, `a${i}`), float32Input(kernelName, inputs, `b${i}`)];
    if (tf.util.sizeFromShape(pair[0].shape) !== tf.util.sizeFromShape(pair[1].shape)) throw new Error(`${kernelName} takes pairs of one shape (pair ${i})`);
    return pair;
  });
}

/**
 * A kernel over pairs a0, b0, a1, b1, … that writes `expression` of A[index] and B[index] for each pair,
 * one dispatch per pair (each output is its own buffer, and a program writes one). Its attributes are
 * f32 uniforms (uniforms.<name> in the expression), so that one pipeline serves every value.
 */
export function pairwiseKernel<Attrs extends { [K in keyof Attrs]: number }>(kernelName: string, expression: string, attrNames: (keyof Attrs & string)[]): tf.KernelConfig {
  return webGpuKernel<Attrs>(kernelName, ({ inputs, attrs, backend }) =>
    pairsOf(kernelName, inputs).map(([a, b]) => {
      const uniforms = attrNames.map((name) => `${name} : f32,`).join(' ');
      const program = elementwiseProgram(kernelName, ['A', 'B'], tf.util.sizeFromShape(a.shape), `setOutputAtIndex(index, ${expression});`, uniforms);
      return runFlat(backend, program, [a, b], a.shape, attrNames.map((name): ProgramUniform => ({ type: 'float32', data: [attrs[name]] })));
    }),
  );
}

/**
 * A program over a flat output of `size` elements, one invocation per element, `index` being the
 * element; `body` writes it with setOutputAtIndex(index, …), and may call the WGSL `functions`.
 */
export function elementwiseProgram(shaderKey: string, variableNames: string[], size: number, body: string, uniforms?: string, functions = ''): WebGPUProgram {
  const workgroupSize: [number, number, number] = [64, 1, 1];
  return {
    shaderKey,
    variableNames,
    outputShape: [size],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(size / workgroupSize[0]), 1, 1],
    workgroupSize,
    size: true,
    uniforms,
    getUserCode: () => `
      ${functions}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * step(y), ReLU's derivative as TF.js's Step has it: 1 for y > 0, NaN for NaN, else 0. The unfused
 * ops multiply by it, so 0·∞ and 0·NaN give NaN here as there.
 */
export const STEP_OF = `
  fn stepOf(y : f32) -> f32 {
    if (isnan(y)) {
      return y;
    }
    return select(0.0, 1.0, y > 0.0);
  }`;

/** Runs `program` into a new float32 tensor of `shape`, which the program sees as flat. */
export function runFlat(backend: WebGPUBackend, program: WebGPUProgram, inputs: tf.TensorInfo[], shape: number[], uniforms?: ProgramUniform[]): tf.TensorInfo {
  const output = backend.makeTensorInfo(shape, 'float32');
  backend.runWebGPUProgram(program, inputs.map(flat), 'float32', uniforms, flat(output));
  return output;
}

/** A program-defined uniform value, in the order of the program's `uniforms` declaration. */
export type ProgramUniform = { type: 'float32' | 'int32'; data: number[] };
