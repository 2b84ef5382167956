// A small pool of worker threads for the loops that BLAS does not run (im2col, pooling, elementwise).
#pragma once

#include <cstddef>
#include <functional>

namespace curvelab {

// Calls body(begin, end) on contiguous parts of [0, n) on the pool's threads and the calling thread,
// and returns when all parts are done. Ranges shorter than 2 * minChunk run on the caller alone, as does
// a call made while another thread (a second worker_thread of the same process) holds the pool: such a
// call never waits for the pool. body must not throw, and must not call parallelFor itself.
void parallelFor(std::size_t n, std::size_t minChunk, const std::function<void(std::size_t, std::size_t)>& body);

// Threads that take part in parallelFor, the caller included.
int poolThreadCount();

}  // namespace curvelab
