#include "reduce.h"

#include <algorithm>
#include <vector>

#include "thread_pool.h"

namespace curvelab {
namespace {

constexpr std::size_t kElementsPerTask = 1 << 15;

// acc[j] += Σ_{r in [r0, r1)} x[r·inner + j]
void accumulateRows(const float* x, std::size_t r0, std::size_t r1, std::size_t inner, double* acc) {
  if (inner == 1) {
    // Eight independent partial sums: one chain of float64 additions would wait on each add's latency.
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t r = r0;
    for (; r + 8 <= r1; r += 8) {
      for (int l = 0; l < 8; l++) lanes[l] += x[r + l];
    }
    double s = 0;
    for (; r < r1; r++) s += x[r];
    for (int l = 0; l < 8; l++) s += lanes[l];
    acc[0] += s;
    return;
  }
  for (std::size_t r = r0; r < r1; r++) {
    const float* row = x + r * inner;
    for (std::size_t j = 0; j < inner; j++) acc[j] += row[j];
  }
}

}  // namespace

void sumMiddle(const float* x, float* out, std::size_t outer, std::size_t reduce, std::size_t inner) {
  const std::size_t perOuter = reduce * inner;
  if (outer >= 4 || perOuter < 2 * kElementsPerTask) {
    // Enough independent outputs (or too little work to split one): one task per group of outer indices.
    const std::size_t outersPerTask = std::max<std::size_t>(1, kElementsPerTask / std::max<std::size_t>(perOuter, 1));
    parallelFor(outer, outersPerTask, [&](std::size_t begin, std::size_t end) {
      std::vector<double> acc(inner);
      for (std::size_t o = begin; o < end; o++) {
        std::fill(acc.begin(), acc.end(), 0.0);
        accumulateRows(x + o * perOuter, 0, reduce, inner, acc.data());
        for (std::size_t j = 0; j < inner; j++) out[o * inner + j] = static_cast<float>(acc[j]);
      }
    });
    return;
  }
  // Few outputs over many rows (a bias gradient: [1, batch·pixels, channels]): split the rows, one
  // partial sum per part, then add the parts.
  const std::size_t parts = static_cast<std::size_t>(poolThreadCount());
  std::vector<double> partial(parts * inner);
  for (std::size_t o = 0; o < outer; o++) {
    const float* slab = x + o * perOuter;
    std::fill(partial.begin(), partial.end(), 0.0);
    parallelFor(parts, 1, [&](std::size_t begin, std::size_t end) {
      for (std::size_t p = begin; p < end; p++) {
        accumulateRows(slab, reduce * p / parts, reduce * (p + 1) / parts, inner, partial.data() + p * inner);
      }
    });
    for (std::size_t j = 0; j < inner; j++) {
      double s = 0;
      for (std::size_t p = 0; p < parts; p++) s += partial[p * inner + j];
      out[o * inner + j] = static_cast<float>(s);
    }
  }
}

}  // namespace curvelab
