#include "layers/ops/tensor_layout.h"

#include <algorithm>
#include <cstring>

#include "layers/ops/dtype_convert.h"

namespace keel::conform {
namespace {

constexpr uint64_t kOffsetElements = 3;  // kOffset starts this many elements into the buffer
constexpr uint64_t kTailElements = 2;    // and leaves this many after the last one

void dense_strides(const TensorLayout& layout, int64_t* out) {
  int64_t stride = 1;
  for (uint32_t i = layout.rank; i-- > 0;) {
    out[i] = stride;
    stride *= std::max<int64_t>(layout.shape[i], 1);
  }
}

// The smallest and largest element index the strides reach (0 and 0 for an empty tensor).
void reach(const TensorLayout& layout, int64_t* low, int64_t* high) {
  *low = *high = 0;
  for (uint32_t i = 0; i < layout.rank; ++i) {
    if (layout.shape[i] == 0) {
      *low = *high = 0;
      return;
    }
    const int64_t extent = (layout.shape[i] - 1) * layout.strides[i];
    (extent < 0 ? *low : *high) += extent;
  }
}

}  // namespace

int64_t TensorLayout::element_count() const {
  int64_t count = 1;
  for (uint32_t i = 0; i < rank; ++i) count *= shape[i];
  return count;
}

uint64_t TensorLayout::buffer_bytes() const { return span_elements * dtype_bytes(dtype); }

std::vector<uint64_t> TensorLayout::positions() const {
  const int64_t count = element_count();
  std::vector<uint64_t> out;
  out.reserve(static_cast<size_t>(count));
  int64_t index[KEEL_MAX_RANK] = {};
  for (int64_t n = 0; n < count; ++n) {
    int64_t at = static_cast<int64_t>(offset_elements);
    for (uint32_t i = 0; i < rank; ++i) at += index[i] * strides[i];
    out.push_back(static_cast<uint64_t>(at));
    for (uint32_t i = rank; i-- > 0;) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

TensorLayout make_layout(const spec::TensorMeta& meta, ViewKind view, bool is_input) {
  TensorLayout layout;
  layout.dtype = meta.dtype;
  layout.rank = meta.rank;
  std::copy(meta.dims, meta.dims + meta.rank, layout.shape);
  dense_strides(layout, layout.strides);
  switch (view) {
    case ViewKind::kDense:
    case ViewKind::kOffset:
      break;
    case ViewKind::kStrided: {
      // A gap after every innermost element and one more after every row: every level has holes.
      int64_t stride = 2;
      for (uint32_t i = layout.rank; i-- > 0;) {
        layout.strides[i] = stride;
        stride = stride * std::max<int64_t>(layout.shape[i], 1) + 1;
      }
      break;
    }
    case ViewKind::kReversed:
      for (uint32_t i = 0; i < layout.rank; ++i) layout.strides[i] = -layout.strides[i];
      break;
    case ViewKind::kTransposed: {
      int64_t stride = 1;
      for (uint32_t i = 0; i < layout.rank; ++i) {
        layout.strides[i] = stride;
        stride *= std::max<int64_t>(layout.shape[i], 1);
      }
      break;
    }
    case ViewKind::kBroadcast:
      if (is_input) {
        for (uint32_t i = 0; i < layout.rank; ++i) {
          if (layout.shape[i] > 1) {
            layout.strides[i] = 0;
            break;
          }
        }
      }
      break;
  }
  int64_t low = 0, high = 0;
  reach(layout, &low, &high);
  const uint64_t lead = view == ViewKind::kOffset ? kOffsetElements : 0;
  const uint64_t tail = view == ViewKind::kOffset ? kTailElements : 0;
  layout.offset_elements = lead + static_cast<uint64_t>(-low);
  layout.span_elements = layout.element_count() == 0 ? lead + tail : lead + static_cast<uint64_t>(high - low) + 1 + tail;
  return layout;
}

int broadcast_dimension(const TensorLayout& layout) {
  for (uint32_t i = 0; i < layout.rank; ++i) {
    if (layout.strides[i] == 0 && layout.shape[i] > 1) return static_cast<int>(i);
  }
  return -1;
}

std::vector<uint8_t> scatter(const TensorLayout& layout, std::span<const uint8_t> dense, uint8_t pad) {
  const size_t size = dtype_bytes(layout.dtype);
  std::vector<uint8_t> image(layout.buffer_bytes(), pad);
  const std::vector<uint64_t> positions = layout.positions();
  for (size_t n = 0; n < positions.size(); ++n) {
    std::memcpy(image.data() + positions[n] * size, dense.data() + n * size, size);
  }
  return image;
}

std::vector<uint8_t> gather(const TensorLayout& layout, std::span<const uint8_t> image) {
  const size_t size = dtype_bytes(layout.dtype);
  const std::vector<uint64_t> positions = layout.positions();
  std::vector<uint8_t> dense(positions.size() * size);
  for (size_t n = 0; n < positions.size(); ++n) {
    std::memcpy(dense.data() + n * size, image.data() + positions[n] * size, size);
  }
  return dense;
}

bool padding_intact(const TensorLayout& layout, std::span<const uint8_t> image, uint8_t pad, uint64_t* first_bad) {
  const size_t size = dtype_bytes(layout.dtype);
  std::vector<bool> covered(image.size(), false);
  for (uint64_t position : layout.positions()) {
    std::fill_n(covered.begin() + static_cast<ptrdiff_t>(position * size), size, true);
  }
  for (size_t i = 0; i < image.size(); ++i) {
    if (!covered[i] && image[i] != pad) {
      *first_bad = i;
      return false;
    }
  }
  return true;
}

void repeat_along(const spec::TensorMeta& meta, int dimension, std::span<uint8_t> dense) {
  if (dimension < 0 || meta.element_count() == 0) return;
  const size_t size = dtype_bytes(meta.dtype);
  int64_t inner = 1;
  for (uint32_t i = static_cast<uint32_t>(dimension) + 1; i < meta.rank; ++i) inner *= meta.dims[i];
  const int64_t extent = meta.dims[dimension];
  const int64_t outer = extent == 0 ? 0 : meta.element_count() / (extent * inner);
  for (int64_t o = 0; o < outer; ++o) {
    const uint8_t* first = dense.data() + static_cast<size_t>(o * extent * inner) * size;
    for (int64_t e = 1; e < extent; ++e) {
      std::memcpy(dense.data() + static_cast<size_t>((o * extent + e) * inner) * size, first,
                  static_cast<size_t>(inner) * size);
    }
  }
}

}  // namespace keel::conform
