// 2-D convolution (NHWC input, filter [filterHeight, filterWidth, inChannels, outChannels]) and its two
// derivatives, as im2col / col2im around one BLAS product per chunk of images.
#pragma once

#include "geometry.h"

namespace curvelab {

// y[n, oy, ox, o] = Σ x[n, oy·sh − padTop + fy, ox·sw − padLeft + fx, i] · w[fy, fx, i, o]  (outside x: 0)
void conv2d(const WindowGeometry& g, const float* x, const float* filter, float* y);

// dx = the adjoint of conv2d in x applied to dy.
void conv2dBackpropInput(const WindowGeometry& g, const float* dy, const float* filter, float* dx);

// dw = the adjoint of conv2d in the filter applied to dy (summed over the batch).
void conv2dBackpropFilter(const WindowGeometry& g, const float* x, const float* dy, float* dw);

}  // namespace curvelab
