// The geometry of a 2-D convolution or pooling window over NHWC data, as TF.js computes it
// (backend_util.computeConv2DInfo / computePool2DInfo): the caller passes the output size and the
// padding before the first row and column, so 'same', 'valid' and explicit padding all look alike here.
#pragma once

#include <cstddef>

namespace curvelab {

struct WindowGeometry {
  int batch;
  int inHeight, inWidth, inChannels;
  int outHeight, outWidth, outChannels;  // pooling: outChannels == inChannels
  int filterHeight, filterWidth;
  int strideHeight, strideWidth;
  int padTop, padLeft;  // may be negative only for explicit padding that crops; dilation is always 1

  std::size_t inputSize() const { return static_cast<std::size_t>(batch) * inHeight * inWidth * inChannels; }
  std::size_t outputSize() const { return static_cast<std::size_t>(batch) * outHeight * outWidth * outChannels; }
  std::size_t imageSize() const { return static_cast<std::size_t>(inHeight) * inWidth * inChannels; }
  std::size_t outImageSize() const { return static_cast<std::size_t>(outHeight) * outWidth * outChannels; }
  std::size_t filterSize() const {
    return static_cast<std::size_t>(filterHeight) * filterWidth * inChannels * outChannels;
  }
  // Columns of the im2col matrix: one per filter tap and input channel.
  std::size_t patchSize() const { return static_cast<std::size_t>(filterHeight) * filterWidth * inChannels; }
};

}  // namespace curvelab
