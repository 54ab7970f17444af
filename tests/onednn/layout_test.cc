// reshape, permute, concat and slice: bits must survive exactly (NaN payloads, -0), for every dtype the
// kernels register, from and to every layout; sizes that take oneDNN's reorder too.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kReferenceTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                                   KEEL_DTYPE_F64};
const std::vector<Layout> kLayouts = {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed,
                                      Layout::kOffset};

HostTensor payload_tensor(keel_dtype_t dtype, const Dims& shape, std::mt19937_64& rng) {
  const bool byte = dtype == KEEL_DTYPE_I8 || dtype == KEEL_DTYPE_U8;
  HostTensor t = random_tensor(byte ? keel_dtype_t{KEEL_DTYPE_I32} : dtype, shape, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial, rng);
  if (byte) {
    HostTensor bytes = HostTensor::zeros(dtype, shape);
    for (int64_t i = 0; i < t.count(); ++i) bytes.set_bits(i, t.bits(i) & 0xff);
    return bytes;
  }
  if (dtype == KEEL_DTYPE_F32 && t.count() > 2) {
    t.set_bits(0, 0x7fc01234u);  // NaN payloads must survive data movement
    t.set_bits(1, 0x80000000u);
  }
  return t;
}

TEST(ReshapeTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(79);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3, 4}, {4, -1}}, {{6}, {1, 2, 3}}, {{}, {1, 1}}, {{1}, {}}, {{0, 3}, {3, 0}}, {{4, 5}, {20}}};
  for (const keel_dtype_t dtype : kReferenceTypes) {
    for (const auto& [shape, target] : cases) {
      for (const Layout in : kLayouts) {
        for (const Layout out : {Layout::kDense, Layout::kStrided}) {
          keel_reshape_attrs_t attrs = {sizeof(keel_reshape_attrs_t), target.data(), target.size()};
          expect_matches_reference({.op = "reshape", .attrs = &attrs, .inputs = {payload_tensor(dtype, shape, rng)},
                                    .input_layouts = {in}, .output_layout = out, .bitwise = true});
        }
      }
    }
  }
}

TEST(PermuteTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(83);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3}, {1, 0}}, {{2, 3, 4}, {2, 0, 1}}, {{2, 3, 4}, {-1, -3, -2}}, {{}, {}}, {{0, 3}, {1, 0}},
      {{2, 3, 4, 5}, {3, 1, 0, 2}}, {{1, 5, 1}, {2, 1, 0}}};
  for (const keel_dtype_t dtype : kReferenceTypes) {
    for (const auto& [shape, perm] : cases) {
      for (const Layout in : kLayouts) {
        keel_permute_attrs_t attrs = {sizeof(keel_permute_attrs_t), perm.data(), perm.size()};
        expect_matches_reference({.op = "permute", .attrs = &attrs, .inputs = {payload_tensor(dtype, shape, rng)},
                                  .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
      }
    }
  }
  // Large enough for oneDNN's reorder (f32, i32) and the parallel copy loops.
  const std::vector<int64_t> perm = {1, 0};
  const std::vector<int64_t> perm3 = {0, 2, 1};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    keel_permute_attrs_t attrs = {sizeof(keel_permute_attrs_t), perm.data(), perm.size()};
    expect_matches_reference({.op = "permute", .attrs = &attrs, .inputs = {payload_tensor(dtype, {300, 257}, rng)},
                              .bitwise = true});
    keel_permute_attrs_t attrs3 = {sizeof(keel_permute_attrs_t), perm3.data(), perm3.size()};
    expect_matches_reference({.op = "permute", .attrs = &attrs3, .inputs = {payload_tensor(dtype, {8, 100, 60}, rng)},
                              .input_layouts = {Layout::kStrided}, .output_layout = Layout::kTransposed, .bitwise = true});
  }
}

TEST(ConcatTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(89);
  struct Concat {
    std::vector<Dims> shapes;
    int64_t axis;
  };
  const std::vector<Concat> cases = {{{{2, 3}, {4, 3}}, 0},       {{{2, 3}, {2, 1}, {2, 0}, {2, 5}}, 1},
                                     {{{2, 3, 4}, {2, 2, 4}}, -2}, {{{5}}, 0},
                                     {{{0, 3}, {0, 3}}, 0},        {{{300, 100}, {300, 200}}, -1}};
  for (const keel_dtype_t dtype : kReferenceTypes) {
    for (const Concat& c : cases) {
      for (const Layout in : {Layout::kDense, Layout::kReversed, Layout::kTransposed}) {
        Case test{.op = "concat", .output_layout = Layout::kStrided, .bitwise = true};
        for (const Dims& shape : c.shapes) {
          test.inputs.push_back(payload_tensor(dtype, shape, rng));
          test.input_layouts.push_back(in);
        }
        keel_concat_attrs_t attrs = {sizeof(keel_concat_attrs_t), c.axis};
        test.attrs = &attrs;
        expect_matches_reference(test);
      }
    }
  }
}

TEST(SliceTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(97);
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  struct Slice {
    Dims shape;
    std::vector<int64_t> starts, ends, axes, steps;
  };
  const std::vector<Slice> cases = {
      {{10}, {2}, {8}, {}, {}},                 {{10}, {-3}, {kMax}, {}, {}},
      {{10}, {8}, {1}, {}, {-2}},               {{10}, {kMax}, {kMin}, {}, {-1}},
      {{4, 6}, {1, -1}, {3, 0}, {0, 1}, {1, -2}}, {{4, 6}, {0}, {kMax}, {-1}, {3}},
      {{4, 6}, {5}, {9}, {0}, {}},              {{3, 4, 5}, {1, 0}, {3, 5}, {2, 0}, {2, 1}},
      {{10}, {-20}, {20}, {}, {}},              {{300, 300}, {10, 299}, {290, 0}, {}, {3, -1}},
  };
  for (const keel_dtype_t dtype : kReferenceTypes) {
    for (const Slice& s : cases) {
      for (const Layout in : kLayouts) {
        keel_slice_attrs_t attrs = {sizeof(keel_slice_attrs_t), s.starts.data(), s.starts.size(), s.ends.data(),
                                    s.ends.size(), s.axes.data(), s.axes.size(), s.steps.data(), s.steps.size()};
        expect_matches_reference({.op = "slice", .attrs = &attrs, .inputs = {payload_tensor(dtype, s.shape, rng)},
                                  .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
      }
    }
  }
}

TEST(CopyExpandFlipTest, MatchReferenceBitForBit) {
  std::mt19937_64 rng(98);
  const std::vector<keel_dtype_t> dtypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8, KEEL_DTYPE_U8, KEEL_DTYPE_I32,
                                            KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64};
  for (const keel_dtype_t dtype : dtypes) {
    for (const Layout in : kLayouts) {
      for (const Layout out : {Layout::kDense, Layout::kReversed, Layout::kTransposed}) {
        expect_matches_reference({.op = "copy", .inputs = {payload_tensor(dtype, {3, 4, 5}, rng)}, .input_layouts = {in},
                                  .output_layout = out, .bitwise = true});
      }
      for (const auto& [shape, target] : std::vector<std::pair<Dims, std::vector<int64_t>>>{
               {{3, 1}, {3, 4}}, {{1}, {2, 3}}, {{}, {2}}, {{2, 1, 3}, {4, 2, 5, 3}}, {{3}, {0, 3}}}) {
        const keel_expand_attrs_t attrs = {sizeof(keel_expand_attrs_t), target.data(), target.size()};
        expect_matches_reference({.op = "expand", .attrs = &attrs, .inputs = {payload_tensor(dtype, shape, rng)},
                                  .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
      }
      for (const auto& [shape, axes] : std::vector<std::pair<Dims, std::vector<int64_t>>>{
               {{4, 5}, {0}}, {{4, 5}, {1, 0}}, {{2, 3, 4}, {-1}}, {{2, 0, 3}, {1}}, {{3}, {}}}) {
        const keel_flip_attrs_t attrs = {sizeof(keel_flip_attrs_t), axes.data(), axes.size()};
        expect_matches_reference({.op = "flip", .attrs = &attrs, .inputs = {payload_tensor(dtype, shape, rng)},
                                  .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
      }
      const std::vector<int64_t> none, second = {1}, outer = {0, -1};
      const keel_squeeze_attrs_t squeeze_all = {sizeof(keel_squeeze_attrs_t), none.data(), 0};
      const keel_squeeze_attrs_t squeeze_one = {sizeof(keel_squeeze_attrs_t), second.data(), 1};
      expect_matches_reference({.op = "squeeze", .attrs = &squeeze_all, .inputs = {payload_tensor(dtype, {1, 3, 1, 4}, rng)},
                                .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
      expect_matches_reference({.op = "squeeze", .attrs = &squeeze_one, .inputs = {payload_tensor(dtype, {3, 1, 4}, rng)},
                                .input_layouts = {in}, .output_layout = Layout::kTransposed, .bitwise = true});
      const keel_unsqueeze_attrs_t unsqueeze = {sizeof(keel_unsqueeze_attrs_t), outer.data(), outer.size()};
      expect_matches_reference({.op = "unsqueeze", .attrs = &unsqueeze, .inputs = {payload_tensor(dtype, {3, 4}, rng)},
                                .input_layouts = {in}, .output_layout = Layout::kStrided, .bitwise = true});
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
