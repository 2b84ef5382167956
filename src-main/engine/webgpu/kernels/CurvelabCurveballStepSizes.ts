import { CURVEBALL_PLANE_ROLES, curveballStepSizesKernelName, type CurveballStepSizesAttrs } from '../../optim/stepScalars';
import { tf } from '../../tf';
import { FINITE_OR_ZERO, PSEUDO_INVERSE_SOLVE_2X2 } from './curveballScalarFunctions';
import { runMultiOutputProgram } from './multiOutputProgram';
import { float32Input, webGpuKernel } from './webGpuKernel';

/**
 * CurveBall's β and ρ from the parts of its plane's inner products (optim/curveballPlane.ts) in one
 * invocation: each product summed from its parts, the damped model A, b, its 2×2 solve and β = m0,
 * ρ = −m1 made finite or zero, as stepSizesOf(planeModel(…)) does with one dispatch per scalar op; one
 * dispatch writes both (multiOutputProgram.ts). The ranges are constants of the shader: one pipeline per
 * model.
 */
export const curveballStepSizesConfig = webGpuKernel<CurveballStepSizesAttrs>(curveballStepSizesKernelName, ({ inputs, attrs, backend }) => {
  const name = curveballStepSizesKernelName;
  const parts = float32Input(name, inputs, 'parts');
  const damping = float32Input(name, inputs, 'damping');
  const size = tf.util.sizeFromShape(parts.shape);
  const { ranges } = attrs;
  const rangesFit = ranges.length === 2 * CURVEBALL_PLANE_ROLES.length && ranges.every((x, i) => Number.isInteger(x) && x >= (i % 2 === 1 ? ranges[i - 1] : 0) && x <= size);
  if (parts.shape.length !== 1 || damping.shape.length !== 0 || !rangesFit) {
    throw new Error(`${name} takes float32 parts [n], a float32 scalar damping and ${CURVEBALL_PLANE_ROLES.length} ranges [start, end) within the parts`);
  }
  const sums = CURVEBALL_PLANE_ROLES.map((role, i) => `let ${role} = sumOfParts(${ranges[2 * i]}, ${ranges[2 * i + 1]});`).join('\n      ');
  return runMultiOutputProgram(backend, {
    key: `curveballStepSizes_${ranges.join('_')}`,
    inputs: [
      { name: 'Parts', tensor: parts },
      { name: 'Damping', tensor: damping },
    ],
    outputs: [
      { name: 'Beta', shape: [] },
      { name: 'Rho', shape: [] },
    ],
    uniforms: [{ name: 'weightDecay', type: 'f32', value: attrs.weightDecay }],
    workgroupSize: 1,
    workgroups: 1,
    functions: `
      ${PSEUDO_INVERSE_SOLVE_2X2}
      ${FINITE_OR_ZERO}

      fn sumOfParts(start : i32, end : i32) -> f32 {
        var sum = 0.0;
        for (var i = start; i < end; i = i + 1) {
          sum = sum + Parts[i];
        }
        return sum;
      }`,
    main: `
      ${sums}
      let damping = Damping[0];
      let wd = uniforms.weightDecay;
      let m = pseudoInverseSolve2x2(damping * dzdz + c11, damping * dzz + c12, damping * zz + c22, b1 + wd * wdz, b2 + wd * wz);
      Beta[0] = finiteOrZero(m.x);
      Rho[0] = finiteOrZero(-m.y);`,
  });
});
