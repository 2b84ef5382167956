#include "pool.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "thread_pool.h"

namespace curvelab {
namespace {

// The real inputs under one output position: rows [y0, y1) and columns [x0, x1) of the input.
struct Window {
  int y0, y1, x0, x1;
};

Window windowAt(const WindowGeometry& g, int oy, int ox) {
  const int top = oy * g.strideHeight - g.padTop;
  const int left = ox * g.strideWidth - g.padLeft;
  return {std::max(top, 0), std::min(top + g.filterHeight, g.inHeight), std::max(left, 0),
          std::min(left + g.filterWidth, g.inWidth)};
}

// Channels are handled in blocks of this many, with the running maxima in local arrays, so that the
// compiler can keep them in registers and vectorise the comparisons (no aliasing with x or the outputs).
constexpr int kChannelBlock = 64;

// Folds one window tap into the running maxima of `count` channels. Strictly greater: the first maximum
// wins, and NaN never does (as in TF.js). Written with a mask so that it vectorises.
inline void foldTap(const float* pixel, std::int32_t base, int count, float* __restrict best,
                    std::int32_t* __restrict where) {
  for (int ch = 0; ch < count; ch++) {
    const float p = pixel[ch];
    const float b = best[ch];
    const std::int32_t greater = -static_cast<std::int32_t>(p > b);
    best[ch] = p > b ? p : b;
    where[ch] = (where[ch] & ~greater) | ((base + ch) & greater);
  }
}

// For one output position of one image: the maximum of each channel and its (image-relative) flat index.
// Channels are the innermost loop, so each window tap reads one contiguous run of x.
void windowMaxima(const WindowGeometry& g, const float* image, const Window& w, float* best, std::int32_t* where) {
  const int c = g.inChannels;
  for (int c0 = 0; c0 < c; c0 += kChannelBlock) {
    const int count = std::min(kChannelBlock, c - c0);
    float localBest[kChannelBlock];
    std::int32_t localWhere[kChannelBlock];
    for (int ch = 0; ch < count; ch++) {
      localBest[ch] = -std::numeric_limits<float>::infinity();
      localWhere[ch] = -1;
    }
    for (int iy = w.y0; iy < w.y1; iy++) {
      for (int ix = w.x0; ix < w.x1; ix++) {
        const std::int32_t base = (iy * g.inWidth + ix) * c + c0;
        foldTap(image + base, base, count, localBest, localWhere);
      }
    }
    std::copy(localBest, localBest + count, best + c0);
    std::copy(localWhere, localWhere + count, where + c0);
  }
}

constexpr std::size_t kRowsPerTask = 8;

}  // namespace

void maxPool(const WindowGeometry& g, const float* x, float* y, std::int32_t* argmax, bool includeBatchInIndex) {
  const std::size_t rows = static_cast<std::size_t>(g.batch) * g.outHeight;
  parallelFor(rows, kRowsPerTask, [&](std::size_t begin, std::size_t end) {
    std::vector<std::int32_t> where(g.inChannels);
    for (std::size_t r = begin; r < end; r++) {
      const std::size_t n = r / g.outHeight;
      const int oy = static_cast<int>(r % g.outHeight);
      const float* image = x + n * g.imageSize();
      const std::int32_t offset = includeBatchInIndex ? static_cast<std::int32_t>(n * g.imageSize()) : 0;
      for (int ox = 0; ox < g.outWidth; ox++) {
        const std::size_t out = (r * g.outWidth + ox) * g.inChannels;
        windowMaxima(g, image, windowAt(g, oy, ox), y + out, where.data());
        if (!argmax) continue;
        for (int ch = 0; ch < g.inChannels; ch++) argmax[out + ch] = where[ch] < 0 ? -1 : where[ch] + offset;
      }
    }
  });
}

void maxPoolGrad(const WindowGeometry& g, const float* dy, const float* x, float* dx) {
  // One image per task: a window's maximum lies in its own image, so tasks never write the same dx.
  parallelFor(g.batch, 1, [&](std::size_t begin, std::size_t end) {
    std::vector<float> best(g.inChannels);
    std::vector<std::int32_t> where(g.inChannels);
    for (std::size_t n = begin; n < end; n++) {
      const float* image = x + n * g.imageSize();
      float* grad = dx + n * g.imageSize();
      std::fill(grad, grad + g.imageSize(), 0.0f);
      const float* dyImage = dy + n * g.outImageSize();
      for (int oy = 0; oy < g.outHeight; oy++) {
        for (int ox = 0; ox < g.outWidth; ox++) {
          windowMaxima(g, image, windowAt(g, oy, ox), best.data(), where.data());
          const float* d = dyImage + (static_cast<std::size_t>(oy) * g.outWidth + ox) * g.inChannels;
          for (int ch = 0; ch < g.inChannels; ch++) {
            if (where[ch] >= 0) grad[where[ch]] += d[ch];
          }
        }
      }
    }
  });
}

void avgPool(const WindowGeometry& g, const float* x, float* y) {
  const std::size_t rows = static_cast<std::size_t>(g.batch) * g.outHeight;
  parallelFor(rows, kRowsPerTask, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; r++) {
      const std::size_t n = r / g.outHeight;
      const int oy = static_cast<int>(r % g.outHeight);
      const float* image = x + n * g.imageSize();
      for (int ox = 0; ox < g.outWidth; ox++) {
        const Window w = windowAt(g, oy, ox);
        float* out = y + (r * g.outWidth + ox) * g.inChannels;
        std::fill(out, out + g.inChannels, 0.0f);
        for (int iy = w.y0; iy < w.y1; iy++) {
          for (int ix = w.x0; ix < w.x1; ix++) {
            const float* pixel = image + (static_cast<std::size_t>(iy) * g.inWidth + ix) * g.inChannels;
            for (int ch = 0; ch < g.inChannels; ch++) out[ch] += pixel[ch];
          }
        }
        // An empty window gives 0/0 = NaN, as in TF.js.
        const float count = static_cast<float>(std::max(w.y1 - w.y0, 0) * std::max(w.x1 - w.x0, 0));
        for (int ch = 0; ch < g.inChannels; ch++) out[ch] /= count;
      }
    }
  });
}

void avgPoolGrad(const WindowGeometry& g, const float* dy, float* dx) {
  const float scale = 1.0f / static_cast<float>(g.filterHeight * g.filterWidth);
  parallelFor(g.batch, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t n = begin; n < end; n++) {
      float* grad = dx + n * g.imageSize();
      std::fill(grad, grad + g.imageSize(), 0.0f);
      const float* dyImage = dy + n * g.outImageSize();
      for (int oy = 0; oy < g.outHeight; oy++) {
        for (int ox = 0; ox < g.outWidth; ox++) {
          const Window w = windowAt(g, oy, ox);
          const float* d = dyImage + (static_cast<std::size_t>(oy) * g.outWidth + ox) * g.inChannels;
          for (int iy = w.y0; iy < w.y1; iy++) {
            for (int ix = w.x0; ix < w.x1; ix++) {
              float* target = grad + (static_cast<std::size_t>(iy) * g.inWidth + ix) * g.inChannels;
              for (int ch = 0; ch < g.inChannels; ch++) target[ch] += d[ch] * scale;
            }
          }
        }
      }
    }
  });
}

}  // namespace curvelab
