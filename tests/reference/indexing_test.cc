// gather gather_elements gather_nd scatter_elements scatter_nd one_hot nonzero (indexing.yaml) and
// embedding_backward (training.yaml). Index values are drawn so that negative and out-of-range ones appear:
// a read of an out-of-range index gives all-zero bytes, a write of one is skipped.
#include <cmath>
#include <cstring>
#include <optional>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// An index accepted in [-d, d), as a position; nullopt outside.
std::optional<int64_t> resolve(long double index, int64_t d) {
  const auto i = static_cast<int64_t>(index);
  if (i < -d || i >= d) return std::nullopt;
  return i < 0 ? i + d : i;
}

// ---- Gathers ----------------------------------------------------------------------------------------------

KEEL_REFERENCE(gather) {
  const HostTensor& x = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const size_t axis = axis_of(call.attrs_as<keel_gather_attrs_t>().axis, x.shape.size());
  const Dims& shape = call.outputs[0].shape;
  std::vector<int64_t> positions;
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    // y[i_0..i_{a-1}, j..., k...] = x[i_0..i_{a-1}, indices[j...], k...]
    const Dims j(index.begin() + static_cast<std::ptrdiff_t>(axis),
                 index.begin() + static_cast<std::ptrdiff_t>(axis + indices.shape.size()));
    const auto row = resolve(indices.value(ravel(j, indices.shape)), x.shape[axis]);
    if (!row) {
      positions.push_back(-1);
      continue;
    }
    Dims source(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(axis));
    source.push_back(*row);
    source.insert(source.end(), index.begin() + static_cast<std::ptrdiff_t>(axis + indices.shape.size()), index.end());
    positions.push_back(ravel(source, x.shape));
  }
  return {Expected::of_bits(pick_elements(x, positions, shape))};
}

KEEL_REFERENCE(gather_elements) {
  const HostTensor& x = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const size_t axis = axis_of(call.attrs_as<keel_gather_elements_attrs_t>().axis, x.shape.size());
  std::vector<int64_t> positions;
  for (int64_t p = 0; p < indices.count(); ++p) {
    Dims index = unravel(p, indices.shape);
    const auto row = resolve(indices.value(p), x.shape[axis]);
    if (!row) {
      positions.push_back(-1);
      continue;
    }
    index[axis] = *row;
    positions.push_back(ravel(index, x.shape));
  }
  return {Expected::of_bits(pick_elements(x, positions, indices.shape))};
}

// The x position of element `e` of the slice that index tuple p addresses, or nullopt for a tuple with an
// entry out of range. Shared by gather_nd and scatter_nd.
std::optional<int64_t> nd_position(const HostTensor& x, const HostTensor& indices, int64_t batch_dims, int64_t p,
                                   int64_t e) {
  const auto b = static_cast<size_t>(batch_dims);
  const auto k = static_cast<size_t>(indices.shape.back());
  const Dims outer(indices.shape.begin(), indices.shape.end() - 1);
  const Dims at = unravel(p, outer);
  Dims position(at.begin(), at.begin() + static_cast<std::ptrdiff_t>(b));
  for (size_t j = 0; j < k; ++j) {
    const auto entry = resolve(indices.value(p * static_cast<int64_t>(k) + static_cast<int64_t>(j)), x.shape[b + j]);
    if (!entry) return std::nullopt;
    position.push_back(*entry);
  }
  const Dims tail(x.shape.begin() + static_cast<std::ptrdiff_t>(b + k), x.shape.end());
  const Dims inner = unravel(e, tail);
  position.insert(position.end(), inner.begin(), inner.end());
  return ravel(position, x.shape);
}

int64_t nd_slice_size(const HostTensor& x, const HostTensor& indices, int64_t batch_dims) {
  int64_t size = 1;
  for (size_t a = static_cast<size_t>(batch_dims) + static_cast<size_t>(indices.shape.back()); a < x.shape.size(); ++a) {
    size *= x.shape[a];
  }
  return size;
}

KEEL_REFERENCE(gather_nd) {
  const HostTensor& x = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const int64_t b = call.attrs_as<keel_gather_nd_attrs_t>().batch_dims;
  const int64_t slice = nd_slice_size(x, indices, b);
  const int64_t tuples = count_of(Dims(indices.shape.begin(), indices.shape.end() - 1));
  std::vector<int64_t> positions;
  for (int64_t p = 0; p < tuples; ++p) {
    for (int64_t e = 0; e < slice; ++e) positions.push_back(nd_position(x, indices, b, p, e).value_or(-1));
  }
  return {Expected::of_bits(pick_elements(x, positions, call.outputs[0].shape))};
}

// ---- Scatters ---------------------------------------------------------------------------------------------

// Applies updates to a copy of data in order: none replaces (bits), max/min pick (IEEE 754-2019), add sums
// exactly in long double per target (integers wrap, bool is or) with K the updates a target got plus one.
std::vector<Expected> scatter_reference(const RefCall& call, uint32_t reduction,
                                        const std::vector<std::pair<int64_t, int64_t>>& writes) {
  const HostTensor& data = call.inputs[0];
  const HostTensor& updates = call.inputs[2];
  const keel_dtype_t t = data.dtype;
  if (reduction == KEEL_SCATTER_ELEMENTS_REDUCTION_NONE) {
    HostTensor y = data;
    const size_t size = size_of(t);
    for (const auto& [target, source] : writes) {
      std::memcpy(y.bytes.data() + static_cast<size_t>(target) * size,
                  updates.bytes.data() + static_cast<size_t>(source) * size, size);
    }
    return {Expected::of_bits(y)};
  }
  Expected e = Expected::of_values(values_of(data));
  e.k.assign(e.values.size(), 1);
  e.magnitude.resize(e.values.size());
  for (size_t i = 0; i < e.values.size(); ++i) e.magnitude[i] = std::fabs(e.values[i]);
  for (const auto& [target, source] : writes) {
    long double& y = e.values[static_cast<size_t>(target)];
    const long double u = updates.value(source);
    if (reduction == KEEL_SCATTER_ELEMENTS_REDUCTION_MAX) {
      y = t == KEEL_DTYPE_BOOL ? (y != 0 || u != 0 ? 1 : 0) : ieee_max(y, u);
    } else if (reduction == KEEL_SCATTER_ELEMENTS_REDUCTION_MIN) {
      y = t == KEEL_DTYPE_BOOL ? (y != 0 && u != 0 ? 1 : 0) : ieee_min(y, u);
    } else {
      y = t == KEEL_DTYPE_BOOL ? (y != 0 || u != 0 ? 1 : 0) : is_float(t) ? y + u : wrap_to(t, y + u);
      e.k[static_cast<size_t>(target)] += 1;
      e.magnitude[static_cast<size_t>(target)] += std::fabs(u);
    }
  }
  return {e};
}

KEEL_REFERENCE(scatter_elements) {
  const auto& a = call.attrs_as<keel_scatter_elements_attrs_t>();
  const HostTensor& data = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const size_t axis = axis_of(a.axis, data.shape.size());
  std::vector<std::pair<int64_t, int64_t>> writes;  // (target in y, source in updates), in order
  for (int64_t p = 0; p < indices.count(); ++p) {
    const auto row = resolve(indices.value(p), data.shape[axis]);
    if (!row) continue;
    Dims target = unravel(p, indices.shape);
    target[axis] = *row;
    writes.emplace_back(ravel(target, data.shape), p);
  }
  return scatter_reference(call, a.reduction, writes);
}

KEEL_REFERENCE(scatter_nd) {
  const auto& a = call.attrs_as<keel_scatter_nd_attrs_t>();
  const HostTensor& data = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const int64_t slice = nd_slice_size(data, indices, a.batch_dims);
  const int64_t tuples = count_of(Dims(indices.shape.begin(), indices.shape.end() - 1));
  std::vector<std::pair<int64_t, int64_t>> writes;
  for (int64_t p = 0; p < tuples; ++p) {
    for (int64_t e = 0; e < slice; ++e) {
      const auto target = nd_position(data, indices, a.batch_dims, p, e);
      if (target) writes.emplace_back(*target, p * slice + e);
    }
  }
  // The enum values of scatter_nd's reduction equal scatter_elements'.
  return scatter_reference(call, a.reduction, writes);
}

// ---- one_hot, nonzero, embedding_backward -----------------------------------------------------------------

KEEL_REFERENCE(one_hot) {
  const auto& a = call.attrs_as<keel_one_hot_attrs_t>();
  const HostTensor& indices = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  const size_t axis = axis_of(a.axis, shape.size());
  std::vector<long double> values;
  for (int64_t o = 0; o < count_of(shape); ++o) {
    Dims index = unravel(o, shape);
    const int64_t c = index[axis];
    index.erase(index.begin() + static_cast<std::ptrdiff_t>(axis));
    const auto hot = resolve(indices.value(ravel(index, indices.shape)), a.depth);
    values.push_back(cast_from_f64(hot == c ? a.on_value : a.off_value, a.dtype));
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(nonzero) {
  const HostTensor& x = call.inputs[0];
  const int64_t n = x.count();
  const size_t rank = x.shape.size();
  std::vector<long double> indices(rank * static_cast<size_t>(n), -1);
  int64_t found = 0;
  for (int64_t e = 0; e < n; ++e) {
    if (x.value(e) == 0) continue;  // NaN != 0 counts, -0 does not
    const Dims at = unravel(e, x.shape);
    for (size_t a = 0; a < rank; ++a) indices[a * static_cast<size_t>(n) + static_cast<size_t>(found)] = static_cast<long double>(at[a]);
    ++found;
  }
  return {Expected::of_values(indices), Expected::of_values({static_cast<long double>(found)})};
}

KEEL_REFERENCE(embedding_backward) {
  const auto& a = call.attrs_as<keel_embedding_backward_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const int64_t width = dy.shape.back();
  Expected e;
  e.values.assign(static_cast<size_t>(a.num_weights * width), 0);
  e.k.assign(e.values.size(), 1);
  e.magnitude.assign(e.values.size(), 0);
  for (int64_t p = 0; p < indices.count(); ++p) {
    const auto r = static_cast<int64_t>(indices.value(p));
    if (r < 0 || r >= a.num_weights || r == a.padding_idx) continue;
    for (int64_t j = 0; j < width; ++j) {
      const auto t = static_cast<size_t>(r * width + j);
      const long double g = dy.value(p * width + j);
      e.values[t] += g;
      e.k[t] += 1;
      e.magnitude[t] += std::fabs(g);
    }
  }
  return {e};
}

// ---- Cases ------------------------------------------------------------------------------------------------

const std::vector<keel_dtype_t> kDataTypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,
                                              KEEL_DTYPE_I32,  KEEL_DTYPE_I64, KEEL_DTYPE_F16,
                                              KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};

class Indexing : public BackendTest {
 protected:
  HostTensor indices(keel_dtype_t dtype, const Dims& shape, int64_t low, int64_t high) {
    return random_.tensor(dtype, shape, static_cast<double>(low), static_cast<double>(high));
  }
  HostTensor data(keel_dtype_t dtype, const Dims& shape) { return random_.tensor(dtype, shape, -9, 9); }
  Random random_{61};
};

TEST_P(Indexing, GathersWithNegativeAndOutOfRangeIndices) {
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const keel_dtype_t index_type : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) {
      SCOPED_TRACE(name_of(dtype) + " indices " + name_of(index_type));
      const HostTensor x = data(dtype, {4, 3, 2});
      for (const int64_t axis : {0, 1, -1}) {
        const keel_gather_attrs_t g = {sizeof g, axis};
        check_call(session(), "gather", &g, {x, indices(index_type, {2, 3}, -6, 5)}, {Layout::scrambled(3)},
                   {Layout::transposed(4)});
        check_call(session(), "gather", &g, {x, indices(index_type, {}, -3, 2)});
        const keel_gather_elements_attrs_t ge = {sizeof ge, axis};
        check_call(session(), "gather_elements", &ge, {x, indices(index_type, {2, 3, 2}, -5, 4)},
                   {Layout::transposed(3), Layout::scrambled(3)});
      }
      for (const int64_t batch : {0, 1, 2}) {
        const keel_gather_nd_attrs_t gn = {sizeof gn, batch};
        const Dims index_shape = batch == 0 ? Dims{5, 2} : batch == 1 ? Dims{4, 2, 1} : Dims{4, 3, 1};
        check_call(session(), "gather_nd", &gn, {x, indices(index_type, index_shape, -5, 4)},
                   {Layout::scrambled(3), Layout::transposed(index_shape.size())});
      }
      const keel_gather_nd_attrs_t whole = {sizeof whole, 0};  // k = 0: whole x per tuple
      check_call(session(), "gather_nd", &whole, {x, indices(index_type, {2, 0}, 0, 0)});
    }
  }
}

TEST_P(Indexing, ScattersEveryReductionWithRepeatsAndSkips) {
  const uint32_t reductions[] = {KEEL_SCATTER_ELEMENTS_REDUCTION_NONE, KEEL_SCATTER_ELEMENTS_REDUCTION_ADD,
                                 KEEL_SCATTER_ELEMENTS_REDUCTION_MAX, KEEL_SCATTER_ELEMENTS_REDUCTION_MIN};
  for (const keel_dtype_t dtype : kDataTypes) {
    for (const uint32_t reduction : reductions) {
      SCOPED_TRACE(name_of(dtype) + " reduction " + std::to_string(reduction));
      const HostTensor d = data(dtype, {4, 3});
      for (const int64_t axis : {0, -1}) {
        const keel_scatter_elements_attrs_t se = {sizeof se, axis, reduction};
        const HostTensor index = indices(KEEL_DTYPE_I64, {3, 3}, -5, 4);  // repeats and out-of-range entries
        check_call(session(), "scatter_elements", &se, {d, index, data(dtype, {3, 3})},
                   {Layout::scrambled(2), Layout::transposed(2), Layout::scrambled(2)}, {Layout::transposed(2)});
      }
      const keel_scatter_nd_attrs_t sn = {sizeof sn, reduction, 0};
      check_call(session(), "scatter_nd", &sn, {d, indices(KEEL_DTYPE_I32, {5, 1}, -5, 4), data(dtype, {5, 3})});
      check_call(session(), "scatter_nd", &sn, {d, indices(KEEL_DTYPE_I64, {6, 2}, -4, 3), data(dtype, {6})});
      const keel_scatter_nd_attrs_t batched = {sizeof batched, reduction, 1};
      check_call(session(), "scatter_nd", &batched,
                 {data(dtype, {2, 4, 3}), indices(KEEL_DTYPE_I64, {2, 3, 1}, -5, 4), data(dtype, {2, 3, 3})});
    }
  }
}

TEST_P(Indexing, OneHotNonzeroAndEmbeddingGradients) {
  for (const keel_dtype_t out : {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                 KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const int64_t axis : {-1, 0, 1, -3}) {
      const keel_one_hot_attrs_t attrs = {sizeof attrs, 4, axis, 2.5, -1.0, out};
      check_call(session(), "one_hot", &attrs, {indices(KEEL_DTYPE_I32, {2, 3}, -6, 5)}, {}, {Layout::scrambled(3)});
    }
  }
  for (const keel_dtype_t dtype : kDataTypes) {
    check_call(session(), "nonzero", nullptr, {data(dtype, {3, 4})}, {Layout::scrambled(2)},
               {Layout::transposed(2)});
    check_call(session(), "nonzero", nullptr, {data(dtype, {})});
    check_call(session(), "nonzero", nullptr, {data(dtype, {2, 1, 2, 1, 3, 1})});
  }
  for (const keel_dtype_t dtype : kFloatTypes) {
    check_call(session(), "nonzero", nullptr, {special_tensor(dtype)});
    const keel_embedding_backward_attrs_t attrs = {sizeof attrs, 5, 2};
    check_call(session(), "embedding_backward", &attrs,
               {data(dtype, {3, 4, 2}), indices(KEEL_DTYPE_I64, {3, 4}, -2, 6)}, {Layout::scrambled(3)},
               {Layout::transposed(2)});
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Indexing);

}  // namespace
}  // namespace keel::reference_test
