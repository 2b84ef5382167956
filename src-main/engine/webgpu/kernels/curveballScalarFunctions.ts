import { float32EigenvalueCutoff } from '../../optim/pseudoInverse2x2OnDevice';

/**
 * WGSL functions of CurveBall's scalars on the device, shared by the kernels that compute them (the 2×2
 * solve, finite-or-zero, the step sizes), each doing in one invocation what the TF.js ops of
 * optim/pseudoInverse2x2OnDevice.ts and optim/stepScalars.ts do, in their order.
 */

/**
 * finiteOrZero(x): x where it is finite and not zero, else +0 (−0, NaN and ±∞ become +0). Finite is tested
 * on the bits (exponent not all ones) and zero by comparison (true for −0), so that no compiler's view of
 * x + 0 matters.
 */
export const FINITE_OR_ZERO = `
  fn finiteOrZero(value : f32) -> f32 {
    let notFinite = (bitcast<u32>(value) & 0x7f800000u) == 0x7f800000u;
    return select(value, 0.0, notFinite || value == 0.0);
  }`;

/**
 * pseudoInverseSolve2x2(a11, a12, a22, b1, b2): m = pinv(A)·b as (m0, m1), by the half-angle Jacobi
 * rotation and float32 cutoff of pseudoInverseSolve2x2OnDevice, with TF.js's webgpu semantics where they
 * matter (maximum propagates NaN).
 */
export const PSEUDO_INVERSE_SOLVE_2X2 = `
  fn maxNaN(a : f32, b : f32) -> f32 {
    if (isnan(a)) { return a; }
    if (isnan(b)) { return b; }
    return max(a, b);
  }

  fn pseudoInverseSolve2x2(a11 : f32, a12 : f32, a22 : f32, b1 : f32, b2 : f32) -> vec2<f32> {
    let diagonalDifference = a11 - a22;
    let twiceOffDiagonal = 2.0 * a12;
    let scale = maxNaN(abs(diagonalDifference), abs(twiceOffDiagonal));
    let d = diagonalDifference / scale;
    let o = twiceOffDiagonal / scale;
    let r = scale * sqrt(d * d + o * o);
    let rotates = r > 0.0;
    let cos2 = select(1.0, diagonalDifference / r, rotates);
    let sin2 = select(0.0, twiceOffDiagonal / r, rotates);
    let cosLarger = cos2 >= 0.0;
    let root = sqrt(0.5 * (1.0 + abs(cos2)));
    let other = sin2 / (2.0 * root);
    let c = select(other, root, cosLarger);
    let s = select(root, other, cosLarger);
    let x = array<f32, 2>(c, -s);
    let y = array<f32, 2>(s, c);
    var values : array<f32, 2>;
    for (var i = 0; i < 2; i = i + 1) {
      values[i] = a11 * x[i] * x[i] + 2.0 * a12 * x[i] * y[i] + a22 * y[i] * y[i];
    }
    let cutoff = ${float32EigenvalueCutoff} * maxNaN(abs(values[0]), abs(values[1]));
    var m = vec2<f32>(0.0, 0.0);
    for (var i = 0; i < 2; i = i + 1) {
      let kept = abs(values[i]) > cutoff;
      let coefficient = (x[i] * b1 + y[i] * b2) / values[i];
      m = m + select(vec2<f32>(0.0, 0.0), coefficient * vec2<f32>(x[i], y[i]), kept);
    }
    return m;
  }`;
