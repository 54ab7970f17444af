// shape, split, tile, trilu, pad, cumsum, topk and resize against the reference plugin, from and to strided
// layouts. Data movement must match bit for bit; cumsum and resize within the spec's tolerances.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kDataTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F64};
const std::vector<Layout> kLayouts = {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed};

HostTensor payload(keel_dtype_t dtype, const Dims& shape, std::mt19937_64& rng) {
  return random_tensor(dtype, shape, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial, rng);
}

TEST(ShapeTest, MatchesReference) {
  std::mt19937_64 rng(157);
  for (const Dims& shape : {Dims{2, 3}, Dims{}, Dims{0, 4}, Dims{2, 1, 3, 1, 2, 1}}) {
    expect_matches_reference({.op = "shape",
                              .inputs = {payload(KEEL_DTYPE_F32, shape, rng)},
                              .input_layouts = {Layout::kTransposed},
                              .output_layout = Layout::kStrided,
                              .bitwise = true});
  }
}

TEST(SplitTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(163);
  const std::vector<int64_t> sizes = {2, 0, 5};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Layout layout : kLayouts) {
      const keel_split_attrs_t thirds = {sizeof(keel_split_attrs_t), 0, nullptr, 0, 3};
      expect_matches_reference({.op = "split",
                                .attrs = &thirds,
                                .inputs = {payload(dtype, {5, 2}, rng)},
                                .input_layouts = {layout},
                                .output_layout = Layout::kStrided,
                                .bitwise = true,
                                .outputs = 3});
      const keel_split_attrs_t listed = {sizeof(keel_split_attrs_t), -1, sizes.data(), sizes.size(), 0};
      expect_matches_reference({.op = "split",
                                .attrs = &listed,
                                .inputs = {payload(dtype, {2, 7}, rng)},
                                .input_layouts = {layout},
                                .output_layout = Layout::kReversed,
                                .bitwise = true,
                                .outputs = 3});
    }
  }
}

TEST(TileTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(167);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3}, {2, 1}}, {{3}, {3}}, {{}, {}}, {{2, 3}, {0, 2}}, {{2, 1, 2, 1}, {1, 3, 2, 2}}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const auto& [shape, repeats] : cases) {
      for (const Layout layout : kLayouts) {
        const keel_tile_attrs_t attrs = {sizeof(keel_tile_attrs_t), repeats.data(), repeats.size()};
        expect_matches_reference({.op = "tile",
                                  .attrs = &attrs,
                                  .inputs = {payload(dtype, shape, rng)},
                                  .input_layouts = {layout},
                                  .output_layout = Layout::kStrided,
                                  .bitwise = true});
      }
    }
  }
}

TEST(TriluTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(173);
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const uint8_t upper : {uint8_t{0}, uint8_t{1}}) {
      for (const int64_t k : {-1, 0, 2, 5}) {
        const keel_trilu_attrs_t attrs = {sizeof(keel_trilu_attrs_t), upper, k};
        expect_matches_reference({.op = "trilu",
                                  .attrs = &attrs,
                                  .inputs = {payload(dtype, {2, 3, 4}, rng)},
                                  .input_layouts = {Layout::kTransposed},
                                  .output_layout = Layout::kReversed,
                                  .bitwise = true});
      }
    }
  }
}

TEST(PadTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(179);
  struct PadCase {
    Dims shape;
    std::vector<int64_t> pads;
    uint32_t mode;
  };
  const std::vector<PadCase> cases = {
      {{2, 3}, {1, 0, 2, 1}, KEEL_PAD_MODE_CONSTANT}, {{4, 5}, {3, 2, 1, 4}, KEEL_PAD_MODE_REFLECT},
      {{3, 1}, {2, 3, 1, 2}, KEEL_PAD_MODE_EDGE},     {{}, {}, KEEL_PAD_MODE_CONSTANT},
      {{0, 3}, {1, 1, 0, 2}, KEEL_PAD_MODE_CONSTANT}, {{2, 1, 3, 2}, {0, 1, 1, 0, 1, 0, 2, 1}, KEEL_PAD_MODE_EDGE}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const PadCase& p : cases) {
      for (const Layout layout : kLayouts) {
        const keel_pad_attrs_t attrs = {sizeof(keel_pad_attrs_t), p.pads.data(), p.pads.size(), p.mode, -1.5};
        expect_matches_reference({.op = "pad",
                                  .attrs = &attrs,
                                  .inputs = {payload(dtype, p.shape, rng)},
                                  .input_layouts = {layout},
                                  .output_layout = Layout::kStrided,
                                  .bitwise = true});
      }
    }
  }
}

// The 8-bit integers of the `data` set: moved bit for bit, and the constant saturates (-1.5 is -1 in i8 and
// 0 in u8; 300 is 127 and 255).
TEST(PadTest, EightBitIntegersMatchReference) {
  std::mt19937_64 rng(197);
  const std::vector<int64_t> pads = {1, 2, 0, 1};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I8, KEEL_DTYPE_U8}) {
    HostTensor x = HostTensor::zeros(dtype, {3, 4});
    std::uniform_int_distribution<int> byte(0, 255);
    for (int64_t i = 0; i < x.count(); ++i) x.set_bits(i, static_cast<uint64_t>(byte(rng)));
    for (const double value : {-1.5, 300.0}) {
      for (const uint32_t mode : {KEEL_PAD_MODE_CONSTANT, KEEL_PAD_MODE_REFLECT, KEEL_PAD_MODE_EDGE}) {
        const keel_pad_attrs_t attrs = {sizeof(keel_pad_attrs_t), pads.data(), pads.size(), mode, value};
        expect_matches_reference(
            {.op = "pad", .attrs = &attrs, .inputs = {x}, .input_layouts = {Layout::kTransposed}, .bitwise = true});
      }
    }
  }
}

TEST(CumsumTest, MatchesReference) {
  std::mt19937_64 rng(181);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const int64_t axis : {0, -1}) {
      for (const uint8_t exclusive : {uint8_t{0}, uint8_t{1}}) {
        for (const uint8_t reverse : {uint8_t{0}, uint8_t{1}}) {
          const keel_cumsum_attrs_t attrs = {sizeof(keel_cumsum_attrs_t), axis, exclusive, reverse};
          expect_matches_reference({.op = "cumsum",
                                    .attrs = &attrs,
                                    .inputs = {random_tensor(dtype, {3, 17}, Values::kFinite, rng)},
                                    .input_layouts = {Layout::kReversed},
                                    .output_layout = Layout::kTransposed,
                                    .k = 17});
        }
      }
    }
  }
}

TEST(TopkTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(191);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const uint8_t largest : {uint8_t{0}, uint8_t{1}}) {
      for (const uint8_t sorted : {uint8_t{0}, uint8_t{1}}) {
        HostTensor x = random_tensor(dtype, {4, 9}, Values::kSpecial, rng);
        for (int64_t i = 0; i < x.count(); i += 4) x.set(i, 1);  // ties go to the lower index
        const keel_topk_attrs_t attrs = {sizeof(keel_topk_attrs_t), 5, -1, largest, sorted};
        expect_matches_reference({.op = "topk",
                                  .attrs = &attrs,
                                  .inputs = {x},
                                  .input_layouts = {Layout::kTransposed},
                                  .output_layout = Layout::kStrided,
                                  .bitwise = true});
        const keel_topk_attrs_t rows = {sizeof(keel_topk_attrs_t), 3, 0, largest, sorted};
        expect_matches_reference({.op = "topk", .attrs = &rows, .inputs = {x}, .bitwise = true});
      }
    }
  }
}

TEST(ResizeTest, MatchesReference) {
  std::mt19937_64 rng(193);
  const std::vector<double> up = {1.0, 1.0, 2.0, 1.5};
  const std::vector<double> odd = {1.0, 1.0, 0.6, 1.75};
  const std::vector<int64_t> sizes = {1, 2, 6, 4};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const uint32_t mode : {KEEL_RESIZE_MODE_NEAREST, KEEL_RESIZE_MODE_LINEAR}) {
      for (const uint32_t transform : {0u, 1u, 2u, 3u}) {
        for (const uint32_t nearest : {0u, 1u, 2u, 3u}) {
          if (mode == KEEL_RESIZE_MODE_LINEAR && nearest != 0) continue;
          const keel_resize_attrs_t scaled = {
              sizeof(keel_resize_attrs_t), mode, transform, nearest, up.data(), up.size(), nullptr, 0};
          expect_matches_reference({.op = "resize",
                                    .attrs = &scaled,
                                    .inputs = {random_tensor(dtype, {1, 2, 4, 4}, Values::kFinite, rng)},
                                    .input_layouts = {Layout::kChannelsLast},
                                    .output_layout = Layout::kStrided,
                                    .k = 4});
          const keel_resize_attrs_t shrunk = {
              sizeof(keel_resize_attrs_t), mode, transform, nearest, odd.data(), odd.size(), nullptr, 0};
          expect_matches_reference({.op = "resize",
                                    .attrs = &shrunk,
                                    .inputs = {random_tensor(dtype, {1, 1, 5, 4}, Values::kFinite, rng)},
                                    .k = 4});
          const keel_resize_attrs_t sized = {
              sizeof(keel_resize_attrs_t), mode, transform, nearest, nullptr, 0, sizes.data(), sizes.size()};
          expect_matches_reference({.op = "resize",
                                    .attrs = &sized,
                                    .inputs = {random_tensor(dtype, {1, 2, 3, 5}, Values::kFinite, rng)},
                                    .input_layouts = {Layout::kReversed},
                                    .k = 4});
        }
      }
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
