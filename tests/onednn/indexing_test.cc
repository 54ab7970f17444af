// Gathers and scatters (gather, gather_elements, gather_nd, scatter_elements, scatter_nd, one_hot, nonzero,
// embedding_backward, max_pool_backward) against the reference plugin, from and to strided layouts, with
// index tensors that mix valid, negative and out-of-range values (reads of those give 0, writes are skipped).
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<keel_dtype_t> kDataTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32,
                                              KEEL_DTYPE_F64};
const std::vector<Layout> kLayouts = {Layout::kDense, Layout::kTransposed, Layout::kStrided, Layout::kReversed};

HostTensor data_tensor(keel_dtype_t dtype, const Dims& shape, std::mt19937_64& rng) {
  return random_tensor(dtype, shape, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kFinite, rng);
}

// Indices drawn from [low, high] (both ends may lie outside the accepted range on purpose).
HostTensor index_tensor(keel_dtype_t dtype, const Dims& shape, int64_t low, int64_t high, std::mt19937_64& rng) {
  HostTensor t = HostTensor::zeros(dtype, shape);
  std::uniform_int_distribution<int64_t> pick(low, high);
  for (int64_t i = 0; i < t.count(); ++i) t.set(i, static_cast<long double>(pick(rng)));
  return t;
}

TEST(GatherTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(101);
  struct Shapes {
    Dims x, indices;
    int64_t axis;
  };
  const std::vector<Shapes> cases = {{{5, 3}, {4}, 0}, {{3, 5}, {2, 2}, -1},      {{4}, {}, 0},
                                     {{4, 3}, {0}, 0}, {{2, 3, 4, 2}, {3, 2}, 2}, {{0, 3}, {2}, 1}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Shapes& s : cases) {
      const int64_t d = s.x[static_cast<size_t>(s.axis < 0 ? s.axis + static_cast<int64_t>(s.x.size()) : s.axis)];
      for (const Layout layout : kLayouts) {
        const keel_gather_attrs_t attrs = {sizeof(keel_gather_attrs_t), s.axis};
        expect_matches_reference(
            {.op = "gather",
             .attrs = &attrs,
             .inputs = {data_tensor(dtype, s.x, rng), index_tensor(KEEL_DTYPE_I64, s.indices, -d - 2, d + 1, rng)},
             .input_layouts = {layout, layout},
             .output_layout = Layout::kStrided,
             .bitwise = true});
      }
    }
  }
}

// Whole dense rows (an embedding lookup) take the row-copy path; out-of-range rows must come back zero.
TEST(GatherTest, DenseRowsMatchReferenceBitForBit) {
  std::mt19937_64 rng(191);
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const int64_t axis : {0, 1}) {
      const Dims x = {6, 5, 9};
      const keel_gather_attrs_t attrs = {sizeof(keel_gather_attrs_t), axis};
      const int64_t d = x[static_cast<size_t>(axis)];
      expect_matches_reference(
          {.op = "gather",
           .attrs = &attrs,
           .inputs = {data_tensor(dtype, x, rng), index_tensor(KEEL_DTYPE_I32, {2, 4}, -d - 2, d + 1, rng)},
           .input_layouts = {Layout::kDense, Layout::kReversed},
           .bitwise = true});
    }
  }
}

// indexing.yaml: an index outside [-d, d) reads 0; -d reads element 0. Checked against the rule directly.
TEST(GatherTest, OutOfRangeIndicesReadZero) {
  Harness& h = Harness::get();
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_F32, {3});
  for (int64_t i = 0; i < 3; ++i) x.set(i, 10.0L + static_cast<long double>(i));
  HostTensor indices = HostTensor::zeros(KEEL_DTYPE_I64, {5});
  const long double values[] = {3, -4, -3, 2, -1};
  for (int64_t i = 0; i < 5; ++i) indices.set(i, values[i]);
  const DeviceTensor dx = h.upload(h.onednn(), x, Layout::kDense);
  const DeviceTensor di = h.upload(h.onednn(), indices, Layout::kStrided);
  const DeviceTensor dy = h.allocate(h.onednn(), KEEL_DTYPE_F32, {5}, Layout::kDense);
  std::string message;
  ASSERT_EQ(h.run(h.onednn(), "gather", nullptr, {&dx, &di}, {&dy}, &message), KEEL_STATUS_OK) << message;
  const HostTensor y = h.download(dy);
  const long double expected[] = {0, 0, 10, 12, 12};
  for (int64_t i = 0; i < 5; ++i) EXPECT_EQ(y.get(i), expected[i]) << "element " << i;
}

// A call that breaks a constraint is refused before any kernel runs, with the op and the argument named.
TEST(GatherTest, InvalidAxisIsRefused) {
  Harness& h = Harness::get();
  const DeviceTensor x = h.allocate(h.onednn(), KEEL_DTYPE_F32, {3, 4}, Layout::kDense);
  const DeviceTensor indices = h.upload(h.onednn(), HostTensor::zeros(KEEL_DTYPE_I64, {2}), Layout::kDense);
  const DeviceTensor y = h.allocate(h.onednn(), KEEL_DTYPE_F32, {3, 2}, Layout::kDense);
  const keel_gather_attrs_t attrs = {sizeof(keel_gather_attrs_t), 2};
  std::string message;
  EXPECT_EQ(h.run(h.onednn(), "gather", &attrs, {&x, &indices}, {&y}, &message), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("gather"), std::string::npos) << message;
  EXPECT_NE(message.find("axis"), std::string::npos) << message;
}

TEST(GatherElementsTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(103);
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const keel_dtype_t index_type : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
      for (const Layout layout : kLayouts) {
        const keel_gather_elements_attrs_t along_rows = {sizeof(keel_gather_elements_attrs_t), 0};
        expect_matches_reference(
            {.op = "gather_elements",
             .attrs = &along_rows,
             .inputs = {data_tensor(dtype, {3, 4}, rng), index_tensor(index_type, {5, 4}, -4, 3, rng)},
             .input_layouts = {layout, layout},
             .output_layout = layout,
             .bitwise = true});
        const keel_gather_elements_attrs_t inner = {sizeof(keel_gather_elements_attrs_t), 2};
        expect_matches_reference(
            {.op = "gather_elements",
             .attrs = &inner,
             .inputs = {data_tensor(dtype, {2, 3, 4, 2}, rng), index_tensor(index_type, {2, 2, 6, 1}, -5, 4, rng)},
             .input_layouts = {layout, layout},
             .bitwise = true});
      }
    }
  }
}

TEST(GatherNdTest, MatchesReferenceBitForBit) {
  std::mt19937_64 rng(107);
  struct Shapes {
    Dims x, indices;
    int64_t batch_dims;
  };
  const std::vector<Shapes> cases = {{{3, 4}, {5, 2}, 0},          {{3, 4, 2}, {2, 1}, 0}, {{2, 3, 4}, {2, 2, 1}, 1},
                                     {{2, 3, 2, 2}, {2, 3, 2}, 2}, {{}, {2, 0}, 0},        {{3, 4}, {0, 2}, 0}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Shapes& s : cases) {
      for (const Layout layout : kLayouts) {
        const keel_gather_nd_attrs_t attrs = {sizeof(keel_gather_nd_attrs_t), s.batch_dims};
        expect_matches_reference(
            {.op = "gather_nd",
             .attrs = &attrs,
             .inputs = {data_tensor(dtype, s.x, rng), index_tensor(KEEL_DTYPE_I64, s.indices, -4, 4, rng)},
             .input_layouts = {layout, layout},
             .output_layout = Layout::kStrided,
             .bitwise = true});
      }
    }
  }
}

TEST(ScatterElementsTest, MatchesReferenceForEveryReduction) {
  std::mt19937_64 rng(109);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const uint32_t reduction : {0u, 1u, 2u, 3u}) {
      for (const Layout layout : kLayouts) {
        const keel_scatter_elements_attrs_t rows = {sizeof(keel_scatter_elements_attrs_t), 0, reduction};
        expect_matches_reference(
            {.op = "scatter_elements",
             .attrs = &rows,
             .inputs = {data_tensor(dtype, {4, 3}, rng), index_tensor(KEEL_DTYPE_I64, {5, 3}, -5, 4, rng),
                        data_tensor(dtype, {5, 3}, rng)},
             .input_layouts = {layout, layout, layout},
             .output_layout = layout,
             .k = 6});
        const keel_scatter_elements_attrs_t last = {sizeof(keel_scatter_elements_attrs_t), -1, reduction};
        expect_matches_reference(
            {.op = "scatter_elements",
             .attrs = &last,
             .inputs = {data_tensor(dtype, {2, 5}, rng), index_tensor(KEEL_DTYPE_I32, {2, 7}, -6, 5, rng),
                        data_tensor(dtype, {2, 7}, rng)},
             .input_layouts = {layout, layout, layout},
             .k = 8});
      }
    }
  }
}

TEST(ScatterNdTest, MatchesReferenceForEveryReduction) {
  std::mt19937_64 rng(113);
  struct Shapes {
    Dims data, indices, updates;
    int64_t batch_dims;
  };
  const std::vector<Shapes> cases = {
      {{4, 3}, {2, 1}, {2, 3}, 0}, {{4, 3}, {5, 2}, {5}, 0}, {{2, 4, 3}, {2, 2, 1}, {2, 2, 3}, 1},
      {{5}, {3, 1}, {3}, 0},       {{}, {2, 0}, {2}, 0},     {{3, 2}, {0, 1}, {0, 2}, 0}};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_I32, KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const uint32_t reduction : {0u, 1u, 2u, 3u}) {
      for (const Shapes& s : cases) {
        const keel_scatter_nd_attrs_t attrs = {sizeof(keel_scatter_nd_attrs_t), reduction, s.batch_dims};
        expect_matches_reference(
            {.op = "scatter_nd",
             .attrs = &attrs,
             .inputs = {data_tensor(dtype, s.data, rng), index_tensor(KEEL_DTYPE_I64, s.indices, -5, 4, rng),
                        data_tensor(dtype, s.updates, rng)},
             .input_layouts = {Layout::kReversed, Layout::kStrided, Layout::kTransposed},
             .k = 6});
      }
    }
  }
}

// Bool and the data-only dtypes: replacement moves bits exactly.
TEST(ScatterNdTest, ReplacementMovesBits) {
  std::mt19937_64 rng(127);
  for (const keel_dtype_t dtype : kDataTypes) {
    const keel_scatter_nd_attrs_t attrs = {sizeof(keel_scatter_nd_attrs_t), 0, 0};
    expect_matches_reference(
        {.op = "scatter_nd",
         .attrs = &attrs,
         .inputs = {data_tensor(dtype, {4, 3}, rng), index_tensor(KEEL_DTYPE_I64, {3, 1}, -5, 4, rng),
                    data_tensor(dtype, {3, 3}, rng)},
         .bitwise = true});
  }
}

TEST(OneHotTest, MatchesReference) {
  std::mt19937_64 rng(131);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_I64, KEEL_DTYPE_BOOL, KEEL_DTYPE_F64}) {
    for (const int64_t axis : {-1, 0, 1}) {
      const keel_one_hot_attrs_t attrs = {sizeof(keel_one_hot_attrs_t), 5, axis, 2.5, -1.0, dtype};
      expect_matches_reference({.op = "one_hot",
                                .attrs = &attrs,
                                .inputs = {index_tensor(KEEL_DTYPE_I32, {2, 3}, -7, 6, rng)},
                                .input_layouts = {Layout::kTransposed},
                                .output_layout = Layout::kStrided});
    }
  }
  const keel_one_hot_attrs_t empty = {sizeof(keel_one_hot_attrs_t), 0, -1, 1.0, 0.0, KEEL_DTYPE_F32};
  expect_matches_reference(
      {.op = "one_hot", .attrs = &empty, .inputs = {index_tensor(KEEL_DTYPE_I64, {3}, 0, 2, rng)}});
}

TEST(NonzeroTest, MatchesReference) {
  std::mt19937_64 rng(137);
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Dims& shape : {Dims{3, 4}, Dims{}, Dims{0, 3}, Dims{2, 1, 3, 2}}) {
      HostTensor x = random_tensor(dtype, shape, dtype == KEEL_DTYPE_BOOL ? Values::kBool : Values::kSpecial, rng);
      for (int64_t i = 0; i < x.count(); i += 3) x.set(i, 0);  // plenty of zeros
      expect_matches_reference({.op = "nonzero", .inputs = {x}, .input_layouts = {Layout::kReversed}, .bitwise = true});
    }
  }
}

TEST(EmbeddingBackwardTest, MatchesReference) {
  std::mt19937_64 rng(139);
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const int64_t padding : {-1, 2}) {
      const keel_embedding_backward_attrs_t attrs = {sizeof(keel_embedding_backward_attrs_t), 6, padding};
      expect_matches_reference(
          {.op = "embedding_backward",
           .attrs = &attrs,
           .inputs = {data_tensor(dtype, {3, 4, 5}, rng), index_tensor(KEEL_DTYPE_I64, {3, 4}, -2, 7, rng)},
           .input_layouts = {Layout::kTransposed, Layout::kReversed},
           .output_layout = Layout::kStrided,
           .k = 13});
    }
  }
}

// Indices name row-major spatial positions of x's plane; -1 and positions past the plane are skipped, and
// repeated positions add up.
TEST(MaxPoolBackwardTest, MatchesReference) {
  std::mt19937_64 rng(199);
  struct Shapes {
    Dims dy, x;
  };
  const std::vector<Shapes> cases = {
      {{1, 2, 4}, {1, 2, 8}}, {{2, 3, 4, 3}, {2, 3, 7, 6}}, {{1, 1, 2, 3, 3}, {1, 1, 4, 5, 6}}, {{0, 2, 3}, {0, 2, 5}}};
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
    for (const Shapes& s : cases) {
      int64_t area = 1;
      for (size_t d = 2; d < s.x.size(); ++d) area *= s.x[d];
      for (const Layout layout : {Layout::kDense, Layout::kTransposed, Layout::kReversed}) {
        expect_matches_reference(
            {.op = "max_pool_backward",
             .inputs = {data_tensor(dtype, s.dy, rng), index_tensor(KEEL_DTYPE_I64, s.dy, -1, area, rng),
                        data_tensor(dtype, s.x, rng)},
             .input_layouts = {layout, layout, layout},
             .output_layout = layout,
             .k = 37});
      }
    }
  }
}

}  // namespace
}  // namespace keel::onednn_test
