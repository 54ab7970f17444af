// The view operators (reshape, flatten, permute, expand, squeeze, unsqueeze, slice) as strided views of their
// input's storage: no kernel runs and nothing is copied. reshape and flatten need strides that allow it.
#include "dispatch/views.h"

#include <algorithm>
#include <string_view>

#include "dispatch/attrs.h"
#include "dispatch/op_table.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

struct ViewOps {
  int32_t reshape = find_op_index("reshape");
  int32_t flatten = find_op_index("flatten");
  int32_t permute = find_op_index("permute");
  int32_t expand = find_op_index("expand");
  int32_t squeeze = find_op_index("squeeze");
  int32_t unsqueeze = find_op_index("unsqueeze");
  int32_t slice = find_op_index("slice");
};

const ViewOps& view_ops() {
  static const ViewOps ops;
  return ops;
}

// Strides that make `shape` a view of (old_shape, old_strides) in the same row-major element order, or false
// (the chunk rule: dimensions may split or merge only where the old strides are contiguous).
bool reshape_strides(std::span<const int64_t> old_shape, std::span<const int64_t> old_strides,
                     std::span<const int64_t> shape, int64_t* strides) {
  if (numel_of(old_shape) == 0 || old_shape.empty()) {
    dense_strides(shape, strides);
    return true;
  }
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_stride = old_strides.back();
  int64_t tensor_numel = 1;
  int64_t view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_shape.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    if (d == 0 || (old_shape[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        strides[view_d] = view_numel * chunk_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (d > 0) {
        chunk_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}

// Per sliced axis: the first index, the step and the count (the spec's slice rule).
void slice_axis(int64_t d, int64_t start, int64_t end, int64_t step, int64_t* first, int64_t* count) {
  if (start < 0) start += d;
  if (end < 0) end += d;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, d);
    end = std::clamp<int64_t>(end, 0, d);
    *count = end > start ? (end - start + step - 1) / step : 0;
  } else {
    start = std::clamp<int64_t>(start, -1, d - 1);
    end = std::clamp<int64_t>(end, -1, d - 1);
    *count = start > end ? (start - end - step - 1) / -step : 0;
  }
  *first = start;
}

}  // namespace

bool is_view_op(int32_t op) {
  const ViewOps& v = view_ops();
  return op == v.reshape || op == v.flatten || op == v.permute || op == v.expand || op == v.squeeze ||
         op == v.unsqueeze || op == v.slice;
}

bool make_view(int32_t op_index, const void* attrs, const Tensor& x, const OutputMeta& meta, Tensor& out) {
  const ViewOps& v = view_ops();
  const OpEntry& op = op_table()[op_index];
  const std::span<const int64_t> shape(meta.dims, meta.rank);
  const TensorImpl& in = *x.impl();
  const int64_t rank = in.rank;
  int64_t strides[KEEL_MAX_RANK] = {};
  uint64_t offset = in.byte_offset;
  if (op_index == v.reshape || op_index == v.flatten) {
    if (!reshape_strides(x.shape(), x.strides(), shape, strides)) return false;
  } else if (op_index == v.permute) {
    std::span<const int64_t> perm = attr_ints(op, attrs, 0);
    for (size_t i = 0; i < perm.size(); ++i) strides[i] = in.strides[perm[i] < 0 ? perm[i] + rank : perm[i]];
  } else if (op_index == v.expand) {
    for (int64_t i = static_cast<int64_t>(meta.rank) - 1, j = rank - 1; i >= 0; --i, --j) {
      strides[i] = j >= 0 && in.shape[j] == meta.dims[i] ? in.strides[j] : 0;
    }
  } else if (op_index == v.squeeze) {
    // Keep the strides of the axes that stay (every size-1 axis goes when the list is empty).
    std::span<const int64_t> axes = attr_ints(op, attrs, 0);
    uint32_t k = 0;
    for (int64_t j = 0; j < rank; ++j) {
      const bool listed = std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return (a < 0 ? a + rank : a) == j; });
      if (!(axes.empty() ? in.shape[j] == 1 : listed)) strides[k++] = in.strides[j];
    }
  } else if (op_index == v.unsqueeze) {
    // Inserted positions (counted in the output) take any stride; the others keep the input's in order.
    std::span<const int64_t> axes = attr_ints(op, attrs, 0);
    const int64_t out_rank = meta.rank;
    int64_t j = 0;
    for (int64_t i = 0; i < out_rank; ++i) {
      const bool listed = std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return (a < 0 ? a + out_rank : a) == i; });
      strides[i] = listed ? 1 : in.strides[j++];
    }
  } else if (op_index == v.slice) {
    std::copy(in.strides, in.strides + rank, strides);
    std::span<const int64_t> starts = attr_ints(op, attrs, 0);
    std::span<const int64_t> ends = attr_ints(op, attrs, 1);
    std::span<const int64_t> axes = attr_ints(op, attrs, 2);
    std::span<const int64_t> steps = attr_ints(op, attrs, 3);
    bool empty = false;
    int64_t shift = 0;
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis = axes.empty() ? static_cast<int64_t>(i) : axes[i];
      if (axis < 0) axis += rank;
      const int64_t step = steps.empty() ? 1 : steps[i];
      int64_t first = 0, count = 0;
      slice_axis(in.shape[axis], starts[i], ends[i], step, &first, &count);
      empty = empty || count == 0;
      shift += first * in.strides[axis];
      strides[axis] = in.strides[axis] * step;
    }
    if (!empty) offset = static_cast<uint64_t>(static_cast<int64_t>(offset) + shift * int64_t(dtype_size(in.dtype)));
  } else {
    return false;
  }
  out = view_of(x, shape, std::span<const int64_t>(strides, meta.rank), offset);
  return true;
}

}  // namespace keel::detail
