// The plugin's own parallel loops. They run on the OpenMP pool that oneDNN uses as well (one runtime, one
// pool per process), and only when the work is large enough to pay for waking the pool: small calls stay on
// the calling thread and never touch OpenMP at all. Inside an active parallel region they run serially, so
// the plugin never adds threads on top of a busy pool.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <exception>

namespace keel::onednn {

// Below this many elements per thread a loop is not worth splitting (roughly 10-20 us of streaming work).
inline constexpr int64_t kMinElementsPerThread = 1 << 15;

// How many threads a loop over `count` units should use, each taking at least `min_per_thread`.
inline int threads_for(int64_t count, int64_t min_per_thread = kMinElementsPerThread) {
  if (count < 2 * min_per_thread || omp_in_parallel()) return 1;
  const int64_t wanted = count / min_per_thread;
  return static_cast<int>(std::min<int64_t>(wanted, omp_get_max_threads()));
}

// Calls body(begin, end) over disjoint ranges covering [0, count), in parallel when worth it. Range
// boundaries are multiples of `align` (except the last), so threads never share a cache line of output when
// `align` elements span one. An exception thrown by a body is rethrown here after the region ends.
template <class Body>
void parallel_ranges(int64_t count, Body&& body, int64_t min_per_thread = kMinElementsPerThread,
                     int64_t align = 16) {
  if (count <= 0) return;
  const int threads = threads_for(count, min_per_thread);
  if (threads <= 1) {
    body(int64_t{0}, count);
    return;
  }
  std::exception_ptr error;
#pragma omp parallel num_threads(threads)
  {
    const int64_t parts = omp_get_num_threads();
    const int64_t part = omp_get_thread_num();
    const int64_t blocks = (count + align - 1) / align;
    const int64_t begin = std::min(count, blocks * part / parts * align);
    const int64_t end = part + 1 == parts ? count : std::min(count, blocks * (part + 1) / parts * align);
    if (begin < end) {
      try {
        body(begin, end);
      } catch (...) {
#pragma omp critical(keel_onednn_parallel_error)
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

// memcpy / memset split over the pool for large sizes (a single core does not saturate memory bandwidth).
void parallel_memcpy(void* dst, const void* src, size_t bytes);
void parallel_memset(void* dst, int value, size_t bytes);
// Fills `bytes` (a multiple of pattern_size: 1, 2, 4 or 8) with the repeated pattern.
void parallel_pattern_fill(void* dst, size_t bytes, const void* pattern, uint32_t pattern_size);

}  // namespace keel::onednn
