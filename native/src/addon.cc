// The N-API surface of the addon: argument checking and marshalling only. Every function writes into
// output arrays the caller allocated; the pure functions it calls live in the other files.
#include <napi.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "allocator.h"
#include "blas.h"
#include "conv2d.h"
#include "elementwise.h"
#include "gather.h"
#include "gemm.h"
#include "pool.h"
#include "reduce.h"
#include "thread_pool.h"

namespace curvelab {
namespace {

// Reads and checks the arguments of one call; a wrong argument throws a JS TypeError or RangeError
// naming the function and the argument, before any memory is touched.
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* function) : info_(info), function_(function) {}

  template <typename T, napi_typedarray_type Type>
  T* typedArray(std::size_t i, const char* name, std::size_t expectedLength, const char* typeName) const {
    const Napi::Value v = info_[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Type) {
      throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be a " + typeName);
    }
    auto array = v.As<Napi::TypedArrayOf<T>>();
    if (array.ElementLength() != expectedLength) {
      throw Napi::RangeError::New(info_.Env(), prefix(name) + "has " + std::to_string(array.ElementLength()) +
                                                   " elements, expected " + std::to_string(expectedLength));
    }
    return array.Data();
  }

  float* floats(std::size_t i, const char* name, std::size_t expectedLength) const {
    return typedArray<float, napi_float32_array>(i, name, expectedLength, "Float32Array");
  }

  std::int32_t* ints(std::size_t i, const char* name, std::size_t expectedLength) const {
    return typedArray<std::int32_t, napi_int32_array>(i, name, expectedLength, "Int32Array");
  }

  // The element count of the typed array at i, which sets the size of the call's other arrays (the
  // floats/ints call that reads it checks its type).
  std::size_t length(std::size_t i, const char* name, const char* expected) const {
    if (!info_[i].IsTypedArray()) throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be " + expected);
    return info_[i].As<Napi::TypedArray>().ElementLength();
  }

  bool isNull(std::size_t i) const { return info_[i].IsNull() || info_[i].IsUndefined(); }

  int integer(std::size_t i, const char* name) const { return checkedInt(info_[i], name); }

  double number(std::size_t i, const char* name) const {
    if (!info_[i].IsNumber()) throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be a number");
    return info_[i].As<Napi::Number>().DoubleValue();
  }

  bool boolean(std::size_t i, const char* name) const {
    if (!info_[i].IsBoolean()) throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be a boolean");
    return info_[i].As<Napi::Boolean>().Value();
  }

  std::vector<int> shape(std::size_t i, const char* name) const {
    if (!info_[i].IsArray()) throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be an array of sizes");
    auto array = info_[i].As<Napi::Array>();
    std::vector<int> dims(array.Length());
    for (std::uint32_t d = 0; d < array.Length(); d++) dims[d] = checkedInt(array.Get(d), name);
    return dims;
  }

  WindowGeometry geometry(std::size_t i) const {
    if (!info_[i].IsObject()) throw Napi::TypeError::New(info_.Env(), prefix("geometry") + "must be an object");
    auto o = info_[i].As<Napi::Object>();
    auto field = [&](const char* key) { return checkedInt(o.Get(key), key); };
    WindowGeometry g{};
    g.batch = field("batch");
    g.inHeight = field("inHeight");
    g.inWidth = field("inWidth");
    g.inChannels = field("inChannels");
    g.outHeight = field("outHeight");
    g.outWidth = field("outWidth");
    g.outChannels = field("outChannels");
    g.filterHeight = field("filterHeight");
    g.filterWidth = field("filterWidth");
    g.strideHeight = field("strideHeight");
    g.strideWidth = field("strideWidth");
    g.padTop = checkedInt(o.Get("padTop"), "padTop", true);
    g.padLeft = checkedInt(o.Get("padLeft"), "padLeft", true);
    if (g.filterHeight < 1 || g.filterWidth < 1 || g.strideHeight < 1 || g.strideWidth < 1) {
      throw Napi::RangeError::New(info_.Env(), prefix("geometry") + "needs filter sizes and strides of at least 1");
    }
    // Flat indices (argmax) are int32 in TF.js.
    if (g.inputSize() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw Napi::RangeError::New(info_.Env(), prefix("geometry") + "describes an input over 2^31 elements");
    }
    return g;
  }

  Napi::Env env() const { return info_.Env(); }

  std::string prefix(const char* name) const { return std::string(function_) + ": " + name + " "; }

 private:
  int checkedInt(const Napi::Value& v, const char* name, bool allowNegative = false) const {
    if (!v.IsNumber()) throw Napi::TypeError::New(info_.Env(), prefix(name) + "must be an integer");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<std::int64_t>(d)) || d > std::numeric_limits<int>::max() ||
        d < (allowNegative ? std::numeric_limits<int>::min() : 0)) {
      throw Napi::RangeError::New(info_.Env(), prefix(name) + "must be a " + (allowNegative ? "" : "non-negative ") +
                                                   "32-bit integer, got " + std::to_string(d));
    }
    return static_cast<int>(d);
  }

  const Napi::CallbackInfo& info_;
  const char* function_;
};

std::size_t product(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("blas", blasName());
  o.Set("blasCore", blasCore());
  o.Set("blasThreads", blasThreadCount());
  o.Set("poolThreads", poolThreadCount());
  return o;
}

// reuseFreedMemory() → whether glibc's malloc took the settings (see allocator.h)
Napi::Value ReuseFreedMemory(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), reuseFreedMemory()); }

// setBlasThreads(n)
Napi::Value SetBlasThreads(const Napi::CallbackInfo& info) {
  Args args(info, "setBlasThreads");
  const int n = args.integer(0, "threads");
  if (n < 1) throw Napi::RangeError::New(info.Env(), args.prefix("threads") + "must be at least 1");
  setGemmMaxThreads(n);
  return info.Env().Undefined();
}

// batchMatMul(a, b, out, batch, batchA, batchB, m, n, k, transposeA, transposeB)
Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  Args args(info, "batchMatMul");
  GemmShape s{};
  s.batch = args.integer(3, "batch");
  s.batchA = args.integer(4, "batchA");
  s.batchB = args.integer(5, "batchB");
  s.m = args.integer(6, "m");
  s.n = args.integer(7, "n");
  s.k = args.integer(8, "k");
  s.transposeA = args.boolean(9, "transposeA");
  s.transposeB = args.boolean(10, "transposeB");
  if (s.batchA < 1 || s.batchB < 1) throw Napi::RangeError::New(args.env(), args.prefix("batchA/batchB") + "must be ≥ 1");
  const float* a = args.floats(0, "a", static_cast<std::size_t>(s.batchA) * s.m * s.k);
  const float* b = args.floats(1, "b", static_cast<std::size_t>(s.batchB) * s.k * s.n);
  float* c = args.floats(2, "out", static_cast<std::size_t>(s.batch) * s.m * s.n);
  batchMatMul(s, a, b, c);
  return info.Env().Undefined();
}

// conv2d(x, filter, out, geometry)
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d");
  const WindowGeometry g = args.geometry(3);
  conv2d(g, args.floats(0, "x", g.inputSize()), args.floats(1, "filter", g.filterSize()),
         args.floats(2, "out", g.outputSize()));
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy, filter, dx, geometry)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackpropInput");
  const WindowGeometry g = args.geometry(3);
  conv2dBackpropInput(g, args.floats(0, "dy", g.outputSize()), args.floats(1, "filter", g.filterSize()),
                      args.floats(2, "dx", g.inputSize()));
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x, dy, dw, geometry)
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackpropFilter");
  const WindowGeometry g = args.geometry(3);
  conv2dBackpropFilter(g, args.floats(0, "x", g.inputSize()), args.floats(1, "dy", g.outputSize()),
                       args.floats(2, "dw", g.filterSize()));
  return info.Env().Undefined();
}

WindowGeometry poolGeometry(const Args& args, std::size_t i) {
  WindowGeometry g = args.geometry(i);
  if (g.outChannels != g.inChannels) {
    throw Napi::RangeError::New(args.env(), args.prefix("geometry") + "of a pool needs outChannels = inChannels");
  }
  return g;
}

// maxPool(x, out, argmax | null, geometry, includeBatchInIndex)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool");
  const WindowGeometry g = poolGeometry(args, 3);
  std::int32_t* argmax = args.isNull(2) ? nullptr : args.ints(2, "argmax", g.outputSize());
  maxPool(g, args.floats(0, "x", g.inputSize()), args.floats(1, "out", g.outputSize()), argmax, args.boolean(4, "includeBatchInIndex"));
  return info.Env().Undefined();
}

// maxPoolGrad(dy, x, dx, geometry)
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  Args args(info, "maxPoolGrad");
  const WindowGeometry g = poolGeometry(args, 3);
  maxPoolGrad(g, args.floats(0, "dy", g.outputSize()), args.floats(1, "x", g.inputSize()),
              args.floats(2, "dx", g.inputSize()));
  return info.Env().Undefined();
}

// avgPool(x, out, geometry)
Napi::Value AvgPool(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool");
  const WindowGeometry g = poolGeometry(args, 2);
  avgPool(g, args.floats(0, "x", g.inputSize()), args.floats(1, "out", g.outputSize()));
  return info.Env().Undefined();
}

// avgPoolGrad(dy, dx, geometry)
Napi::Value AvgPoolGrad(const Napi::CallbackInfo& info) {
  Args args(info, "avgPoolGrad");
  const WindowGeometry g = poolGeometry(args, 2);
  avgPoolGrad(g, args.floats(0, "dy", g.outputSize()), args.floats(1, "dx", g.inputSize()));
  return info.Env().Undefined();
}

// binary(op, a, aShape, b, bShape, out, outShape) with op one of "add", "sub", "mul", "div"
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Args args(info, "binary");
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), args.prefix("op") + "must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  BinaryOp op;
  if (name == "add") op = BinaryOp::Add;
  else if (name == "sub") op = BinaryOp::Sub;
  else if (name == "mul") op = BinaryOp::Mul;
  else if (name == "div") op = BinaryOp::Div;
  else throw Napi::RangeError::New(info.Env(), args.prefix("op") + "must be add, sub, mul or div, got " + name);
  const std::vector<int> aShape = args.shape(2, "aShape");
  const std::vector<int> bShape = args.shape(4, "bShape");
  const std::vector<int> outShape = args.shape(6, "outShape");
  // Each input dimension (aligned at the end) must be 1 or the output's.
  auto check = [&](const std::vector<int>& s, const char* which) {
    bool ok = s.size() <= outShape.size();
    for (std::size_t d = 0; ok && d < s.size(); d++) {
      const int o = outShape[outShape.size() - s.size() + d];
      ok = s[d] == 1 || s[d] == o;
    }
    if (!ok) throw Napi::RangeError::New(info.Env(), args.prefix(which) + "does not broadcast to outShape");
  };
  check(aShape, "aShape");
  check(bShape, "bShape");
  const float* a = args.floats(1, "a", product(aShape));
  const float* b = args.floats(3, "b", product(bShape));
  float* out = args.floats(5, "out", product(outShape));
  binaryBroadcast(op, a, aShape, b, bShape, out, outShape);
  return info.Env().Undefined();
}

// relu(x, out)
Napi::Value Relu(const Napi::CallbackInfo& info) {
  Args args(info, "relu");
  const std::size_t n = args.length(0, "x", "a Float32Array");
  relu(args.floats(0, "x", n), args.floats(1, "out", n), n);
  return info.Env().Undefined();
}

// step(x, out, alpha)
Napi::Value Step(const Napi::CallbackInfo& info) {
  Args args(info, "step");
  const std::size_t n = args.length(0, "x", "a Float32Array");
  step(args.floats(0, "x", n), args.floats(1, "out", n), n, static_cast<float>(args.number(2, "alpha")));
  return info.Env().Undefined();
}

// name(alpha, a, beta, b, out) for the kernels of that signature (axpby, axpbySquare)
using AlphaBetaKernel = void (*)(float, const float*, float, const float*, float*, std::size_t);
Napi::Value CallAlphaBeta(const Napi::CallbackInfo& info, const char* name, AlphaBetaKernel kernel) {
  Args args(info, name);
  const std::size_t n = args.length(1, "a", "a Float32Array");
  kernel(static_cast<float>(args.number(0, "alpha")), args.floats(1, "a", n), static_cast<float>(args.number(2, "beta")),
         args.floats(3, "b", n), args.floats(4, "out", n), n);
  return info.Env().Undefined();
}

Napi::Value Axpby(const Napi::CallbackInfo& info) { return CallAlphaBeta(info, "axpby", axpby); }

Napi::Value AxpbySquare(const Napi::CallbackInfo& info) { return CallAlphaBeta(info, "axpbySquare", axpbySquare); }

// divideByRoot(a, b, epsilon, out)
Napi::Value DivideByRoot(const Napi::CallbackInfo& info) {
  Args args(info, "divideByRoot");
  const std::size_t n = args.length(0, "a", "a Float32Array");
  divideByRoot(args.floats(0, "a", n), args.floats(1, "b", n), static_cast<float>(args.number(2, "epsilon")), args.floats(3, "out", n), n);
  return info.Env().Undefined();
}

// innerProducts(arrays, pairs, out): arrays of one length; pairs an Int32Array of index pairs into arrays;
// out a Float64Array with one element per pair
Napi::Value InnerProducts(const Napi::CallbackInfo& info) {
  Args args(info, "innerProducts");
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), args.prefix("arrays") + "must be an array of Float32Arrays");
  const Napi::Array list = info[0].As<Napi::Array>();
  std::vector<const float*> arrays;
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < list.Length(); i++) {
    const Napi::Value v = list.Get(i);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw Napi::TypeError::New(info.Env(), args.prefix("arrays") + "element " + std::to_string(i) + " must be a Float32Array");
    }
    const auto array = v.As<Napi::Float32Array>();
    if (i == 0) n = array.ElementLength();
    if (array.ElementLength() != n) {
      throw Napi::RangeError::New(info.Env(), args.prefix("arrays") + "element " + std::to_string(i) + " has " +
                                                  std::to_string(array.ElementLength()) + " elements, expected " + std::to_string(n));
    }
    arrays.push_back(array.Data());
  }
  const std::size_t indexCount = args.length(1, "pairs", "an Int32Array");
  if (indexCount % 2 != 0) throw Napi::RangeError::New(info.Env(), args.prefix("pairs") + "must hold an even number of indices");
  const std::int32_t* indices = args.ints(1, "pairs", indexCount);
  std::vector<int> pairs(indices, indices + indexCount);
  for (int index : pairs) {
    if (index < 0 || static_cast<std::size_t>(index) >= arrays.size()) {
      throw Napi::RangeError::New(info.Env(), args.prefix("pairs") + "index " + std::to_string(index) + " is outside the arrays");
    }
  }
  const Napi::Value outValue = info[2];
  if (!outValue.IsTypedArray() || outValue.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      outValue.As<Napi::TypedArray>().ElementLength() != indexCount / 2) {
    throw Napi::TypeError::New(info.Env(), args.prefix("out") + "must be a Float64Array with one element per pair");
  }
  innerProducts(arrays, pairs, n, outValue.As<Napi::Float64Array>().Data());
  return info.Env().Undefined();
}

// reluDerivativeTimes(y, dy, out)
Napi::Value ReluDerivativeTimes(const Napi::CallbackInfo& info) {
  Args args(info, "reluDerivativeTimes");
  const std::size_t n = args.length(0, "y", "a Float32Array");
  reluDerivativeTimes(args.floats(0, "y", n), args.floats(1, "dy", n), args.floats(2, "out", n), n);
  return info.Env().Undefined();
}

// sum(x, out, outer, reduce, inner)
Napi::Value Sum(const Napi::CallbackInfo& info) {
  Args args(info, "sum");
  const std::size_t outer = args.integer(2, "outer");
  const std::size_t reduce = args.integer(3, "reduce");
  const std::size_t inner = args.integer(4, "inner");
  sumMiddle(args.floats(0, "x", outer * reduce * inner), args.floats(1, "out", outer * inner), outer, reduce, inner);
  return info.Env().Undefined();
}

// gather(x, indices, out, outer, dim, inner) → −1, or the position of the first index outside [0, dim)
Napi::Value Gather(const Napi::CallbackInfo& info) {
  Args args(info, "gather");
  const std::size_t outer = args.integer(3, "outer");
  const std::size_t dim = args.integer(4, "dim");
  const std::size_t inner = args.integer(5, "inner");
  const std::size_t count = args.length(1, "indices", "an Int32Array");
  const std::ptrdiff_t bad = gather(args.floats(0, "x", outer * dim * inner), outer, dim, inner,
                                    args.ints(1, "indices", count), count, args.floats(2, "out", outer * count * inner));
  return Napi::Number::New(info.Env(), static_cast<double>(bad));
}

Napi::Object RegisterFunctions(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("reuseFreedMemory", Napi::Function::New(env, ReuseFreedMemory, "reuseFreedMemory"));
  exports.Set("setBlasThreads", Napi::Function::New(env, SetBlasThreads, "setBlasThreads"));
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul, "batchMatMul"));
  exports.Set("conv2d", Napi::Function::New(env, Conv2d, "conv2d"));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput, "conv2dBackpropInput"));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter, "conv2dBackpropFilter"));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool, "maxPool"));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad, "maxPoolGrad"));
  exports.Set("avgPool", Napi::Function::New(env, AvgPool, "avgPool"));
  exports.Set("avgPoolGrad", Napi::Function::New(env, AvgPoolGrad, "avgPoolGrad"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("relu", Napi::Function::New(env, Relu, "relu"));
  exports.Set("step", Napi::Function::New(env, Step, "step"));
  exports.Set("axpby", Napi::Function::New(env, Axpby, "axpby"));
  exports.Set("axpbySquare", Napi::Function::New(env, AxpbySquare, "axpbySquare"));
  exports.Set("divideByRoot", Napi::Function::New(env, DivideByRoot, "divideByRoot"));
  exports.Set("innerProducts", Napi::Function::New(env, InnerProducts, "innerProducts"));
  exports.Set("reluDerivativeTimes", Napi::Function::New(env, ReluDerivativeTimes, "reluDerivativeTimes"));
  exports.Set("sum", Napi::Function::New(env, Sum, "sum"));
  exports.Set("gather", Napi::Function::New(env, Gather, "gather"));
  return exports;
}

}  // namespace
}  // namespace curvelab

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return curvelab::RegisterFunctions(env, exports); }

NODE_API_MODULE(curvelab_native, Init)
