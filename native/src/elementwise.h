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

}  // namespace curvelab
