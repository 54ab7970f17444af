#include "kernels/view.h"

#include "host.h"
#include "kernels/dtype.h"

namespace keel::opencl {

int64_t View::count() const {
  int64_t count = 1;
  for (uint32_t k = 0; k < rank; ++k) count *= shape[k];
  return count;
}

std::string View::shape_text() const {
  std::string text = "[";
  for (uint32_t k = 0; k < rank; ++k) text += (k ? ", " : "") + std::to_string(shape[k]);
  return text + "]";
}

View view_of(const keel_tensor_desc_t& desc) {
  if (desc.rank > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "rank ", desc.rank, " is above ", kMaxRank);
  View view;
  view.dtype = desc.dtype;
  view.rank = desc.rank;
  for (uint32_t k = 0; k < desc.rank; ++k) {
    if (desc.shape[k] < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "a dimension is negative");
    view.shape[k] = desc.shape[k];
    view.strides[k] = desc.strides[k];
  }
  return view;
}

int64_t element_offset(const keel_tensor_desc_t& desc) {
  const size_t size = dtype_size(desc.dtype);
  if (size == 0 || desc.byte_offset % size != 0) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "byte_offset ", desc.byte_offset, " is not a multiple of the element size");
  }
  return static_cast<int64_t>(desc.byte_offset / size);
}

View broadcast_to(const View& view, uint32_t rank, const int64_t* shape) {
  if (view.rank > rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "cannot broadcast ", view.shape_text(), " to rank ", rank);
  View result;
  result.dtype = view.dtype;
  result.rank = rank;
  const uint32_t lead = rank - view.rank;
  for (uint32_t k = 0; k < rank; ++k) {
    result.shape[k] = shape[k];
    if (k < lead) continue;  // a missing leading axis repeats (stride 0)
    const int64_t dim = view.shape[k - lead];
    if (dim == shape[k]) {
      result.strides[k] = dim == 1 ? 0 : view.strides[k - lead];
    } else if (dim == 1) {
      result.strides[k] = 0;
    } else {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "shape ", view.shape_text(), " does not broadcast to the output");
    }
  }
  return result;
}

View window(const View& view, uint32_t axis, int64_t start, int64_t count, int64_t step) {
  View result = view;
  if (count > 0) result.offset += start * view.strides[axis];
  result.shape[axis] = count;
  result.strides[axis] = view.strides[axis] * step;
  return result;
}

View permuted(const View& view, std::span<const uint32_t> axes) {
  View result = view;
  for (size_t i = 0; i < axes.size(); ++i) {
    result.shape[i] = view.shape[axes[i]];
    result.strides[i] = view.strides[axes[i]];
  }
  return result;
}

uint32_t normalize_axis(int64_t axis, uint32_t rank, const char* name) {
  const int64_t r = rank;
  if (axis < -r || axis >= r) fail(KEEL_STATUS_INVALID_ARGUMENT, name, " ", axis, " is outside [", -r, ", ", r, ")");
  return static_cast<uint32_t>(axis < 0 ? axis + r : axis);
}

void require_shape(const View& view, uint32_t rank, const int64_t* shape, const char* what) {
  bool same = view.rank == rank;
  for (uint32_t k = 0; same && k < rank; ++k) same = view.shape[k] == shape[k];
  if (!same) {
    View expected;
    expected.rank = rank;
    for (uint32_t k = 0; k < rank; ++k) expected.shape[k] = shape[k];
    fail(KEEL_STATUS_INVALID_ARGUMENT, what, " has shape ", view.shape_text(), " but ", expected.shape_text(),
         " was expected");
  }
}

ClLayout joint_layout(std::span<const View> views) {
  if (views.empty() || views.size() > kMaxLayoutTensors) fail(KEEL_STATUS_INTERNAL, "bad tensor count for a layout");
  const View& first = views[0];
  ClLayout layout;
  layout.count = first.count();
  // Keep the axes longer than 1, outermost first.
  int64_t rank = 0;
  for (uint32_t k = 0; k < first.rank; ++k) {
    if (first.shape[k] == 1) continue;
    layout.shape[rank] = first.shape[k];
    for (size_t t = 0; t < views.size(); ++t) layout.stride[t][rank] = views[t].strides[k];
    ++rank;
  }
  // Merge axis k into k-1 when every view steps over axis k-1 exactly as a whole run of axis k.
  int64_t merged = 0;
  for (int64_t k = 0; k < rank; ++k) {
    bool joins = merged > 0;
    for (size_t t = 0; joins && t < views.size(); ++t) {
      joins = layout.stride[t][merged - 1] == layout.stride[t][k] * layout.shape[k];
    }
    if (joins) {
      layout.shape[merged - 1] *= layout.shape[k];
      for (size_t t = 0; t < views.size(); ++t) layout.stride[t][merged - 1] = layout.stride[t][k];
    } else {
      layout.shape[merged] = layout.shape[k];
      for (size_t t = 0; t < views.size(); ++t) layout.stride[t][merged] = layout.stride[t][k];
      ++merged;
    }
  }
  for (int64_t k = merged; k < static_cast<int64_t>(kMaxRank); ++k) {
    layout.shape[k] = 0;
    for (size_t t = 0; t < kMaxLayoutTensors; ++t) layout.stride[t][k] = 0;
  }
  layout.rank = merged;
  return layout;
}

bool is_dense(const ClLayout& layout, size_t tensors) {
  if (layout.rank > 1) return false;
  if (layout.rank == 0) return true;
  for (size_t t = 0; t < tensors; ++t) {
    if (layout.stride[t][0] != 1) return false;
  }
  return true;
}

ClSide side_of(const View& view) {
  const View views[] = {view};
  const ClLayout layout = joint_layout(views);
  ClSide side;
  side.rank = layout.rank;
  side.offset = view.offset;
  for (int64_t k = 0; k < layout.rank; ++k) {
    side.shape[k] = layout.shape[k];
    side.stride[k] = layout.stride[0][k];
  }
  return side;
}

bool is_dense(const ClSide& side) { return side.rank == 0 || (side.rank == 1 && side.stride[0] == 1); }

}  // namespace keel::opencl
