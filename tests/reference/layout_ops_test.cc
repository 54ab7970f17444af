// reshape permute concat slice: pure data movement, so every result is compared bit for bit on random bit
// patterns (NaN payloads, signaling NaNs, -0 and subnormals included).
#include <algorithm>
#include <limits>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

HostTensor random_bits(keel_dtype_t dtype, const Dims& shape, Random& random) {
  HostTensor tensor = HostTensor::zeros(dtype, shape);
  for (std::byte& b : tensor.bytes) b = static_cast<std::byte>(random.integer(0, 255));
  if (dtype == KEEL_DTYPE_BOOL) {
    for (std::byte& b : tensor.bytes) b &= std::byte{1};
  }
  return tensor;
}

// The elements of `source` at the given row-major positions, in that order, shaped `shape`.
HostTensor pick(const HostTensor& source, const std::vector<int64_t>& positions, const Dims& shape) {
  HostTensor result = HostTensor::zeros(source.dtype, shape);
  const size_t size = size_of(source.dtype);
  for (size_t i = 0; i < positions.size(); ++i) {
    std::copy_n(source.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(positions[i]) * size), size,
                result.bytes.begin() + static_cast<std::ptrdiff_t>(i * size));
  }
  return result;
}

class LayoutOps : public BackendTest {
 protected:
  void expect_moves(const char* op, const void* attrs, const std::vector<HostTensor>& inputs,
                    const std::vector<Layout>& layouts, const HostTensor& expected, const Layout& out) {
    const HostTensor y = run_one(op, attrs, inputs, layouts, expected.dtype, expected.shape, out);
    if (y.dtype != KEEL_DTYPE_INVALID) {
      EXPECT_TRUE(bitwise(y, expected));
    }
  }
};

TEST_P(LayoutOps, Reshape) {
  Random random(29);
  const std::vector<std::tuple<Dims, std::vector<int64_t>, Dims>> cases = {
      {{2, 3, 4}, {4, 6}, {4, 6}}, {{2, 3, 4}, {-1, 4}, {6, 4}},
      {{2, 3, 4}, {24}, {24}},     {{2, 3, 4}, {2, -1, 2}, {2, 6, 2}},
      {{}, {1, 1}, {1, 1}},        {{1, 1}, {}, {}},
      {{0, 3}, {3, 0}, {3, 0}},    {{2, 1, 3, 1, 2, 2}, {6, 4}, {6, 4}}};
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const auto& [in_shape, shape, out_shape] : cases) {
      SCOPED_TRACE("reshape " + name_of(dtype) + text_of(in_shape) + " -> " + text_of(shape));
      const HostTensor x = random_bits(dtype, in_shape, random);
      std::vector<int64_t> dims = shape;
      const keel_reshape_attrs_t attrs = {sizeof attrs, dims.data(), dims.size()};
      HostTensor expected = x;
      expected.shape = out_shape;  // row-major order is unchanged
      const std::vector<Layout> li = Layout::all(in_shape.size());
      const std::vector<Layout> lo = Layout::all(out_shape.size());
      for (size_t l = 0; l < li.size(); ++l) expect_moves("reshape", &attrs, {x}, {li[l]}, expected, lo[l % lo.size()]);
    }
  }
}

TEST_P(LayoutOps, Permute) {
  Random random(31);
  const std::vector<std::pair<Dims, std::vector<int64_t>>> cases = {
      {{2, 3, 4}, {2, 0, 1}}, {{2, 3, 4}, {-1, 0, -2}},
      {{2, 3, 4}, {0, 1, 2}}, {{}, {}},
      {{3, 0}, {1, 0}},       {{2, 1, 3, 1, 2, 2}, {5, 3, 1, 0, 2, 4}}};
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const auto& [shape, perm] : cases) {
      SCOPED_TRACE("permute " + name_of(dtype) + text_of(shape) + " by " + text_of(perm));
      const HostTensor x = random_bits(dtype, shape, random);
      const size_t rank = shape.size();
      std::vector<size_t> axes;
      for (const int64_t p : perm) axes.push_back(static_cast<size_t>(p < 0 ? p + static_cast<int64_t>(rank) : p));
      Dims out_shape;
      for (const size_t a : axes) out_shape.push_back(shape[a]);
      std::vector<int64_t> positions;
      for (int64_t i = 0; i < count_of(out_shape); ++i) {
        const Dims out_index = unravel(i, out_shape);
        Dims in_index(rank);
        for (size_t k = 0; k < rank; ++k) in_index[axes[k]] = out_index[k];  // x[j] with j[perm[k]] = i_k
        positions.push_back(ravel(in_index, shape));
      }
      std::vector<int64_t> values = perm;
      const keel_permute_attrs_t attrs = {sizeof attrs, values.data(), values.size()};
      const std::vector<Layout> layouts = Layout::all(rank);
      for (size_t l = 0; l < layouts.size(); ++l) {
        expect_moves("permute", &attrs, {x}, {layouts[l]}, pick(x, positions, out_shape),
                     layouts[(l + 1) % layouts.size()]);
      }
    }
  }
}

TEST_P(LayoutOps, Concat) {
  Random random(37);
  const std::vector<std::pair<std::vector<Dims>, int64_t>> cases = {{{{2, 3}, {2, 1}, {2, 0}, {2, 4}}, 1},
                                                                    {{{2, 3}, {2, 1}}, -1},
                                                                    {{{2, 3}, {1, 3}}, 0},
                                                                    {{{4}}, 0},
                                                                    {{{0}, {0}}, 0},
                                                                    {{{1, 2, 1, 2, 1, 2}, {1, 2, 1, 3, 1, 2}}, 3}};
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const auto& [shapes, axis_attr] : cases) {
      SCOPED_TRACE("concat " + name_of(dtype) + " of " + std::to_string(shapes.size()) + " along " +
                   std::to_string(axis_attr));
      const size_t rank = shapes[0].size();
      const size_t axis = static_cast<size_t>(axis_attr < 0 ? axis_attr + static_cast<int64_t>(rank) : axis_attr);
      std::vector<HostTensor> inputs;
      std::vector<Layout> layouts;
      Dims out_shape = shapes[0];
      out_shape[axis] = 0;
      for (size_t i = 0; i < shapes.size(); ++i) {
        inputs.push_back(random_bits(dtype, shapes[i], random));
        const std::vector<Layout> all = Layout::all(rank);
        layouts.push_back(all[i % all.size()]);
        out_shape[axis] += shapes[i][axis];
      }
      // Walk the output; find which input and which of its elements each position comes from.
      HostTensor expected = HostTensor::zeros(dtype, out_shape);
      const size_t size = size_of(dtype);
      for (int64_t o = 0; o < count_of(out_shape); ++o) {
        Dims index = unravel(o, out_shape);
        size_t which = 0;
        while (index[axis] >= shapes[which][axis]) index[axis] -= shapes[which++][axis];
        const int64_t j = ravel(index, shapes[which]);
        std::copy_n(inputs[which].bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(j) * size), size,
                    expected.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(o) * size));
      }
      const keel_concat_attrs_t attrs = {sizeof attrs, axis_attr};
      expect_moves("concat", &attrs, inputs, layouts, expected, Layout::scrambled(rank));
      expect_moves("concat", &attrs, inputs, {}, expected, Layout::dense());
    }
  }
}

// The indices a numpy slice keeps along an axis of size `dim`, by enumeration.
std::vector<int64_t> slice_indices(int64_t dim, int64_t start, int64_t end, int64_t step) {
  const auto clamp = [](int64_t v, int64_t low, int64_t high) { return std::min(std::max(v, low), high); };
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  std::vector<int64_t> kept;
  if (step > 0) {
    for (int64_t i = clamp(start, 0, dim); i < clamp(end, 0, dim); i += step) kept.push_back(i);
  } else if (dim > 0) {
    for (int64_t i = clamp(start, -1, dim - 1); i > clamp(end, -1, dim - 1); i += step) kept.push_back(i);
  }
  return kept;
}

struct SliceCase {
  Dims shape;
  std::vector<int64_t> starts, ends, axes, steps;
};

TEST_P(LayoutOps, Slice) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const std::vector<SliceCase> cases = {{{10}, {2}, {8}, {}, {}},
                                        {{10}, {-3}, {kMax}, {}, {}},
                                        {{10}, {8}, {2}, {}, {-2}},
                                        {{10}, {100}, {-100}, {}, {-3}},
                                        {{10}, {-1}, {kMin}, {}, {-1}},
                                        {{10}, {-100}, {kMin}, {}, {-1}},
                                        {{10}, {5}, {5}, {}, {}},
                                        {{10}, {0}, {10}, {0}, {3}},
                                        {{10}, {kMin}, {kMax}, {}, {kMax}},
                                        {{10}, {kMax}, {kMin}, {}, {kMin}},
                                        {{4, 6}, {1}, {-1}, {-1}, {2}},
                                        {{4, 6}, {3, 5}, {0, 0}, {}, {-1, -2}},
                                        {{4, 6}, {1}, {3}, {}, {}},
                                        {{0, 5}, {0, 1}, {1, 4}, {}, {}},
                                        {{3, 0}, {2}, {-5}, {1}, {-1}},
                                        {{2, 3, 4, 2, 3, 2}, {1, -2, 0}, {kMax, 0, 2}, {1, 3, -1}, {1, -1, 1}}};
  Random random(41);
  for (const keel_dtype_t dtype : kAllTypes) {
    for (const SliceCase& c : cases) {
      SCOPED_TRACE("slice " + name_of(dtype) + text_of(c.shape) + " starts " + text_of(c.starts) + " ends " +
                   text_of(c.ends) + " axes " + text_of(c.axes) + " steps " + text_of(c.steps));
      const HostTensor x = random_bits(dtype, c.shape, random);
      // Kept indices per axis (all of an axis that is not sliced).
      std::vector<std::vector<int64_t>> kept(c.shape.size());
      for (size_t k = 0; k < c.shape.size(); ++k) {
        for (int64_t i = 0; i < c.shape[k]; ++i) kept[k].push_back(i);
      }
      for (size_t i = 0; i < c.starts.size(); ++i) {
        const int64_t a = c.axes.empty() ? static_cast<int64_t>(i) : c.axes[i];
        const size_t axis = static_cast<size_t>(a < 0 ? a + static_cast<int64_t>(c.shape.size()) : a);
        kept[axis] = slice_indices(c.shape[axis], c.starts[i], c.ends[i], c.steps.empty() ? 1 : c.steps[i]);
      }
      Dims out_shape;
      for (const auto& axis_kept : kept) out_shape.push_back(static_cast<int64_t>(axis_kept.size()));
      std::vector<int64_t> positions;
      for (int64_t o = 0; o < count_of(out_shape); ++o) {
        Dims index = unravel(o, out_shape);
        for (size_t k = 0; k < index.size(); ++k) index[k] = kept[k][static_cast<size_t>(index[k])];
        positions.push_back(ravel(index, c.shape));
      }
      SliceCase attrs_storage = c;
      const keel_slice_attrs_t attrs = {sizeof attrs,
                                        attrs_storage.starts.data(),
                                        attrs_storage.starts.size(),
                                        attrs_storage.ends.data(),
                                        attrs_storage.ends.size(),
                                        attrs_storage.axes.data(),
                                        attrs_storage.axes.size(),
                                        attrs_storage.steps.data(),
                                        attrs_storage.steps.size()};
      const std::vector<Layout> layouts = Layout::all(c.shape.size());
      for (size_t l = 0; l < layouts.size(); ++l) {
        expect_moves("slice", &attrs, {x}, {layouts[l]}, pick(x, positions, out_shape),
                     layouts[(l + 2) % layouts.size()]);
      }
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(LayoutOps);

// ---- References (bit for bit) -----------------------------------------------------------------------------

KEEL_REFERENCE(reshape) {
  HostTensor y = call.inputs[0];
  y.shape = call.outputs[0].shape;  // the row-major order is unchanged
  return {Expected::of_bits(y)};
}

KEEL_REFERENCE(permute) {
  const auto& a = call.attrs_as<keel_permute_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const Dims& out_shape = call.outputs[0].shape;
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < count_of(out_shape); ++i) {
    const Dims out_index = unravel(i, out_shape);
    Dims in_index(x.shape.size());
    for (size_t k = 0; k < in_index.size(); ++k) in_index[axis_of(a.perm[k], x.shape.size())] = out_index[k];
    positions.push_back(ravel(in_index, x.shape));
  }
  return {Expected::of_bits(pick(x, positions, out_shape))};
}

KEEL_REFERENCE(concat) {
  const size_t axis = axis_of(call.attrs_as<keel_concat_attrs_t>().axis, call.outputs[0].shape.size());
  const Dims& out_shape = call.outputs[0].shape;
  HostTensor expected = HostTensor::zeros(call.outputs[0].dtype, out_shape);
  const size_t size = size_of(expected.dtype);
  for (int64_t o = 0; o < count_of(out_shape); ++o) {
    Dims index = unravel(o, out_shape);
    size_t which = 0;
    while (index[axis] >= call.inputs[which].shape[axis]) index[axis] -= call.inputs[which++].shape[axis];
    const int64_t j = ravel(index, call.inputs[which].shape);
    std::copy_n(call.inputs[which].bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(j) * size), size,
                expected.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(o) * size));
  }
  return {Expected::of_bits(expected)};
}

KEEL_REFERENCE(slice) {
  const auto& a = call.attrs_as<keel_slice_attrs_t>();
  const HostTensor& x = call.inputs[0];
  std::vector<std::vector<int64_t>> kept(x.shape.size());
  for (size_t k = 0; k < x.shape.size(); ++k) {
    for (int64_t i = 0; i < x.shape[k]; ++i) kept[k].push_back(i);
  }
  for (size_t i = 0; i < a.starts_count; ++i) {
    const size_t axis = a.axes_count == 0 ? i : axis_of(a.axes[i], x.shape.size());
    kept[axis] = slice_indices(x.shape[axis], a.starts[i], a.ends[i], a.steps_count == 0 ? 1 : a.steps[i]);
  }
  const Dims& out_shape = call.outputs[0].shape;
  std::vector<int64_t> positions;
  for (int64_t o = 0; o < count_of(out_shape); ++o) {
    Dims index = unravel(o, out_shape);
    for (size_t k = 0; k < index.size(); ++k) index[k] = kept[k][static_cast<size_t>(index[k])];
    positions.push_back(ravel(index, x.shape));
  }
  return {Expected::of_bits(pick(x, positions, out_shape))};
}

}  // namespace
}  // namespace keel::reference_test
