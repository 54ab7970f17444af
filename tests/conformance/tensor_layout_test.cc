// The view layouts of the numeric cases: where elements land, that gather undoes scatter, and that
// writes outside a view are seen.
#include "layers/ops/tensor_layout.h"

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>

namespace keel::conform {
namespace {

spec::TensorMeta meta_of(std::initializer_list<int64_t> dims) {
  spec::TensorMeta meta;
  meta.dtype = KEEL_DTYPE_I32;
  meta.rank = static_cast<uint32_t>(dims.size());
  std::copy(dims.begin(), dims.end(), meta.dims);
  return meta;
}

std::vector<uint8_t> iota_bytes(size_t count) {
  std::vector<int32_t> values(count);
  std::iota(values.begin(), values.end(), 1);
  std::vector<uint8_t> bytes(count * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

TEST(TensorLayout, EveryViewRoundTripsAndKeepsItsPadding) {
  const spec::TensorMeta meta = meta_of({2, 3, 4});
  const std::vector<uint8_t> dense = iota_bytes(24);
  for (ViewKind view : {ViewKind::kDense, ViewKind::kOffset, ViewKind::kStrided, ViewKind::kReversed,
                        ViewKind::kTransposed}) {
    const TensorLayout layout = make_layout(meta, view, false);
    const std::vector<uint8_t> image = scatter(layout, dense, 0xEE);
    EXPECT_EQ(gather(layout, image), dense) << view_name(view);
    uint64_t bad = 0;
    EXPECT_TRUE(padding_intact(layout, image, 0xEE, &bad)) << view_name(view);
  }
}

TEST(TensorLayout, ViewsAreReallyDifferent) {
  const spec::TensorMeta meta = meta_of({2, 3});
  EXPECT_EQ(make_layout(meta, ViewKind::kOffset, false).offset_elements, 3u);
  const TensorLayout strided = make_layout(meta, ViewKind::kStrided, false);
  EXPECT_EQ(strided.strides[1], 2);
  EXPECT_EQ(strided.strides[0], 7);  // a row of 3 elements at stride 2, plus a gap
  const TensorLayout reversed = make_layout(meta, ViewKind::kReversed, false);
  EXPECT_EQ(reversed.strides[0], -3);
  EXPECT_EQ(reversed.offset_elements, 5u);  // element (0, 0) is the last one of the buffer
  const TensorLayout transposed = make_layout(meta, ViewKind::kTransposed, false);
  EXPECT_EQ(transposed.strides[0], 1);
  EXPECT_EQ(transposed.strides[1], 2);
  const TensorLayout broadcast = make_layout(meta, ViewKind::kBroadcast, true);
  EXPECT_EQ(broadcast.strides[0], 0);
  EXPECT_EQ(broadcast.span_elements, 3u);
  EXPECT_EQ(make_layout(meta, ViewKind::kBroadcast, false).strides[0], 3);  // outputs never broadcast
}

TEST(TensorLayout, WritesIntoGapsAreCaught) {
  const TensorLayout layout = make_layout(meta_of({2, 2}), ViewKind::kStrided, false);
  std::vector<uint8_t> image = scatter(layout, iota_bytes(4), 0xEE);
  image[4] = 0;  // the gap after element (0, 0)
  uint64_t bad = 0;
  EXPECT_FALSE(padding_intact(layout, image, 0xEE, &bad));
  EXPECT_EQ(bad, 4u);
}

TEST(TensorLayout, RepeatAlongMakesBroadcastDataConsistent) {
  const spec::TensorMeta meta = meta_of({3, 2});
  std::vector<uint8_t> dense = iota_bytes(6);
  repeat_along(meta, 0, dense);
  const TensorLayout layout = make_layout(meta, ViewKind::kBroadcast, true);
  EXPECT_EQ(gather(layout, scatter(layout, dense, 0)), dense);
  int32_t last;
  std::memcpy(&last, dense.data() + 20, 4);
  EXPECT_EQ(last, 2);
}

}  // namespace
}  // namespace keel::conform
