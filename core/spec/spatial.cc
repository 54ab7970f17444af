#include "spec/spatial.h"

#include <limits>

namespace keel::spec {
namespace {

constexpr int64_t kOverflow = std::numeric_limits<int64_t>::min();

// a + b + c with overflow reported as kOverflow.
int64_t sum3(int64_t a, int64_t b, int64_t c) {
  int64_t ab;
  int64_t abc;
  if (__builtin_add_overflow(a, b, &ab) || __builtin_add_overflow(ab, c, &abc)) return kOverflow;
  return abc;
}

// floor(a / b) for b > 0.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && (a < 0)); }

}  // namespace

Window window_of(int64_t kernel, std::span<const int64_t> strides, std::span<const int64_t> pads,
                 std::span<const int64_t> dilations, uint32_t i, uint32_t k) {
  Window w;
  w.kernel = kernel;
  if (i < strides.size()) w.stride = strides[i];
  if (i < dilations.size()) w.dilation = dilations[i];
  if (pads.size() == 2 * static_cast<size_t>(k)) {
    w.pad_begin = pads[i];
    w.pad_end = pads[k + i];
  }
  return w;
}

int64_t effective_kernel(const Window& w) {
  int64_t span;
  int64_t out;
  if (__builtin_mul_overflow(w.dilation, w.kernel - 1, &span) || __builtin_add_overflow(span, 1, &out)) return -1;
  return out;
}

int64_t pool_output_size(int64_t in, const Window& w, bool ceil_mode) {
  int64_t span = effective_kernel(w);
  if (span < 0) return kOverflow;
  int64_t room = sum3(in, w.pad_begin, w.pad_end);
  if (room == kOverflow) return kOverflow;
  room -= span;  // both non-negative: no overflow
  int64_t steps = ceil_mode ? -floor_div(-room, w.stride) : floor_div(room, w.stride);
  int64_t out = steps + 1;
  // ceil_mode: a last window that would start in the end padding is dropped.
  if (ceil_mode && out > 0) {
    int64_t start;
    if (__builtin_mul_overflow(out - 1, w.stride, &start)) return kOverflow;
    if (start >= in + w.pad_begin) --out;
  }
  return out;
}

int64_t conv_transpose_output_size(int64_t in, const Window& w, int64_t output_padding) {
  int64_t span = effective_kernel(w);
  int64_t scaled;
  if (span < 0 || __builtin_mul_overflow(in - 1, w.stride, &scaled)) return kOverflow;
  int64_t grown = sum3(scaled, span, output_padding);
  int64_t pads;
  if (grown == kOverflow || __builtin_add_overflow(w.pad_begin, w.pad_end, &pads)) return kOverflow;
  return grown - pads;
}

}  // namespace keel::spec
