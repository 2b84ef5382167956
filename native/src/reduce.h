// Sums over one contiguous block of axes.
#pragma once

#include <cstddef>

namespace curvelab {

// x viewed as [outer, reduce, inner]: out[o, j] = Σ_r x[o, r, j], accumulated in float64 as TF.js does
// (its CPU Sum adds in JavaScript numbers).
void sumMiddle(const float* x, float* out, std::size_t outer, std::size_t reduce, std::size_t inner);

}  // namespace curvelab
