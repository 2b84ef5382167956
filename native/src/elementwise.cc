#include "elementwise.h"

#include "thread_pool.h"

namespace curvelab {
namespace {

// Below this many elements a loop is cheaper than waking the pool.
constexpr std::size_t kElementsPerTask = 1 << 15;

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

template <typename F>
void unaryLoop(const float* x, float* out, std::size_t n, F f) {
  parallelFor(n, kElementsPerTask, [&](std::size_t begin, std::size_t end) {
    // A local copy of f: otherwise the stores to out might alias f's captures, which keeps them in
    // memory and the loop scalar.
    const F local = f;
    for (std::size_t i = begin; i < end; i++) out[i] = local(x[i]);
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
  // v != v is the NaN test written so that the loop vectorises (std::isnan keeps it scalar here).
  unaryLoop(x, out, n, [alpha](float v) { return v != v ? v : (v > 0.0f ? 1.0f : alpha); });
}

}  // namespace curvelab
