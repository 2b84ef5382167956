// Elementwise float32 operations, with NumPy/TF.js broadcasting for the binary ones.
#pragma once

#include <cstddef>
#include <vector>

namespace curvelab {

enum class BinaryOp { Add, Sub, Mul, Div };

// out = a op b, broadcast to outShape. aShape and bShape may have fewer dimensions than outShape
// (aligned at the end); each of their dimensions is 1 or the output's. out may alias a or b when that
// input has the output's shape.
void binaryBroadcast(BinaryOp op, const float* a, const std::vector<int>& aShape, const float* b,
                     const std::vector<int>& bShape, float* out, const std::vector<int>& outShape);

// out[i] = max(x[i], 0), keeping NaN and −0 as TF.js does (x < 0 ? 0 : x).
void relu(const float* x, float* out, std::size_t n);

// out[i] = 1 for x[i] > 0, NaN for NaN, alpha otherwise (TF.js's Step).
void step(const float* x, float* out, std::size_t n, float alpha);

// out[i] = alpha·a[i] + beta·b[i] in one pass (BLAS's axpby, out of place): a parameter update w + s·Δ
// or a combination of two directions, without temporaries.
void axpby(float alpha, const float* a, float beta, const float* b, float* out, std::size_t n);

// out[i] = alpha·a[i] + beta·b[i]² in one pass: a running average or sum of squares (Adam's v, RMSprop,
// Adagrad). b² is rounded before beta multiplies it, as TF.js's Square and Multiply do.
void axpbySquare(float alpha, const float* a, float beta, const float* b, float* out, std::size_t n);

// out[i] = a[i] / (√b[i] + epsilon) in one pass: a direction scaled by the root of its squares, as
// TF.js's Sqrt, Add and RealDiv would give it (0/0 and a negative b give NaN, b = +∞ gives 0).
void divideByRoot(const float* a, const float* b, float epsilon, float* out, std::size_t n);

// out[p] = Σ_i arrays[pairs[2p]][i] · arrays[pairs[2p+1]][i] for arrays of n elements each: products summed
// in float32 over runs of 32, those sums in float64, over fixed chunks (the same sums whatever the thread
// count). The arrays are walked together a chunk at a time, so an array shared by several pairs (⟨z, z⟩,
// ⟨dz, z⟩, ⟨dz, dz⟩) is read from memory once.
void innerProducts(const std::vector<const float*>& arrays, const std::vector<int>& pairs, std::size_t n, double* out);

// out[i] = step(y[i])·dy[i] in one pass (y is a ReLU's output): ReLU's derivative times a tangent or
// cotangent, as TF.js's Step and Multiply would give it, NaN and infinities included.
void reluDerivativeTimes(const float* y, const float* dy, float* out, std::size_t n);

}  // namespace curvelab
