#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace curvelab {
namespace {

// A job is cut into more pieces than there are threads, and every thread (the caller included) takes
// the next piece until none is left. A worker that the OS does not schedule in time (another process
// busy on the same cores) then simply takes no piece, and the caller does its share instead of
// waiting for it. Workers sleep on a condition variable between jobs and never spin: OpenBLAS's threads
// share the same cores.
class ThreadPool {
 public:
  explicit ThreadPool(int workers) {
    for (int i = 0; i < workers; i++) threads_.emplace_back([this] { workerLoop(); });
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  int threadCount() const { return static_cast<int>(threads_.size()) + 1; }

  void run(std::size_t n, std::size_t minChunk, const std::function<void(std::size_t, std::size_t)>& body) {
    const std::size_t byWork = minChunk == 0 ? n : n / minChunk;
    const std::size_t pieces = std::min<std::size_t>(static_cast<std::size_t>(threadCount()) * kPiecesPerThread, byWork);
    std::unique_lock<std::mutex> owner(owner_, std::try_to_lock);
    if (pieces < 2 || threads_.empty() || !owner.owns_lock()) {
      body(0, n);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      n_ = n;
      pieces_ = pieces;
      next_.store(0);
      open_ = true;
      generation_++;
    }
    wake_.notify_all();
    takePieces();
    std::unique_lock<std::mutex> lock(mutex_);
    open_ = false;  // workers that wake from now on leave this job alone
    done_.wait(lock, [this] { return active_ == 0; });
    body_ = nullptr;
  }

 private:
  static constexpr std::size_t kPiecesPerThread = 4;

  void takePieces() {
    for (std::size_t piece; (piece = next_.fetch_add(1)) < pieces_;) {
      const std::size_t begin = n_ * piece / pieces_;
      const std::size_t end = n_ * (piece + 1) / pieces_;
      if (begin < end) (*body_)(begin, end);
    }
  }

  void workerLoop() {
    std::size_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        if (!open_) continue;
        active_++;
      }
      takePieces();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--active_ == 0) done_.notify_one();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex owner_;  // held by the thread whose job the pool runs
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::size_t, std::size_t)>* body_ = nullptr;
  std::size_t n_ = 0;
  std::size_t pieces_ = 0;
  std::atomic<std::size_t> next_{0};
  std::size_t active_ = 0;  // workers inside takePieces for the open job
  std::size_t generation_ = 0;
  bool open_ = false;
  bool stopping_ = false;
};

ThreadPool& pool() {
  static ThreadPool instance(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) - 1);
  return instance;
}

}  // namespace

void parallelFor(std::size_t n, std::size_t minChunk, const std::function<void(std::size_t, std::size_t)>& body) {
  pool().run(n, minChunk, body);
}

int poolThreadCount() { return pool().threadCount(); }

}  // namespace curvelab
