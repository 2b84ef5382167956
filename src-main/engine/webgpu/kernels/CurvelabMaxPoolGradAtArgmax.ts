import { maxPoolGradAtArgmaxKernelName, type MaxPoolGradAtArgmaxAttrs } from '../../ops';
import { tf } from '../../tf';
import { elementwiseProgram, float32Input, runFlat, webGpuKernel } from './webGpuKernel';

/**
 * Max pooling's gradient from the forward pass's argmax (ops/pooling.ts), one invocation per input
 * element: it visits the output windows that contain it and adds dy where the window's argmax is this
 * element, in output order. TF.js's MaxPoolGrad would first find every window's maximum again.
 */
export const maxPoolGradAtArgmaxConfig = webGpuKernel<MaxPoolGradAtArgmaxAttrs>(maxPoolGradAtArgmaxKernelName, ({ inputs, attrs, backend }) => {
  const name = maxPoolGradAtArgmaxKernelName;
  const dy = float32Input(name, inputs, 'dy');
  const argmax = inputs.argmax;
  const { inputShape, filterSize, strides, padBefore } = attrs;
  if (!argmax || argmax.dtype !== 'int32' || !tf.util.arraysEqual(argmax.shape, dy.shape) || dy.shape.length !== 4 || inputShape.length !== 4 || dy.shape[0] !== inputShape[0] || dy.shape[3] !== inputShape[3]) {
    throw new Error(`${name} takes dy [n, oh, ow, c] and an int32 argmax of its shape, for an input [n, h, w, c]`);
  }
  const [, outHeight, outWidth] = dy.shape;
  const size = tf.util.sizeFromShape(inputShape);
  const program = elementwiseProgram(
    'curvelabMaxPoolGradAtArgmax',
    ['Dy', 'Argmax'],
    size,
    `let channels = uniforms.channels;
          let c = index % channels;
          let col = (index / channels) % uniforms.inWidth;
          let row = (index / (channels * uniforms.inWidth)) % uniforms.inHeight;
          let batch = index / (channels * uniforms.inWidth * uniforms.inHeight);
          // Outputs o whose window o·stride − padBefore … + filter − 1 holds this row (column).
          let rowFirst = max(0, (row + uniforms.padTop - uniforms.filterHeight + uniforms.strideHeight) / uniforms.strideHeight);
          let rowLast = min(uniforms.outHeight - 1, (row + uniforms.padTop) / uniforms.strideHeight);
          let colFirst = max(0, (col + uniforms.padLeft - uniforms.filterWidth + uniforms.strideWidth) / uniforms.strideWidth);
          let colLast = min(uniforms.outWidth - 1, (col + uniforms.padLeft) / uniforms.strideWidth);
          var sum = 0.0;
          for (var r = rowFirst; r <= rowLast; r = r + 1) {
            for (var s = colFirst; s <= colLast; s = s + 1) {
              let o = ((batch * uniforms.outHeight + r) * uniforms.outWidth + s) * channels + c;
              if (Argmax[o] == index) {
                sum = sum + Dy[o];
              }
            }
          }
          setOutputAtIndex(index, sum);`,
    `channels : i32, inHeight : i32, inWidth : i32, outHeight : i32, outWidth : i32, filterHeight : i32, filterWidth : i32,
     strideHeight : i32, strideWidth : i32, padTop : i32, padLeft : i32,`,
  );
  const geometry = [inputShape[3], inputShape[1], inputShape[2], outHeight, outWidth, ...filterSize, ...strides, ...padBefore];
  return runFlat(backend, program, [dy, argmax], inputShape, geometry.map((x) => ({ type: 'int32', data: [x] })));
});
