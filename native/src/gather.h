// Gathering slices along one axis (TF.js's GatherV2 without batch dimensions).
#pragma once

#include <cstddef>
#include <cstdint>

namespace curvelab {

// x viewed as [outer, dim, inner]: out[o, i, :] = x[o, indices[i], :] for i < count. Returns the position of
// the first index outside [0, dim), or −1 when all are valid (then out is written; otherwise it is not).
std::ptrdiff_t gather(const float* x, std::size_t outer, std::size_t dim, std::size_t inner, const std::int32_t* indices,
                      std::size_t count, float* out);

}  // namespace curvelab
