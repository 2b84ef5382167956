#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread_pool.h"

namespace curvelab {
namespace {

// Below this many elements a loop is cheaper than waking the pool.
constexpr std::size_t kElementsPerTask = 1 << 15;

// 1 for x > 0, NaN for NaN, alpha otherwise. Two plain selects, in this order, vectorise; the nested
// conditional (x != x ? x : …) and std::isnan leave the loop scalar and branching on every element.
inline float stepOf(float x, float alpha) {
  float s = x > 0.0f ? 1.0f : alpha;
  s = x != x ? x : s;
  return s;
}

template <typename Op>
void rowLoop(Op op, const float* a, std::size_t aStep, const float* b, std::size_t bStep, float* out, std::size_t n) {
  // The three stride patterns get their own loops so the compiler vectorises each.
  if (aStep == 1 && bStep == 1) {
    for (std::size_t i = 0; i < n; i++) out[i] = op(a[i], b[i]);
  } else if (aStep == 1) {
    const float bv = b[0];
    for (std::size_t i = 0; i < n; i++) out[i] = op(a[i], bv);
  } else if (bStep == 1) {
    const float av = a[0];
    for (std::size_t i = 0; i < n; i++) out[i] = op(av, b[i]);
  } else {
    const float v = op(a[0], b[0]);
    for (std::size_t i = 0; i < n; i++) out[i] = v;
  }
}

// Dimensions after merging neighbours that broadcast alike; strides of a and b are 0 where they broadcast.
struct BroadcastPlan {
  std::vector<std::size_t> shape, aStrides, bStrides;
};

BroadcastPlan planBroadcast(const std::vector<int>& aShape, const std::vector<int>& bShape,
                            const std::vector<int>& outShape) {
  const std::size_t rank = outShape.size();
  auto dimOf = [&](const std::vector<int>& s, std::size_t d) {
    const std::size_t lead = rank - s.size();
    return d < lead ? 1 : s[d - lead];
  };
  BroadcastPlan plan;
  std::vector<std::size_t> aStride(rank), bStride(rank);
  std::size_t as = 1, bs = 1;
  for (std::size_t d = rank; d-- > 0;) {
    const int ad = dimOf(aShape, d), bd = dimOf(bShape, d);
    aStride[d] = ad == 1 ? 0 : as;
    bStride[d] = bd == 1 ? 0 : bs;
    as *= ad;
    bs *= bd;
  }
  for (std::size_t d = 0; d < rank; d++) {
    if (outShape[d] == 1) continue;  // contributes nothing to any index
    const std::size_t size = outShape[d];
    if (!plan.shape.empty()) {
      // Merge into the previous dimension when both inputs step through it contiguously (or not at all).
      const std::size_t last = plan.shape.size() - 1;
      const bool aMerges = (aStride[d] == 0) == (plan.aStrides[last] == 0);
      const bool bMerges = (bStride[d] == 0) == (plan.bStrides[last] == 0);
      if (aMerges && bMerges) {
        plan.shape[last] *= size;
        plan.aStrides[last] = aStride[d];
        plan.bStrides[last] = bStride[d];
        continue;
      }
    }
    plan.shape.push_back(size);
    plan.aStrides.push_back(aStride[d]);
    plan.bStrides.push_back(bStride[d]);
  }
  if (plan.shape.empty()) {
    plan.shape.push_back(1);
    plan.aStrides.push_back(0);
    plan.bStrides.push_back(0);
  }
  return plan;
}

template <typename Op>
void runBroadcast(Op op, const float* a, const float* b, float* out, const BroadcastPlan& p) {
  const std::size_t rank = p.shape.size();
  const std::size_t inner = p.shape[rank - 1];
  std::size_t rows = 1;
  for (std::size_t d = 0; d + 1 < rank; d++) rows *= p.shape[d];
  const std::size_t rowsPerTask = std::max<std::size_t>(1, kElementsPerTask / std::max<std::size_t>(inner, 1));
  parallelFor(rows, rowsPerTask, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; r++) {
      // The offsets of row r in a and b, from its index in the outer dimensions.
      std::size_t rest = r, aOffset = 0, bOffset = 0;
      for (std::size_t d = rank - 1; d-- > 0;) {
        const std::size_t i = rest % p.shape[d];
        rest /= p.shape[d];
        aOffset += i * p.aStrides[d];
        bOffset += i * p.bStrides[d];
      }
      rowLoop(op, a + aOffset, p.aStrides[rank - 1], b + bOffset, p.bStrides[rank - 1], out + r * inner, inner);
    }
  });
}

// The loops below take __restrict pointers, so that GCC vectorises them without a runtime overlap check:
// an output that is one of the inputs (in place, as the fused kernels use them) fails that check and
// would run the scalar loop. Each in-place variant reads and writes its array through one pointer.
template <typename F>
void pairInto(const float* __restrict a, const float* __restrict b, float* __restrict out, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; i++) out[i] = f(a[i], b[i]);
}

template <typename F>
void pairIntoFirst(float* __restrict a, const float* __restrict b, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; i++) a[i] = f(a[i], b[i]);
}

template <typename F>
void pairIntoSecond(const float* __restrict a, float* __restrict b, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; i++) b[i] = f(a[i], b[i]);
}

template <typename F>
void pairLoop(const float* a, const float* b, float* out, std::size_t n, F f) {
  parallelFor(n, kElementsPerTask, [&](std::size_t begin, std::size_t end) {
    const F local = f;  // see unaryLoop
    const std::size_t m = end - begin;
    if (out == a && a != b) {
      pairIntoFirst(out + begin, b + begin, m, local);
    } else if (out == b && a != b) {
      pairIntoSecond(a + begin, out + begin, m, local);
    } else if (out == a) {
      // out, a and b all one array.
      for (std::size_t i = begin; i < end; i++) out[i] = local(out[i], out[i]);
    } else {
      pairInto(a + begin, b + begin, out + begin, m, local);
    }
  });
}

template <typename F>
void unaryInto(const float* __restrict x, float* __restrict out, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; i++) out[i] = f(x[i]);
}

template <typename F>
void unaryInPlace(float* __restrict x, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; i++) x[i] = f(x[i]);
}

template <typename F>
void unaryLoop(const float* x, float* out, std::size_t n, F f) {
  parallelFor(n, kElementsPerTask, [&](std::size_t begin, std::size_t end) {
    // A local copy of f: otherwise the stores to out might alias f's captures, which keeps them in
    // memory and the loop scalar.
    const F local = f;
    if (out == x) {
      unaryInPlace(out + begin, end - begin, local);
    } else {
      unaryInto(x + begin, out + begin, end - begin, local);
    }
  });
}

}  // namespace

void binaryBroadcast(BinaryOp op, const float* a, const std::vector<int>& aShape, const float* b,
                     const std::vector<int>& bShape, float* out, const std::vector<int>& outShape) {
  const BroadcastPlan plan = planBroadcast(aShape, bShape, outShape);
  switch (op) {
    case BinaryOp::Add:
      return runBroadcast([](float u, float v) { return u + v; }, a, b, out, plan);
    case BinaryOp::Sub:
      return runBroadcast([](float u, float v) { return u - v; }, a, b, out, plan);
    case BinaryOp::Mul:
      return runBroadcast([](float u, float v) { return u * v; }, a, b, out, plan);
    case BinaryOp::Div:
      return runBroadcast([](float u, float v) { return u / v; }, a, b, out, plan);
  }
}

void relu(const float* x, float* out, std::size_t n) {
  unaryLoop(x, out, n, [](float v) { return v < 0.0f ? 0.0f : v; });
}

void step(const float* x, float* out, std::size_t n, float alpha) {
  unaryLoop(x, out, n, [alpha](float v) { return stepOf(v, alpha); });
}

void axpby(float alpha, const float* a, float beta, const float* b, float* out, std::size_t n) {
  // alpha = 1 is the common case (w + s·Δ); 1·u is exact, so the general loop gives the same values.
  pairLoop(a, b, out, n, [alpha, beta](float u, float v) { return alpha * u + beta * v; });
}

void axpbySquare(float alpha, const float* a, float beta, const float* b, float* out, std::size_t n) {
  pairLoop(a, b, out, n, [alpha, beta](float u, float v) { return alpha * u + beta * (v * v); });
}

void divideByRoot(const float* a, const float* b, float epsilon, float* out, std::size_t n) {
  pairLoop(a, b, out, n, [epsilon](float u, float v) { return u / (std::sqrt(v) + epsilon); });
}

void innerProducts(const std::vector<const float*>& arrays, const std::vector<int>& pairs, std::size_t n, double* out) {
  // Small enough chunks that every array's chunk stays in the core's cache while all pairs use it.
  constexpr std::size_t kChunk = 4096;
  const std::size_t pairCount = pairs.size() / 2;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> partial(chunks * pairCount, 0.0);
  parallelFor(chunks, kElementsPerTask / kChunk, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; c++) {
      const std::size_t i0 = c * kChunk;
      const std::size_t i1 = std::min(n, i0 + kChunk);
      for (std::size_t p = 0; p < pairCount; p++) {
        const float* a = arrays[pairs[2 * p]];
        const float* b = arrays[pairs[2 * p + 1]];
        // Each 256-element block is summed in eight float32 lanes (32 products each, and vectorised:
        // a float64 sum per element would make this loop compute-bound), and the block sums in float64.
        constexpr std::size_t kBlock = 256;
        double sum = 0;
        std::size_t i = i0;
        for (; i + kBlock <= i1; i += kBlock) {
          float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
          for (std::size_t j = i; j < i + kBlock; j += 8) {
            for (int l = 0; l < 8; l++) lanes[l] += a[j + l] * b[j + l];
          }
          sum += ((static_cast<double>(lanes[0]) + lanes[1]) + (static_cast<double>(lanes[2]) + lanes[3])) +
                 ((static_cast<double>(lanes[4]) + lanes[5]) + (static_cast<double>(lanes[6]) + lanes[7]));
        }
        for (; i < i1; i++) sum += static_cast<double>(a[i]) * b[i];
        partial[c * pairCount + p] = sum;
      }
    }
  });
  for (std::size_t p = 0; p < pairCount; p++) {
    double sum = 0;
    for (std::size_t c = 0; c < chunks; c++) sum += partial[c * pairCount + p];
    out[p] = sum;
  }
}

void reluDerivativeTimes(const float* y, const float* dy, float* out, std::size_t n) {
  // step(y) · dy, not a select, so that 0 · ±∞ and 0 · NaN give NaN exactly as the unfused ops do.
  pairLoop(y, dy, out, n, [](float u, float v) { return stepOf(u, 0.0f) * v; });
}

}  // namespace curvelab
