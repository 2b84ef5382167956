#include "blas.h"

#include <thread>

namespace curvelab {

std::string blasName() {
#if defined(__APPLE__)
  return "Accelerate";
#else
  // openblas_get_config() reads "OpenBLAS <version> <build options> <core> MAX_THREADS=n": keep the first two words.
  const std::string config = openblas_get_config();
  const std::size_t first = config.find(' ');
  const std::size_t second = first == std::string::npos ? first : config.find(' ', first + 1);
  return config.substr(0, second);
#endif
}

std::string blasCore() {
#if defined(__APPLE__)
  return "";
#else
  return openblas_get_corename();
#endif
}

int blasThreadCount() {
#if defined(__APPLE__)
  return static_cast<int>(std::thread::hardware_concurrency());
#else
  return openblas_get_num_threads();
#endif
}

void setBlasThreadCount(int threads) {
#if !defined(__APPLE__)
  openblas_set_num_threads(threads);
#else
  (void)threads;
#endif
}

}  // namespace curvelab
