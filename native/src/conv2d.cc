#include "conv2d.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "thread_pool.h"

namespace curvelab {
namespace {

// The im2col matrix of a chunk of images holds at most about this many floats (8 MB): large enough for
// an efficient product, small enough to stay in cache between im2col and the product.
constexpr std::size_t kPatchBudget = std::size_t(2) << 20;

// One workspace per thread (pool workers, and several worker_threads that may use the addon at once),
// kept between calls so that its pages are not faulted in again for every convolution.
float* workspace(std::size_t size) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

bool isPointwise(const WindowGeometry& g) {
  return g.filterHeight == 1 && g.filterWidth == 1 && g.strideHeight == 1 && g.strideWidth == 1 && g.padTop == 0 &&
         g.padLeft == 0 && g.outHeight == g.inHeight && g.outWidth == g.inWidth;
}

// How the batch is cut: `count` chunks of `images` images (the last may have fewer). Where the batch
// allows, there are at least two chunks per thread, and each thread runs whole chunks — im2col and a
// one-thread product — side by side with the others: that keeps every core busy through the im2col
// phases and avoids the BLAS's own synchronisation inside products that are small for two threads.
struct Chunks {
  int images;
  int count;
};

Chunks chunksOf(const WindowGeometry& g) {
  const std::size_t perImage = static_cast<std::size_t>(g.outHeight) * g.outWidth * g.patchSize();
  const std::size_t byBudget = std::max<std::size_t>(1, kPatchBudget / std::max<std::size_t>(perImage, 1));
  const std::size_t pieces = 2 * static_cast<std::size_t>(poolThreadCount());
  const std::size_t byThreads = std::max<std::size_t>(1, (g.batch + pieces - 1) / pieces);
  const int images = static_cast<int>(std::min({byBudget, byThreads, static_cast<std::size_t>(g.batch)}));
  return {images, (g.batch + images - 1) / images};
}

// The runs im2col copies are short when there are few input channels (3 floats for a 3×3 filter over a
// grey image): a plain loop beats a call to memcpy there.
inline void copyFloats(float* __restrict dst, const float* __restrict src, std::size_t n) {
  if (n >= 32) {
    std::memcpy(dst, src, n * sizeof(float));
  } else {
    for (std::size_t i = 0; i < n; i++) dst[i] = src[i];
  }
}

// Rows [rowBegin, rowEnd) of im2col(x), each row one output row (n, oy) of the images at x:
// cols[((n·outHeight + oy)·outWidth + ox), (fy·filterWidth + fx)·inChannels + i], zero outside x.
void im2colRows(const WindowGeometry& g, const float* x, std::size_t rowBegin, std::size_t rowEnd, float* cols) {
  const std::size_t patch = g.patchSize();
  const std::size_t tapRow = static_cast<std::size_t>(g.filterWidth) * g.inChannels;
  for (std::size_t r = rowBegin; r < rowEnd; r++) {
    const std::size_t n = r / g.outHeight;
    const int oy = static_cast<int>(r % g.outHeight);
    const float* image = x + n * g.imageSize();
    float* out = cols + r * g.outWidth * patch;
    for (int ox = 0; ox < g.outWidth; ox++, out += patch) {
      const int x0 = ox * g.strideWidth - g.padLeft;
      const bool rowInside = x0 >= 0 && x0 + g.filterWidth <= g.inWidth;
      for (int fy = 0; fy < g.filterHeight; fy++) {
        const int iy = oy * g.strideHeight - g.padTop + fy;
        float* tap = out + fy * tapRow;
        if (iy < 0 || iy >= g.inHeight) {
          std::fill(tap, tap + tapRow, 0.0f);
          continue;
        }
        const float* src = image + (static_cast<std::size_t>(iy) * g.inWidth) * g.inChannels;
        if (rowInside) {
          copyFloats(tap, src + static_cast<std::size_t>(x0) * g.inChannels, tapRow);
          continue;
        }
        for (int fx = 0; fx < g.filterWidth; fx++) {
          const int ix = x0 + fx;
          float* dst = tap + static_cast<std::size_t>(fx) * g.inChannels;
          if (ix < 0 || ix >= g.inWidth) {
            std::fill(dst, dst + g.inChannels, 0.0f);
          } else {
            copyFloats(dst, src + static_cast<std::size_t>(ix) * g.inChannels, g.inChannels);
          }
        }
      }
    }
  }
}

// dx (zeroed by the caller) += the patches of cols scattered back to where im2col took them, for the
// images [imageBegin, imageEnd) of the chunk that cols holds.
void col2imImages(const WindowGeometry& g, const float* cols, std::size_t imageBegin, std::size_t imageEnd, float* dx) {
  const std::size_t patch = g.patchSize();
  for (std::size_t n = imageBegin; n < imageEnd; n++) {
    float* image = dx + n * g.imageSize();
    const float* in = cols + n * g.outHeight * g.outWidth * patch;
    for (int oy = 0; oy < g.outHeight; oy++) {
      for (int ox = 0; ox < g.outWidth; ox++, in += patch) {
        const int x0 = ox * g.strideWidth - g.padLeft;
        for (int fy = 0; fy < g.filterHeight; fy++) {
          const int iy = oy * g.strideHeight - g.padTop + fy;
          if (iy < 0 || iy >= g.inHeight) continue;
          float* row = image + static_cast<std::size_t>(iy) * g.inWidth * g.inChannels;
          const float* tap = in + static_cast<std::size_t>(fy) * g.filterWidth * g.inChannels;
          for (int fx = 0; fx < g.filterWidth; fx++) {
            const int ix = x0 + fx;
            if (ix < 0 || ix >= g.inWidth) continue;
            float* dst = row + static_cast<std::size_t>(ix) * g.inChannels;
            const float* src = tap + static_cast<std::size_t>(fx) * g.inChannels;
            for (int i = 0; i < g.inChannels; i++) dst[i] += src[i];
          }
        }
      }
    }
  }
}

// Runs chunk(index, firstImage, images, cols) for every chunk of the batch, with a workspace of the
// chunk's im2col size: in parallel (one-thread products) when there are several chunks, otherwise
// on the calling thread with the BLAS free to use its threads.
template <typename ChunkFn>
void forEachChunk(const WindowGeometry& g, const Chunks& c, ChunkFn chunk) {
  const std::size_t colsSize = static_cast<std::size_t>(c.images) * g.outHeight * g.outWidth * g.patchSize();
  if (c.count == 1) {
    chunk(0, 0, g.batch, workspace(colsSize), false);
    return;
  }
  SingleThreadedBlas oneThreadEach;
  parallelFor(c.count, 1, [&](std::size_t begin, std::size_t end) {
    float* cols = workspace(colsSize);
    for (std::size_t i = begin; i < end; i++) {
      const int n0 = static_cast<int>(i) * c.images;
      chunk(static_cast<int>(i), n0, std::min(c.images, g.batch - n0), cols, true);
    }
  });
}

// im2col of `images` images, across the pool unless the caller already runs in it.
void im2col(const WindowGeometry& g, const float* x, int images, float* cols, bool inPool) {
  const std::size_t rows = static_cast<std::size_t>(images) * g.outHeight;
  if (inPool) {
    im2colRows(g, x, 0, rows, cols);
  } else {
    parallelFor(rows, 4, [&](std::size_t begin, std::size_t end) { im2colRows(g, x, begin, end, cols); });
  }
}

void product(bool inPool, bool transposeA, bool transposeB, int m, int n, int k, const float* a, int lda,
             const float* b, int ldb, float beta, float* c, int ldc) {
  if (inPool) {
    sgemmOnThisThread(transposeA, transposeB, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  } else {
    sgemm(transposeA, transposeB, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace

void conv2d(const WindowGeometry& g, const float* x, const float* filter, float* y) {
  if (g.outputSize() == 0) return;
  const int k = static_cast<int>(g.patchSize());
  const int pixels = g.outHeight * g.outWidth;
  if (isPointwise(g)) {
    sgemm(false, false, g.batch * pixels, g.outChannels, k, 1.0f, x, k, filter, g.outChannels, 0.0f, y, g.outChannels);
    return;
  }
  forEachChunk(g, chunksOf(g), [&](int, int n0, int images, float* cols, bool inPool) {
    im2col(g, x + n0 * g.imageSize(), images, cols, inPool);
    product(inPool, false, false, images * pixels, g.outChannels, k, cols, k, filter, g.outChannels, 0.0f,
            y + n0 * g.outImageSize(), g.outChannels);
  });
}

void conv2dBackpropInput(const WindowGeometry& g, const float* dy, const float* filter, float* dx) {
  const int k = static_cast<int>(g.patchSize());
  const int pixels = g.outHeight * g.outWidth;
  if (isPointwise(g)) {
    sgemm(false, true, g.batch * pixels, k, g.outChannels, 1.0f, dy, g.outChannels, filter, g.outChannels, 0.0f, dx, k);
    return;
  }
  if (g.outputSize() == 0) {
    std::fill(dx, dx + g.inputSize(), 0.0f);
    return;
  }
  forEachChunk(g, chunksOf(g), [&](int, int n0, int images, float* cols, bool inPool) {
    product(inPool, false, true, images * pixels, k, g.outChannels, dy + n0 * g.outImageSize(), g.outChannels, filter,
            g.outChannels, 0.0f, cols, k);
    float* dxChunk = dx + n0 * g.imageSize();
    std::fill(dxChunk, dxChunk + images * g.imageSize(), 0.0f);
    if (inPool) {
      col2imImages(g, cols, 0, images, dxChunk);
    } else {
      // One image per task: the patches of one image overlap only within that image.
      parallelFor(images, 1, [&](std::size_t begin, std::size_t end) { col2imImages(g, cols, begin, end, dxChunk); });
    }
  });
}

void conv2dBackpropFilter(const WindowGeometry& g, const float* x, const float* dy, float* dw) {
  const int k = static_cast<int>(g.patchSize());
  const int pixels = g.outHeight * g.outWidth;
  const std::size_t filterSize = g.filterSize();
  if (g.outputSize() == 0) {
    std::fill(dw, dw + filterSize, 0.0f);
    return;
  }
  if (isPointwise(g)) {
    sgemm(true, false, k, g.outChannels, g.batch * pixels, 1.0f, x, k, dy, g.outChannels, 0.0f, dw, g.outChannels);
    return;
  }
  const Chunks c = chunksOf(g);
  // Each chunk's share of dw goes to its own slot, summed in chunk order afterwards: no two threads write
  // the same memory, and the result does not depend on which thread ran which chunk.
  std::vector<float> partial(c.count > 1 ? c.count * filterSize : 0);
  forEachChunk(g, c, [&](int index, int n0, int images, float* cols, bool inPool) {
    im2col(g, x + n0 * g.imageSize(), images, cols, inPool);
    float* target = c.count > 1 ? partial.data() + index * filterSize : dw;
    product(inPool, true, false, k, g.outChannels, images * pixels, cols, k, dy + n0 * g.outImageSize(), g.outChannels,
            0.0f, target, g.outChannels);
  });
  if (c.count == 1) return;
  std::copy(partial.begin(), partial.begin() + filterSize, dw);
  for (int i = 1; i < c.count; i++) {
    const float* part = partial.data() + i * filterSize;
    for (std::size_t j = 0; j < filterSize; j++) dw[j] += part[j];
  }
}

}  // namespace curvelab
