import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled addon (native/, built by `npm run build:native`): pure functions over Float32Arrays in
 * NHWC layout that write into output arrays the caller allocates. Argument errors throw TypeError or
 * RangeError naming the function and the argument; sizes are checked against the geometry.
 */
export interface NativeAddon {
  info(): NativeAddonInfo;
  /**
   * Makes glibc's malloc keep freed memory for reuse (arrays up to 32 MB from the heap, up to 256 MB of
   * free heap kept), so that fresh kernel outputs do not page-fault; false where that does not apply.
   */
  reuseFreedMemory(): boolean;
  /** The most BLAS threads one product may use (small products use one); OPENBLAS_NUM_THREADS sets the default. */
  setBlasThreads(threads: number): void;
  /** out[i] = op(a[i % batchA]) · op(b[i % batchB]), each m×n (TF.js's broadcasting of batches). */
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batch: number,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, geometry: WindowGeometry): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: WindowGeometry): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: WindowGeometry): void;
  maxPool(x: Float32Array, out: Float32Array, argmax: Int32Array | null, geometry: WindowGeometry, includeBatchInIndex: boolean): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, geometry: WindowGeometry): void;
  avgPool(x: Float32Array, out: Float32Array, geometry: WindowGeometry): void;
  avgPoolGrad(dy: Float32Array, dx: Float32Array, geometry: WindowGeometry): void;
  /** out = a op b with broadcasting; out may be a itself when a has the output's shape. */
  binary(op: BinaryOpName, a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], out: Float32Array, outShape: number[]): void;
  relu(x: Float32Array, out: Float32Array): void;
  step(x: Float32Array, out: Float32Array, alpha: number): void;
  /** out = alpha·a + beta·b, elementwise (arrays of one length). */
  axpby(alpha: number, a: Float32Array, beta: number, b: Float32Array, out: Float32Array): void;
  /** out = alpha·a + beta·b², elementwise (arrays of one length). */
  axpbySquare(alpha: number, a: Float32Array, beta: number, b: Float32Array, out: Float32Array): void;
  /** out = a/(√b + epsilon), elementwise (arrays of one length). */
  divideByRoot(a: Float32Array, b: Float32Array, epsilon: number, out: Float32Array): void;
  /**
   * out[p] = ⟨arrays[pairs[2p]], arrays[pairs[2p+1]]⟩ in float64, for arrays of one length; an array
   * shared by several pairs is read from memory once.
   */
  innerProducts(arrays: Float32Array[], pairs: Int32Array, out: Float64Array): void;
  /** out = step(y)·dy, elementwise: ReLU's derivative (from its output y) times dy. */
  reluDerivativeTimes(y: Float32Array, dy: Float32Array, out: Float32Array): void;
  /** x as [outer, reduce, inner] summed over the middle axis into out [outer, inner] (in float64). */
  sum(x: Float32Array, out: Float32Array, outer: number, reduce: number, inner: number): void;
  /** x as [outer, dim, inner]; out[o, i] = x[o, indices[i]]. Returns −1, or the position of the first bad index. */
  gather(x: Float32Array, indices: Int32Array, out: Float32Array, outer: number, dim: number, inner: number): number;
}

export interface NativeAddonInfo {
  /** "OpenBLAS 0.3.21" or "Accelerate". */
  blas: string;
  /** OpenBLAS's kernels for this CPU ("Haswell"); empty for Accelerate. */
  blasCore: string;
  blasThreads: number;
  /** Threads of the addon's own pool (im2col, pooling, elementwise), the caller included. */
  poolThreads: number;
}

export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div';

/**
 * A convolution or pooling window over NHWC data, with dilation 1: the output size and the padding before
 * the first row and column, as TF.js's computeConv2DInfo / computePool2DInfo work them out.
 */
export interface WindowGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Pooling: the same as inChannels. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

export const ADDON_FILE = join('native', 'build', 'Release', 'curvelab_native.node');

/** Thrown when the addon is not built or does not load; the message says how to get it. */
export class NativeAddonUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NativeAddonUnavailableError';
  }
}

const HOW_TO_BUILD =
  process.platform === 'darwin'
    ? 'install the Xcode command line tools (xcode-select --install), then run `npm run build:native`'
    : 'install OpenBLAS and a C++ toolchain (Debian/Ubuntu: apt-get install libopenblas-dev g++ make python3), then run `npm run build:native`';

let loaded: NativeAddon | null = null;

/** Loads the addon once per thread; throws NativeAddonUnavailableError saying what is missing. */
export function loadNativeAddon(): NativeAddon {
  if (loaded) return loaded;
  const override = process.env.CURVELAB_NATIVE_ADDON;
  const path = override ? (existsSync(override) ? override : null) : findAddon();
  if (!path) {
    const missing = override ? `CURVELAB_NATIVE_ADDON names ${override}, which does not exist` : `${ADDON_FILE} is missing`;
    throw new NativeAddonUnavailableError(`the native CPU kernels are not built (${missing}): ${HOW_TO_BUILD}`);
  }
  try {
    loaded = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new NativeAddonUnavailableError(`the native CPU kernels (${path}) do not load: ${reason}; ${HOW_TO_BUILD} again`);
  }
  return loaded;
}

/**
 * The addon sits under the package root, which is some levels above this module: three in the source
 * tree (src-main/engine/native), fewer in a bundled build. (CURVELAB_NATIVE_ADDON names another file.)
 */
function findAddon(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 6; level++) {
    const candidate = join(dir, ADDON_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
