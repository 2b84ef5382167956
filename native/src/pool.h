// Max and average pooling over NHWC windows and their derivatives, with TF.js's CPU semantics: windows
// cover only real inputs (padding is never a candidate for the maximum nor counted in the average), the
// maximum is the first one in row-major window order, and AvgPoolGrad divides by the full window size.
#pragma once

#include <cstdint>

#include "geometry.h"

namespace curvelab {

// y = the maximum of each window. argmax (may be null) receives the flat index of that maximum in x:
// ((n·inHeight + iy)·inWidth + ix)·channels + c, without the n term unless includeBatchInIndex; −1 for a
// window without any value above −∞.
void maxPool(const WindowGeometry& g, const float* x, float* y, std::int32_t* argmax, bool includeBatchInIndex);

// dx = dy routed to the maximum of each window of x (summed where windows overlap).
void maxPoolGrad(const WindowGeometry& g, const float* dy, const float* x, float* dx);

// y = the mean of the real inputs of each window.
void avgPool(const WindowGeometry& g, const float* x, float* y);

// dx = dy / (filterHeight·filterWidth) spread over the real inputs of each window.
void avgPoolGrad(const WindowGeometry& g, const float* dy, float* dx);

}  // namespace curvelab
