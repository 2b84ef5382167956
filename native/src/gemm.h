// Matrix products on row-major float32 data, through the BLAS.
#pragma once

#include <cstddef>

namespace curvelab {

struct GemmShape {
  int batch;       // products computed
  int batchA;      // matrices in a: product i uses a's matrix i % batchA (TF.js's broadcasting rule)
  int batchB;      // matrices in b: product i uses b's matrix i % batchB
  int m, n, k;     // c[i] is m×n; the shared dimension is k
  bool transposeA; // a's matrices are stored k×m
  bool transposeB; // b's matrices are stored n×k
};

// c[i] = op(a[i % batchA]) · op(b[i % batchB]) for i < batch; c holds batch·m·n values.
void batchMatMul(const GemmShape& s, const float* a, const float* b, float* c);

// C (m×n, row stride ldc) = alpha · op(A) · op(B) + beta · C, row-major, over cblas_sgemm. Chooses how
// many BLAS threads the product gets (one for small or thin products, see gemm.cc): call it from the
// addon's calling thread only, never inside a parallelFor body.
void sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc);

// The same product on the calling thread alone, for parallelFor bodies that each run their own
// product; a SingleThreadedBlas must be alive around the parallelFor.
void sgemmOnThisThread(bool transposeA, bool transposeB, int m, int n, int k, float alpha, const float* a, int lda,
                       const float* b, int ldb, float beta, float* c, int ldc);

// While alive, the BLAS runs every product on its calling thread (set from the addon's calling thread).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;
};

// The most threads one product may use.
void setGemmMaxThreads(int threads);

}  // namespace curvelab
