#include "gather.h"

#include <algorithm>
#include <cstring>

#include "thread_pool.h"

namespace curvelab {

std::ptrdiff_t gather(const float* x, std::size_t outer, std::size_t dim, std::size_t inner, const std::int32_t* indices,
                      std::size_t count, float* out) {
  for (std::size_t i = 0; i < count; i++) {
    if (indices[i] < 0 || static_cast<std::size_t>(indices[i]) >= dim) return static_cast<std::ptrdiff_t>(i);
  }
  const std::size_t rows = outer * count;
  const std::size_t rowsPerTask = std::max<std::size_t>(1, (std::size_t(1) << 15) / std::max<std::size_t>(inner, 1));
  parallelFor(rows, rowsPerTask, [&](std::size_t begin, std::size_t end) {
    // Row r is (o, i) = (r / count, r % count); walk i and carry into o instead of dividing per row.
    std::size_t o = begin / count;
    std::size_t i = begin % count;
    for (std::size_t r = begin; r < end; r++) {
      const float* src = x + (o * dim + static_cast<std::size_t>(indices[i])) * inner;
      if (inner == 1) {
        out[r] = *src;
      } else {
        std::memcpy(out + r * inner, src, inner * sizeof(float));
      }
      if (++i == count) {
        i = 0;
        o++;
      }
    }
  });
  return -1;
}

}  // namespace curvelab
