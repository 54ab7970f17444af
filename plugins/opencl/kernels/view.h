// Strided views of tensors as the kernels address them, and their packing into kernel arguments.
//
// A View is a keel_tensor_desc_t without its buffer: element offset, shape and strides in elements. Plans
// are made from views (buffers and byte offsets arrive only at compute time), so a view's offset is filled
// in per call. The argument structs below mirror the OpenCL C structs of kernels/cl/common.cl field for
// field (all 64-bit, so both sides lay them out identically).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "keel/keel_types.h"

namespace keel::opencl {

constexpr uint32_t kMaxRank = KEEL_MAX_RANK;

struct View {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  uint32_t rank = 0;
  std::array<int64_t, kMaxRank> shape{};
  std::array<int64_t, kMaxRank> strides{};  // in elements; 0 repeats, negative walks backwards
  int64_t offset = 0;  // elements from the descriptor's own offset (windows of slice and concat)

  int64_t count() const;
  std::string shape_text() const;  // "[2, 3]"
};

// The view of a descriptor (its buffer and byte offset aside).
View view_of(const keel_tensor_desc_t& desc);
// The element offset of a descriptor: byte_offset / element size.
int64_t element_offset(const keel_tensor_desc_t& desc);

// `view` seen with shape `shape`, numpy style (aligned at the last axis; missing and size-1 axes repeat with
// stride 0). INVALID_ARGUMENT when it does not broadcast.
View broadcast_to(const View& view, uint32_t rank, const int64_t* shape);
// The elements start, start + step, ... (count of them) along `axis`.
View window(const View& view, uint32_t axis, int64_t start, int64_t count, int64_t step);
// Axis i of the result is axis `axes[i]` of `view`.
View permuted(const View& view, std::span<const uint32_t> axes);
// An axis in [-rank, rank) as an index in [0, rank); INVALID_ARGUMENT outside.
uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* name);
// INVALID_ARGUMENT unless `view` has the given shape (host-inferred shapes are double-checked).
void require_shape(const View& view, uint32_t rank, const int64_t* shape, const char* what);

// Several views of one shape, iterated together: keel_layout in OpenCL C.
constexpr size_t kMaxLayoutTensors = 4;
struct ClLayout {
  int64_t rank = 0;
  int64_t count = 0;
  int64_t shape[kMaxRank] = {};
  int64_t stride[kMaxLayoutTensors][kMaxRank] = {};
  int64_t offset[kMaxLayoutTensors] = {};
};
static_assert(sizeof(ClLayout) == 8 * (2 + kMaxRank + kMaxLayoutTensors * kMaxRank + kMaxLayoutTensors));

// The views (all of one shape, at most kMaxLayoutTensors) collapsed to the fewest axes that address the same
// elements in the same order: size-1 axes dropped, neighbours merged where every view allows it.
ClLayout joint_layout(std::span<const View> views);
// True when every one of the first `tensors` views walks its elements contiguously (so kernels can index
// with the linear id alone).
bool is_dense(const ClLayout& layout, size_t tensors);

// One view on its own: keel_side in OpenCL C. Two sides make a copy between different shapes (reshape).
struct ClSide {
  int64_t rank = 0;
  int64_t shape[kMaxRank] = {};
  int64_t stride[kMaxRank] = {};
  int64_t offset = 0;
};
static_assert(sizeof(ClSide) == 8 * (2 + 2 * kMaxRank));

ClSide side_of(const View& view);
// True when the side walks its elements contiguously.
bool is_dense(const ClSide& side);

}  // namespace keel::opencl
