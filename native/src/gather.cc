#include "gather.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "thread_pool.h"

namespace curvelab {

std::ptrdiff_t gather(const float* x, std::size_t outer, std::size_t dim, std::size_t inner, const std::int32_t* indices,
                      std::size_t count, float* out) {
  // One branch-free pass (as unsigned, a negative index is huge), then a search only when one is bad.
  std::uint32_t worst = 0;
  for (std::size_t i = 0; i < count; i++) worst = std::max(worst, static_cast<std::uint32_t>(indices[i]));
  if (count > 0 && (worst >= dim || dim > 0x7fffffffu)) {
    for (std::size_t i = 0; i < count; i++) {
      if (indices[i] < 0 || static_cast<std::size_t>(indices[i]) >= dim) return static_cast<std::ptrdiff_t>(i);
    }
  }
  if (inner == 1) {
    // Single elements (a max-pool's tangent gathered at its argmax): a plain indexed load per element,
    // with no per-element arithmetic on the row (o, i).
    parallelFor(outer * count, std::size_t(1) << 15, [&](std::size_t begin, std::size_t end) {
      while (begin < end) {
        const std::size_t o = begin / count;
        const std::size_t i0 = begin % count;
        const std::size_t i1 = std::min(count, i0 + (end - begin));
        const float* xo = x + o * dim;
        float* outo = out + o * count;
        for (std::size_t i = i0; i < i1; i++) outo[i] = xo[indices[i]];
        begin += i1 - i0;
      }
    });
    return -1;
  }
  const std::size_t rows = outer * count;
  const std::size_t rowsPerTask = std::max<std::size_t>(1, (std::size_t(1) << 15) / std::max<std::size_t>(inner, 1));
  parallelFor(rows, rowsPerTask, [&](std::size_t begin, std::size_t end) {
    // Row r is (o, i) = (r / count, r % count); walk i and carry into o instead of dividing per row.
    std::size_t o = begin / count;
    std::size_t i = begin % count;
    for (std::size_t r = begin; r < end; r++) {
      const float* src = x + (o * dim + static_cast<std::size_t>(indices[i])) * inner;
      std::memcpy(out + r * inner, src, inner * sizeof(float));
      if (++i == count) {
        i = 0;
        o++;
      }
    }
  });
  return -1;
}

}  // namespace curvelab
