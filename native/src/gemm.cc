#include "gemm.h"

#include <atomic>

#include "blas.h"

namespace curvelab {
namespace {

// Below this many flops, or with a dimension this thin, a product runs on one thread: splitting it costs
// more in synchronisation than it saves. Measured on 2 cores: a 50176×9·9×16 im2col product takes the
// same 0.37 ms on one thread or two; 128×784·784×512 takes 1.1 ms on one and 0.85 ms on two.
constexpr double kParallelFlops = 24e6;
constexpr int kParallelMinDimension = 24;

std::atomic<int> maxThreads{0};      // OPENBLAS_NUM_THREADS or the cores, unless setGemmMaxThreads
std::atomic<int> currentThreads{0};  // what the BLAS is set to now

void ensureInitialised() {
  if (maxThreads.load() != 0) return;
  const int t = blasThreadCount();
  maxThreads.store(t);
  currentThreads.store(t);
}

void useThreads(int wanted) {
  ensureInitialised();
  if (currentThreads.exchange(wanted) != wanted) setBlasThreadCount(wanted);
}

bool emptyProduct(int m, int n, int k, float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return true;
  if (k != 0) return false;
  // BLAS leaves C untouched when k = 0 only if beta = 1; an empty sum is zero.
  for (int i = 0; i < m; i++) {
    float* row = c + static_cast<std::size_t>(i) * ldc;
    for (int j = 0; j < n; j++) row[j] = beta == 0.0f ? 0.0f : beta * row[j];
  }
  return true;
}

}  // namespace

SingleThreadedBlas::SingleThreadedBlas() { useThreads(1); }

void setGemmMaxThreads(int threads) {
  ensureInitialised();
  maxThreads.store(threads);
  useThreads(threads);
}

void sgemmOnThisThread(bool transposeA, bool transposeB, int m, int n, int k, float alpha, const float* a, int lda,
                       const float* b, int ldb, float beta, float* c, int ldc) {
  if (emptyProduct(m, n, k, beta, c, ldc)) return;
  cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, m, n, k,
              alpha, a, lda, b, ldb, beta, c, ldc);
}

void sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc) {
  ensureInitialised();
  const double flops = 2.0 * m * n * k;
  const bool small = flops < kParallelFlops || m < kParallelMinDimension || n < kParallelMinDimension ||
                     k < kParallelMinDimension;
  useThreads(small ? 1 : maxThreads.load());
  sgemmOnThisThread(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void batchMatMul(const GemmShape& s, const float* a, const float* b, float* c) {
  const std::size_t aSize = static_cast<std::size_t>(s.m) * s.k;
  const std::size_t bSize = static_cast<std::size_t>(s.k) * s.n;
  const std::size_t cSize = static_cast<std::size_t>(s.m) * s.n;
  const int lda = s.transposeA ? s.m : s.k;
  const int ldb = s.transposeB ? s.k : s.n;
  for (int i = 0; i < s.batch; i++) {
    sgemm(s.transposeA, s.transposeB, s.m, s.n, s.k, 1.0f, a + (i % s.batchA) * aSize, lda, b + (i % s.batchB) * bSize,
          ldb, 0.0f, c + i * cSize, s.n);
  }
}

}  // namespace curvelab
