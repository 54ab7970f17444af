// Where a tensor's elements sit in its buffer for each view kind of the numeric cases, and moving dense
// row-major data into and out of such a buffer image.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "keel/keel_types.h"
#include "model/case.h"

namespace keel::conform {

struct TensorLayout {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  uint32_t rank = 0;
  int64_t shape[KEEL_MAX_RANK] = {};
  int64_t strides[KEEL_MAX_RANK] = {};  // in elements
  uint64_t offset_elements = 0;         // byte_offset / element size
  uint64_t span_elements = 0;           // the buffer holds this many elements

  int64_t element_count() const;
  uint64_t buffer_bytes() const;
  // Buffer element index of each logical element, in row-major order.
  std::vector<uint64_t> positions() const;
};

// The layout of a tensor of `meta` for `view`. `is_input` matters for kBroadcast, which only inputs use.
TensorLayout make_layout(const spec::TensorMeta& meta, ViewKind view, bool is_input);

// Whether the view puts a stride-0 dimension on this input (kBroadcast): its dense values must then repeat
// along that dimension. Returns the dimension, or -1.
int broadcast_dimension(const TensorLayout& layout);

// Copies dense row-major elements into a buffer image (filled with `pad` bytes elsewhere), and back.
std::vector<uint8_t> scatter(const TensorLayout& layout, std::span<const uint8_t> dense, uint8_t pad);
std::vector<uint8_t> gather(const TensorLayout& layout, std::span<const uint8_t> image);

// Whether every byte of `image` outside the layout's elements still holds `pad`; *first_bad gets the byte
// index of the first one that does not.
bool padding_intact(const TensorLayout& layout, std::span<const uint8_t> image, uint8_t pad, uint64_t* first_bad);

// Makes dense values repeat along `dimension` (copies index 0 of that dimension everywhere).
void repeat_along(const spec::TensorMeta& meta, int dimension, std::span<uint8_t> dense);

}  // namespace keel::conform
