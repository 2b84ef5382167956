import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, expect, it } from 'vitest';
import {
  axpbyScalarsKernelName,
  fusedKernelNames,
  hasFusedKernel,
  heavyBallStepEach,
  heavyBallStepKernelName,
  maxPoolGrad,
  maxPoolGradAtArgmaxKernelName,
  maxPoolWithArgmax,
  sumOverLeadingAxes,
  sumOverLeadingAxesKernelName,
} from '../../ops';
import type { DenseAttrs } from '../../ops/fusedKernels';
import { axpbySquareCases, divideByRootCases, expectValues } from '../../ops/rootOfSquares.testkit';
import { randomTensor } from '../../nn/derivativeChecks.testkit';
import { pseudoInverseSolve2x2KernelName, pseudoInverseSolve2x2OnDevice } from '../../optim/pseudoInverse2x2OnDevice';
import { curveballStepSizesKernelName, finiteOrZeroKernelName, type CurveballStepSizesAttrs } from '../../optim/stepScalars';
import { pseudoInverseSolve2x2 } from '../../../shared/pseudoInverse2x2';
import { Rng } from '../../rng';
import { tf } from '../../tf';
import { disposeWebGpu } from '../loadWebGpuBackend';
import { computeOn, describeWithWebGpu, maxRelativeError, setUpWebGpuForTests } from '../webgpuTestSetup.testkit';

/**
 * CurveLab's WGSL kernels on webgpu (run by name, as the ops call them) against the same quantities
 * computed by TF.js's own ops on the cpu backend, on shapes that are no multiples of the tiles and
 * workgroups: m = 1, k = 1, n = 1, rows over a workgroup. Float32 on both sides, summed in other orders.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

const TOLERANCE = 1e-5;

type Computation = () => Record<string, tf.Tensor>;

/** The kernel's outputs on webgpu and the reference's on cpu, from the same seeded inputs, output by output. */
async function expectKernelMatches(onWebGpu: Computation, onCpu: Computation, tolerance = TOLERANCE): Promise<void> {
  const gpu = await computeOn('webgpu', onWebGpu);
  const cpu = await computeOn('cpu', onCpu);
  expect(Object.keys(gpu)).toEqual(Object.keys(cpu));
  for (const key of Object.keys(cpu)) {
    expect(gpu[key].length, key).toBe(cpu[key].length);
    const error = maxRelativeError(gpu[key], cpu[key]);
    expect(error, `${key}: max error ${error} of its scale`).toBeLessThan(tolerance);
  }
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}

/** Values in [−1, 1] with exact zeros among them (ReLU's kink) and negatives, from a seed. */
function withZeros(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 5 === 0 ? 0 : 2 * rng.uniform() - 1)), shape);
}

describeWithWebGpu('CurveLab kernels on webgpu against TF.js ops on cpu', setup, () => {
  it('registers every fused kernel of the ops, and CurveBall\'s 2×2 solve, for webgpu', async () => {
    await tf.setBackend('webgpu');
    for (const name of [...Object.values(fusedKernelNames), axpbyScalarsKernelName, curveballStepSizesKernelName, finiteOrZeroKernelName, heavyBallStepKernelName, maxPoolGradAtArgmaxKernelName, pseudoInverseSolve2x2KernelName, sumOverLeadingAxesKernelName]) expect(hasFusedKernel(name), name).toBe(true);
  });

  const denseShapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 5, 3],
    [3, 1, 4],
    [17, 33, 19],
    [37, 16, 1],
    [33, 70, 17],
  ];
  for (const [m, k, n] of denseShapes) {
    for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false], [true, true]]) {
      it(`CurvelabDense ${transposeA ? `(${k}×${m})ᵀ` : `${m}×${k}`} by ${transposeB ? `(${n}×${k})ᵀ` : `${k}×${n}`}: bias none, [n] and [m, n]; linear and relu; with and without a ReLU mask`, async () => {
        const variants = (['none', 'row', 'full'] as const).flatMap((bias) =>
          (['linear', 'relu'] as const).flatMap((activation) => [false, true].map((masked) => ({ bias, activation, masked }))),
        );
        const inputs = () => {
          const rng = new Rng(m * 1000 + k * 10 + n);
          return {
            a: randomTensor(rng, transposeA ? [k, m] : [m, k]),
            b: randomTensor(rng, transposeB ? [n, k] : [k, n]),
            row: randomTensor(rng, [n]),
            full: randomTensor(rng, [m, n]),
            mask: withZeros(rng, [m, n]),
          };
        };
        const outputs = (compute: (x: ReturnType<typeof inputs>, v: (typeof variants)[number]) => tf.Tensor): Computation => () => {
          const x = inputs();
          return Object.fromEntries(variants.map((v) => [`${v.bias} ${v.activation} ${v.masked ? 'masked' : ''}`, compute(x, v)]));
        };
        await expectKernelMatches(
          outputs((x, v) => {
            const kernelInputs: tf.NamedTensorMap = { a: x.a, b: x.b };
            if (v.bias !== 'none') kernelInputs.bias = x[v.bias];
            if (v.masked) kernelInputs.reluOutput = x.mask;
            const attrs: DenseAttrs = { transposeA, transposeB, activation: v.activation };
            return runKernel(fusedKernelNames.dense, kernelInputs, attrs) as tf.Tensor;
          }),
          outputs((x, v) => {
            let y = tf.matMul(x.a, x.b, transposeA, transposeB);
            if (v.bias !== 'none') y = tf.add(y, x[v.bias]);
            if (v.activation === 'relu') y = tf.relu(y);
            return v.masked ? tf.mul(tf.step(x.mask), y) : y;
          }),
          1e-4,
        );
      });
    }
  }

  // Rows up to one chunk (4,096: a dense layer's batch) and above it (a convolution's batch × positions,
  // whose chunk sums a second dispatch adds), columns within and across the 16 of a workgroup.
  const sumShapes: number[][] = [[1, 1], [7, 3], [130, 17], [5000, 33], [3, 70, 70, 8], [2, 4100, 1]];
  for (const shape of sumShapes) {
    it(`CurvelabSumOverLeadingAxes of ${shape.join('×')}: the sum over every axis but the last`, async () => {
      const x = () => randomTensor(new Rng(shape.reduce((a, b) => a * b, 1)), shape);
      await expectKernelMatches(
        () => ({ sum: runKernel(sumOverLeadingAxesKernelName, { x: x() }) as tf.Tensor }),
        () => ({ sum: tf.sum(x(), shape.slice(0, -1).map((_, axis) => axis)) }),
      );
    });
  }

  it('CurvelabHeavyBallStep: z\' = ρ·z − β·dz and w\' = w + z\' for each tensor, against TF.js ops on cpu', async () => {
    const shapes = [[1], [5, 3], [64], [33, 17]];
    const inputs = () => {
      const rng = new Rng(15);
      return { rho: tf.scalar(0.9), beta: tf.scalar(-0.3), tensors: shapes.map((shape) => [randomTensor(rng, shape), randomTensor(rng, shape), randomTensor(rng, shape)]) };
    };
    await expectKernelMatches(
      () => {
        const { rho, beta, tensors } = inputs();
        const { steps, weights } = heavyBallStepEach(rho, tensors.map((t) => t[0]), beta, tensors.map((t) => t[1]), tensors.map((t) => t[2]));
        return Object.fromEntries([...steps.map((t, i) => [`step ${i}`, t]), ...weights.map((t, i) => [`weights ${i}`, t])]);
      },
      () => {
        const { rho, beta, tensors } = inputs();
        const steps = tensors.map(([z, dz]) => tf.sub(tf.mul(rho, z), tf.mul(beta, dz)));
        return Object.fromEntries([...steps.map((t, i) => [`step ${i}`, t]), ...steps.map((t, i) => [`weights ${i}`, tf.add(tensors[i][2], t)])]);
      },
    );
    await tf.setBackend('webgpu');
    const profile = await tf.profile(() => tf.tidy(() => heavyBallStepEach(tf.scalar(1), [tf.ones([3])], tf.scalar(2), [tf.ones([3])], [tf.ones([3])]).weights[0].dataSync()));
    expect(profile.kernelNames).toEqual([heavyBallStepKernelName]);
  });

  it('CurvelabMaxPoolGradAtArgmax is the adjoint of the tangent gathered at the argmax, ties (ReLU zeros) included', async () => {
    // ⟨gather(dx, argmax), dy⟩ = ⟨dx, maxPoolGrad(dy)⟩ for any dx and dy: the max-pool layer's JVP and VJP.
    for (const [window, strides, pad] of [[[2, 2], [2, 2], 'valid'], [[3, 3], [2, 2], 'same'], [[3, 2], [1, 2], 'same']] as const) {
      const out = await computeOn('webgpu', () => {
        const rng = new Rng(14);
        const x = tf.relu(randomTensor(rng, [2, 7, 6, 3])) as tf.Tensor4D;
        const { output, argmax } = maxPoolWithArgmax(x, [...window], [...strides], pad);
        const dx = randomTensor(rng, x.shape);
        const dy = randomTensor(rng, output.shape);
        const grad = maxPoolGrad(dy, { input: x, output, argmax }, [...window], [...strides], pad);
        return { tangent: tf.gather(tf.reshape(dx, [-1]), argmax), dy, dx, grad };
      });
      const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);
      const [left, right] = [dot(out.tangent, out.dy), dot(out.dx, out.grad)];
      expect(Math.abs(left - right), `${window} window, stride ${strides}, ${pad}: ${left} vs ${right}`).toBeLessThan(1e-5 * Math.abs(left));
    }
  });

  it('sumOverLeadingAxes runs the kernel on webgpu and gives the hand-computed column sums', async () => {
    await tf.setBackend('webgpu');
    const profile = await tf.profile(() => tf.tidy(() => Array.from(sumOverLeadingAxes(tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, -8]]])).dataSync())));
    expect(profile.result).toEqual([16, 4]);
    expect(profile.kernelNames).toEqual([sumOverLeadingAxesKernelName]);
  });

  const logitShapes: [number, number][] = [
    [1, 1],
    [4, 1],
    [1, 10],
    [7, 3],
    [130, 10],
    [300, 17],
  ];
  for (const [n, c] of logitShapes) {
    it(`CurvelabSoftmaxCrossEntropy and its Hessian-vector product, logits ${n}×${c}, labels in and out of range`, async () => {
      const inputs = () => {
        const rng = new Rng(n + c);
        // Every 7th label is out of range (−1 or C): it adds nothing to the loss nor to the accuracy.
        const labels = Int32Array.from({ length: n }, (_, i) => (i % 7 === 6 ? (i % 2 === 0 ? -1 : c) : rng.int(c)));
        return { logits: randomTensor(rng, [n, c], 3), labels: tf.tensor1d(labels, 'int32'), v: randomTensor(rng, [n, c]) };
      };
      await expectKernelMatches(
        () => {
          const { logits, labels, v } = inputs();
          const [numbers, gradient] = runKernel(fusedKernelNames.softmaxCrossEntropy, { logits, labels }) as tf.Tensor[];
          return { numbers, gradient, hessianVector: runKernel(fusedKernelNames.softmaxCrossEntropyHessianVector, { logits, v }) as tf.Tensor };
        },
        () => {
          const { logits, labels, v } = inputs();
          // tf.oneHot wants C ≥ 2; C = 1 is a case here.
          const oneHot = tf.cast(tf.equal(tf.expandDims(tf.range(0, c, 1, 'int32'), 0), tf.expandDims(labels, 1)), 'float32');
          const logP = tf.logSoftmax(logits);
          const p = tf.softmax(logits);
          const loss = tf.div(tf.neg(tf.sum(tf.mul(oneHot, logP))), n);
          const accuracy = tf.div(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')), n);
          const pv = tf.mul(p, v);
          return {
            numbers: tf.stack([loss, accuracy]),
            gradient: tf.div(tf.sub(p, oneHot), n),
            hessianVector: tf.div(tf.sub(pv, tf.mul(p, tf.sum(pv, 1, true))), n),
          };
        },
      );
    });
  }

  it('CurvelabSoftmaxCrossEntropy: a NaN or +∞ logit makes its row and the loss NaN, and leaves other rows alone', async () => {
    const out = await computeOn('webgpu', () => {
      const logits = tf.tensor2d([
        [1, NaN, 0],
        [0, Infinity, 1],
        [2, 0, 0],
      ]);
      const [numbers, gradient] = runKernel(fusedKernelNames.softmaxCrossEntropy, { logits, labels: tf.tensor1d([0, 1, 0], 'int32') }) as tf.Tensor[];
      return { numbers, gradient, hessianVector: runKernel(fusedKernelNames.softmaxCrossEntropyHessianVector, { logits, v: tf.onesLike(logits) }) as tf.Tensor };
    });
    expect(Number.isNaN(out.numbers[0])).toBe(true);
    expect(Array.from(out.gradient.slice(0, 6)).every(Number.isNaN)).toBe(true);
    expect(Array.from(out.hessianVector.slice(0, 6)).every(Number.isNaN)).toBe(true);
    // Row 2: p = (e², 1, 1)/(e² + 2), label 0: gradient (p − e₀)/3; H·1 = p ⊙ (1 − Σp)/3 = 0.
    const e2 = Math.exp(2);
    const p = [e2, 1, 1].map((x) => x / (e2 + 2));
    Array.from(out.gradient.slice(6)).forEach((g, j) => expect(g).toBeCloseTo((p[j] - (j === 0 ? 1 : 0)) / 3, 6));
    Array.from(out.hessianVector.slice(6)).forEach((h) => expect(h).toBeCloseTo(0, 6));
  });

  const elementwiseShapes: number[][] = [[1], [7], [3, 5], [2, 3, 3, 4], [1000]];
  it(`CurvelabReluDerivativeTimes: step(y)·dy, 0 at the kink (shapes ${elementwiseShapes.map((s) => s.join('×')).join(', ')})`, async () => {
    const inputs = () => {
      const rng = new Rng(4);
      return elementwiseShapes.map((shape) => [withZeros(rng, shape), randomTensor(rng, shape)]);
    };
    await expectKernelMatches(
      () => Object.fromEntries(inputs().map(([y, dy], i) => [`${i}`, runKernel(fusedKernelNames.reluDerivativeTimes, { y, dy }) as tf.Tensor])),
      () => Object.fromEntries(inputs().map(([y, dy], i) => [`${i}`, tf.mul(tf.step(y), dy)])),
    );
  });

  for (const [alpha, beta] of [
    [1, -0.01],
    [0.9, 2.5],
  ]) {
    it(`CurvelabAxpby ${alpha}·a + ${beta}·b, one output per pair`, async () => {
      const inputs = () => {
        const rng = new Rng(5);
        return elementwiseShapes.map((shape) => [randomTensor(rng, shape), randomTensor(rng, shape)]);
      };
      const pairInputs = (pairs: tf.Tensor[][]) => Object.fromEntries(pairs.flatMap(([a, b], i) => [[`a${i}`, a], [`b${i}`, b]]));
      await expectKernelMatches(
        () => Object.fromEntries((runKernel(fusedKernelNames.axpby, pairInputs(inputs()), { alpha, beta }) as tf.Tensor[]).map((t, i) => [`${i}`, t])),
        () => Object.fromEntries(inputs().map(([a, b], i) => [`${i}`, tf.add(tf.mul(a, alpha), tf.mul(b, beta))])),
      );
    });
  }

  it('CurvelabAxpbyScalars: alpha and beta scalar tensors (a step size computed on the device), one output per pair', async () => {
    const inputs = () => {
      const rng = new Rng(7);
      return elementwiseShapes.map((shape) => [randomTensor(rng, shape), randomTensor(rng, shape)]);
    };
    const pairInputs = (pairs: tf.Tensor[][]) => Object.fromEntries(pairs.flatMap(([a, b], i) => [[`a${i}`, a], [`b${i}`, b]]));
    await expectKernelMatches(
      () => {
        const outputs = runKernel(axpbyScalarsKernelName, { alpha: tf.scalar(0.75), beta: tf.scalar(-3.5), ...pairInputs(inputs()) }) as tf.Tensor[];
        return Object.fromEntries(outputs.map((t, i) => [`${i}`, t]));
      },
      () => Object.fromEntries(inputs().map(([a, b], i) => [`${i}`, tf.add(tf.mul(a, 0.75), tf.mul(b, -3.5))])),
    );
  });

  it('CurvelabAxpbySquare and CurvelabDivideByRoot: alpha·a + beta·b² and a/(√b + ε), one output per pair', async () => {
    const inputs = () => {
      const rng = new Rng(9);
      return elementwiseShapes.map((shape) => [randomTensor(rng, shape), tf.square(randomTensor(rng, shape))]);
    };
    const outputs = (compute: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor[]): Computation => () =>
      Object.fromEntries(inputs().flatMap(([a, b], i) => compute(a, b).map((t, k) => [`${i} ${k}`, t])));
    await expectKernelMatches(
      outputs((a, b) => [
        ...(runKernel(fusedKernelNames.axpbySquare, { a0: a, b0: b }, { alpha: 0.999, beta: 0.001 }) as tf.Tensor[]),
        ...(runKernel(fusedKernelNames.divideByRoot, { a0: a, b0: b }, { epsilon: 1e-3 }) as tf.Tensor[]),
      ]),
      outputs((a, b) => [tf.add(tf.mul(a, 0.999), tf.mul(tf.square(b), 0.001)), tf.div(a, tf.add(tf.sqrt(b), 1e-3))]),
    );
  });

  it('CurvelabAxpbySquare and CurvelabDivideByRoot: the hand-worked values, NaN, infinities and zeros included', async () => {
    const out = await computeOn('webgpu', () => ({
      ...Object.fromEntries(
        axpbySquareCases.map((c, i) => [`axpbySquare ${i}`, (runKernel(fusedKernelNames.axpbySquare, { a0: tf.tensor1d(c.a), b0: tf.tensor1d(c.b) }, { alpha: c.alpha, beta: c.beta }) as tf.Tensor[])[0]]),
      ),
      ...Object.fromEntries(
        divideByRootCases.map((c, i) => [`divideByRoot ${i}`, (runKernel(fusedKernelNames.divideByRoot, { a0: tf.tensor1d(c.a), b0: tf.tensor1d(c.b) }, { epsilon: c.epsilon }) as tf.Tensor[])[0]]),
      ),
    }));
    axpbySquareCases.forEach((c, i) => expectValues(out[`axpbySquare ${i}`], c.expected, `axpbySquare alpha ${c.alpha}, beta ${c.beta}`));
    divideByRootCases.forEach((c, i) => expectValues(out[`divideByRoot ${i}`], c.expected, `divideByRoot epsilon ${c.epsilon}`));
  });

  it('CurvelabFiniteOrZero: finite values kept, NaN, ±∞ and −0 made +0 (by hand)', async () => {
    const values = [1.5, -2.25, 3e38, -1e-38, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const { out } = await computeOn('webgpu', () => ({ out: runKernel(finiteOrZeroKernelName, { x: tf.tensor1d(values) }) as tf.Tensor }));
    const expected = [1.5, -2.25, Math.fround(3e38), Math.fround(-1e-38), 0, 0, 0, 0, 0];
    expect(Array.from(out)).toEqual(expected);
    // +0, not −0: the step sizes a CurveBall step traces.
    expect(Array.from(out).map((v) => Object.is(v, -0))).toEqual(values.map(() => false));
  });

  it('CurvelabInnerProducts: pairs sharing tensors, more tensors than one dispatch binds, sizes 1 to 200 000', async () => {
    // 40 tensors: more than a dispatch binds on any adapter here (checked below), so the pairs go in several dispatches.
    const shapes = [[1], [255], [257], [3, 5], [784, 64], [200000], [33], ...Array.from({ length: 13 }, (_, i) => [i + 2])];
    await tf.setBackend('webgpu');
    expect(2 * shapes.length).toBeGreaterThan((tf.backend() as WebGPUBackend).device.limits.maxStorageBuffersPerShaderStage);
    const inputs = () => {
      const rng = new Rng(6);
      const tensors = shapes.flatMap((shape) => [randomTensor(rng, shape), randomTensor(rng, shape)]);
      // Each same-shape couple (2i, 2i+1) as ⟨x, x⟩, ⟨x, y⟩ and ⟨y, y⟩, as CurveBall's products come.
      const pairs: [tf.Tensor, tf.Tensor][] = [];
      for (let i = 0; i < tensors.length; i += 2) pairs.push([tensors[i], tensors[i]], [tensors[i], tensors[i + 1]], [tensors[i + 1], tensors[i + 1]]);
      for (let i = 0; i < tensors.length; i += 2) pairs.push([tensors[i + 1], tensors[i]]);
      return pairs;
    };
    await expectKernelMatches(
      () => ({ products: runKernel(fusedKernelNames.innerProducts, Object.fromEntries(inputs().flatMap(([a, b], i) => [[`a${i}`, a], [`b${i}`, b]]))) as tf.Tensor }),
      () => ({ products: tf.stack(inputs().map(([a, b]) => tf.sum(tf.mul(a, b)))) }),
      1e-4,
    );
  });

  it('CurvelabPseudoInverseSolve2x2: the device solve of TF.js ops (on cpu), regular, singular, rank-one, indefinite, non-finite and random', async () => {
    const rng = new Rng(8);
    const systems: number[][] = [
      [2, 1, 3, 1, 2],
      [4, 0, 0, 2, 0],
      [1, 3, 9, 1, 1],
      [1e4, 3e4, 9e4, 1e4, 1e4],
      [-2, 0, 5, 1, 1],
      [3, 0, 3, 1, -1],
      [NaN, 0, 1, 1, 1],
      [Infinity, 0, 0, 1, 1],
      [0, 0, 0, 1, 1],
      ...Array.from({ length: 20 }, () => Array.from({ length: 5 }, () => rng.normal() * 10 ** rng.int(4))),
    ];
    const solves = () =>
      Object.fromEntries(
        systems.map((system, i) => [`${i}`, tf.stack(pseudoInverseSolve2x2OnDevice(...(system.map((x) => tf.scalar(x)) as [tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar])))]),
      );
    const gpu = await computeOn('webgpu', solves);
    const cpu = await computeOn('cpu', solves);
    for (const key of Object.keys(cpu)) {
      const [m0, m1] = cpu[key];
      expect(maxRelativeError(gpu[key], cpu[key]), `system ${systems[Number(key)]}: webgpu ${gpu[key]}, cpu ${m0}, ${m1}`).toBeLessThan(1e-5);
    }
    // The singular and non-finite systems give exact zeros, as on the CPU.
    expect(gpu['1'][1]).toBe(0);
    for (const key of ['6', '7', '8']) expect(Array.from(gpu[key])).toEqual([0, 0]);
  });

  it('CurvelabCurveballStepSizes: β and ρ of the plane model from its products\' parts, against the float64 host solve', async () => {
    const rng = new Rng(12);
    // Parts per product as CurveBall lays them out: a product over 3 parameters has 3 parts, one over the
    // network's outputs 1; absent roles are empty ranges (no Hessian term, no penalty).
    const cases = [
      { partsPer: [3, 3, 3, 1, 1, 1, 1, 1, 3, 3], weightDecay: 0.01, damping: 0.5 },
      { partsPer: [3, 3, 3, 0, 0, 0, 3, 3, 0, 0], weightDecay: 0, damping: 2 },
      { partsPer: [2, 2, 2, 1, 1, 1, 1, 1, 0, 0], weightDecay: 0, damping: 1e-3 },
      // The first step: z = 0, so ⟨dz, z⟩, |z|² and every product with Jz are 0 (A singular): ρ = 0, β = b1/a11.
      { partsPer: [2, 2, 2, 1, 1, 1, 1, 1, 0, 0], weightDecay: 0, damping: 1, firstStep: true },
      // A non-finite product: both 0.
      { partsPer: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0], weightDecay: 0, damping: 1, nonFinite: true },
    ];
    for (const c of cases) {
      const parts: number[] = [];
      const ranges: number[] = [];
      c.partsPer.forEach((count, role) => {
        ranges.push(parts.length, parts.length + count);
        const zeroRole = c.firstStep && [1, 2, 4, 5, 7].includes(role);
        // A positive Gram and curvature (sums of squares), any sign for the rest.
        for (let i = 0; i < count; i++) parts.push(zeroRole ? 0 : [0, 2, 3, 5].includes(role) ? 1 + rng.uniform() : rng.normal());
      });
      if (c.nonFinite) parts[3] = NaN;
      const sum = (role: number): number => parts.slice(ranges[2 * role], ranges[2 * role + 1]).reduce((a, b) => a + b, 0);
      const [m0, m1] = pseudoInverseSolve2x2(
        c.damping * sum(0) + sum(3),
        c.damping * sum(1) + sum(4),
        c.damping * sum(2) + sum(5),
        sum(6) + c.weightDecay * sum(8),
        sum(7) + c.weightDecay * sum(9),
      );
      const expected = [m0, -m1].map((m) => (Number.isFinite(m) ? m : 0));
      const out = await computeOn('webgpu', () => {
        const attrs: CurveballStepSizesAttrs = { ranges, weightDecay: c.weightDecay };
        const [beta, rho] = runKernel(curveballStepSizesKernelName, { parts: tf.tensor1d(parts), damping: tf.scalar(c.damping) }, attrs) as tf.Tensor[];
        return { beta, rho };
      });
      const label = JSON.stringify(c);
      expect(maxRelativeError([out.beta[0], out.rho[0]], expected), `${label}: webgpu ${out.beta[0]}, ${out.rho[0]}; host ${expected}`).toBeLessThan(1e-5);
      if (c.firstStep) expect(out.rho[0]).toBe(0);
      if (c.nonFinite) expect([out.beta[0], out.rho[0]]).toEqual([0, 0]);
    }
  });
});
