// split expand squeeze unsqueeze tile flip shape trilu copy (shape.yaml, layout.yaml): data movement, so
// every result is compared bit for bit on random bit patterns (NaN payloads, -0, subnormals), in every dtype
// the spec allows (int8 included) and strided layouts on both sides.
#include <algorithm>
#include <cstring>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// ---- References -------------------------------------------------------------------------------------------

// The same elements in the same row-major order, shaped like output `out`.
Expected same_order(const RefCall& call, size_t out = 0) {
  HostTensor y = call.inputs[0];
  y.shape = call.outputs[out].shape;
  return Expected::of_bits(y);
}

KEEL_REFERENCE(squeeze) { return {same_order(call)}; }
KEEL_REFERENCE(unsqueeze) { return {same_order(call)}; }
KEEL_REFERENCE(copy) { return {same_order(call)}; }

KEEL_REFERENCE(split) {
  const size_t axis = axis_of(call.attrs_as<keel_split_attrs_t>().axis, call.inputs[0].shape.size());
  const HostTensor& x = call.inputs[0];
  std::vector<Expected> pieces;
  int64_t offset = 0;
  for (const HostTensor& out : call.outputs) {
    std::vector<int64_t> positions;
    for (int64_t i = 0; i < out.count(); ++i) {
      Dims index = unravel(i, out.shape);
      index[axis] += offset;
      positions.push_back(ravel(index, x.shape));
    }
    pieces.push_back(Expected::of_bits(pick_elements(x, positions, out.shape)));
    offset += out.shape[axis];
  }
  return pieces;
}

KEEL_REFERENCE(expand) {
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < count_of(shape); ++i) {
    positions.push_back(ravel(broadcast_source(unravel(i, shape), x.shape), x.shape));
  }
  return {Expected::of_bits(pick_elements(x, positions, shape))};
}

KEEL_REFERENCE(tile) {
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < count_of(shape); ++i) {
    Dims index = unravel(i, shape);
    for (size_t k = 0; k < index.size(); ++k) index[k] %= x.shape[k];
    positions.push_back(ravel(index, x.shape));
  }
  return {Expected::of_bits(pick_elements(x, positions, shape))};
}

KEEL_REFERENCE(flip) {
  const auto& a = call.attrs_as<keel_flip_attrs_t>();
  const HostTensor& x = call.inputs[0];
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < x.count(); ++i) {
    Dims index = unravel(i, x.shape);
    for (size_t j = 0; j < a.axes_count; ++j) {
      const size_t axis = axis_of(a.axes[j], x.shape.size());
      index[axis] = x.shape[axis] - 1 - index[axis];
    }
    positions.push_back(ravel(index, x.shape));
  }
  return {Expected::of_bits(pick_elements(x, positions, x.shape))};
}

KEEL_REFERENCE(shape) {
  std::vector<long double> dims(call.inputs[0].shape.begin(), call.inputs[0].shape.end());
  return {Expected::of_values(dims)};
}

KEEL_REFERENCE(trilu) {
  const auto& a = call.attrs_as<keel_trilu_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const size_t rank = x.shape.size();
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < x.count(); ++i) {
    const Dims index = unravel(i, x.shape);
    const int64_t row = index[rank - 2];
    const int64_t column = index[rank - 1];
    const bool keep = a.upper ? column - row >= a.k : column - row <= a.k;
    positions.push_back(keep ? i : -1);  // -1: all-zero bytes
  }
  return {Expected::of_bits(pick_elements(x, positions, x.shape))};
}

// ---- Cases ------------------------------------------------------------------------------------------------

const std::vector<keel_dtype_t> kDataTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,
                                              KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F16,
                                              KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

HostTensor random_bits(keel_dtype_t dtype, const Dims& shape, Random& random) {
  HostTensor tensor = HostTensor::zeros(dtype, shape);
  for (std::byte& b : tensor.bytes) b = static_cast<std::byte>(random.integer(0, 255));
  if (dtype == KEEL_DTYPE_BOOL) {
    for (std::byte& b : tensor.bytes) b &= std::byte{1};
  }
  return tensor;
}

class ShapeOps : public BackendTest {
 protected:
  // Runs the call dense and under every layout pairing of its rank.
  void each_layout(const char* op, const void* attrs, const HostTensor& x, size_t out_rank) {
    const std::vector<Layout> in = Layout::all(x.shape.size());
    const std::vector<Layout> out = Layout::all(out_rank);
    for (size_t l = 0; l < std::max(in.size(), out.size()); ++l) {
      SCOPED_TRACE(std::string(op) + " " + name_of(x.dtype) + text_of(x.shape) + " " + in[l % in.size()].label);
      check_call(session(), op, attrs, {x}, {in[l % in.size()]}, {out[(l + 1) % out.size()], out[l % out.size()]});
    }
  }
};

TEST_P(ShapeOps, ExpandSqueezeUnsqueeze) {
  Random random(43);
  struct Case {
    Dims shape;
    std::vector<int64_t> list;
    size_t out_rank;
  };
  const std::vector<Case> expand = {{{3}, {2, 3}, 2},     {{2, 1}, {2, 4}, 2},         {{2, 1}, {3, 1, 1}, 3},
                                    {{}, {2, 2}, 2},      {{1, 3}, {0, 1}, 2},         {{2, 1, 3, 1}, {2, 4, 1, 5}, 4},
                                    {{}, {}, 0},          {{1, 2, 1, 2, 1, 1}, {3, 1, 2, 1, 2, 1}, 6}};
  const std::vector<Case> squeeze = {{{1, 3, 1}, {}, 1},   {{1, 3, 1}, {-1}, 2}, {{}, {}, 0},
                                     {{0, 1, 2}, {1}, 2}, {{2, 1, 3, 1, 1}, {1, -2}, 3}, {{1, 1, 1, 1, 1, 1}, {}, 0}};
  const std::vector<Case> unsqueeze = {{{2, 3}, {0}, 3},   {{2, 3}, {-1, 1}, 4}, {{}, {0, 1}, 2},
                                       {{0, 3}, {2}, 3}, {{2, 3, 2, 2}, {4, -6}, 6}, {{3}, {0, 2, -2, 5, 1}, 6}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Case& c : expand) {
      const keel_expand_attrs_t attrs = {sizeof attrs, c.list.data(), c.list.size()};
      each_layout("expand", &attrs, random_bits(dtype, c.shape, random), c.out_rank);
    }
    for (const Case& c : squeeze) {
      const keel_squeeze_attrs_t attrs = {sizeof attrs, c.list.data(), c.list.size()};
      each_layout("squeeze", &attrs, random_bits(dtype, c.shape, random), c.out_rank);
    }
    for (const Case& c : unsqueeze) {
      const keel_unsqueeze_attrs_t attrs = {sizeof attrs, c.list.data(), c.list.size()};
      each_layout("unsqueeze", &attrs, random_bits(dtype, c.shape, random), c.out_rank);
    }
  }
}

TEST_P(ShapeOps, TileFlipTriluShapeCopy) {
  Random random(47);
  for (const keel_dtype_t dtype : kDataTypes) {
    const std::vector<std::pair<Dims, std::vector<int64_t>>> tiles = {
        {{2, 3}, {2, 1}}, {{3}, {3}}, {{}, {}}, {{2, 3}, {0, 2}}, {{2, 1, 2, 1}, {1, 3, 2, 2}}, {{1, 2, 1, 1, 2, 1}, {2, 1, 2, 1, 1, 3}}};
    for (const auto& [shape, repeats] : tiles) {
      const keel_tile_attrs_t attrs = {sizeof attrs, repeats.data(), repeats.size()};
      each_layout("tile", &attrs, random_bits(dtype, shape, random), shape.size());
    }
    const std::vector<std::pair<Dims, std::vector<int64_t>>> flips = {
        {{2, 3}, {1}}, {{2, 3, 4}, {0, -1}}, {{}, {}}, {{0, 3}, {0, 1}}, {{2, 3}, {}}, {{2, 1, 3, 2, 1, 2}, {-2, 0, 5}}};
    for (const auto& [shape, axes] : flips) {
      const keel_flip_attrs_t attrs = {sizeof attrs, axes.data(), axes.size()};
      each_layout("flip", &attrs, random_bits(dtype, shape, random), shape.size());
    }
    for (const Dims& shape : {Dims{3, 4}, Dims{4, 3}, Dims{2, 3, 3}, Dims{0, 3}, Dims{2, 1, 3, 3}, Dims{1, 2, 1, 2, 4, 5}}) {
      for (const int64_t k : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{5}, int64_t{-7}}) {
        for (const uint8_t upper : {0, 1}) {
          const keel_trilu_attrs_t attrs = {sizeof attrs, upper, k};
          each_layout("trilu", &attrs, random_bits(dtype, shape, random), shape.size());
        }
      }
    }
    for (const Dims& shape : {Dims{}, Dims{0, 4}, Dims{2, 3}, Dims{2, 1, 3, 1, 2, 1}}) {
      each_layout("shape", nullptr, random_bits(dtype, shape, random), 1);
      each_layout("copy", nullptr, random_bits(dtype, shape, random), shape.size());
    }
  }
}

TEST_P(ShapeOps, SplitBySizesAndByCount) {
  Random random(53);
  struct Case {
    Dims shape;
    int64_t axis;
    std::vector<int64_t> sizes;
    int64_t count;
  };
  const std::vector<Case> cases = {{{6, 2}, 0, {}, 3},        {{5, 2}, 0, {}, 3},       {{2, 7}, -1, {2, 0, 5}, 0},
                                   {{4}, 0, {4}, 0},          {{0, 3}, 0, {}, 2},       {{2, 3, 4, 2}, 2, {1, 3}, 0},
                                   {{7}, 0, {}, 4},           {{1, 2, 1, 5, 1, 2}, -3, {}, 2}};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const Case& c : cases) {
      const keel_split_attrs_t attrs = {sizeof attrs, c.axis, c.sizes.data(), c.sizes.size(), c.count};
      const HostTensor x = random_bits(dtype, c.shape, random);
      const std::vector<Layout> layouts = Layout::all(c.shape.size());
      for (size_t l = 0; l < layouts.size(); ++l) {
        SCOPED_TRACE("split " + name_of(dtype) + text_of(c.shape) + " " + layouts[l].label);
        check_call(session(), "split", &attrs, {x}, {layouts[l]},
                   {layouts[(l + 1) % layouts.size()], layouts[(l + 2) % layouts.size()], layouts[l]});
      }
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(ShapeOps);

}  // namespace
}  // namespace keel::reference_test
