// scatter_elements and scatter_nd (ir_spec/ops/indexing.yaml), and embedding_backward (training.yaml). y starts as a copy of data; the updates are
// applied in row-major order of indices, and an update whose index is out of range is skipped.
//
// none, max and min pick one of two values, so they copy bits. add sums every update of a target, in order,
// in the Accumulator type (integers wrap) and rounds the target once; a target no update reaches keeps its
// bits. bool adds as logical or (the sum of 0/1 values converted back to bool by x != 0).
#include <optional>
#include <vector>

#include "attrs.h"
#include "index_util.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "scalar_ops.h"

namespace keel::reference {
namespace {

enum class Combine { kNone, kAdd, kMax, kMin };

Combine combine_of(uint32_t value) {
  // The scatter_elements and scatter_nd enums list the same values in the same order.
  static_assert(uint32_t{KEEL_SCATTER_ELEMENTS_REDUCTION_ADD} == uint32_t{KEEL_SCATTER_ND_REDUCTION_ADD} &&
                uint32_t{KEEL_SCATTER_ELEMENTS_REDUCTION_MAX} == uint32_t{KEEL_SCATTER_ND_REDUCTION_MAX} &&
                uint32_t{KEEL_SCATTER_ELEMENTS_REDUCTION_MIN} == uint32_t{KEEL_SCATTER_ND_REDUCTION_MIN});
  switch (value) {
    case KEEL_SCATTER_ELEMENTS_REDUCTION_NONE: return Combine::kNone;
    case KEEL_SCATTER_ELEMENTS_REDUCTION_ADD: return Combine::kAdd;
    case KEEL_SCATTER_ELEMENTS_REDUCTION_MAX: return Combine::kMax;
    case KEEL_SCATTER_ELEMENTS_REDUCTION_MIN: return Combine::kMin;
    default: fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute reduction has the unknown value ", value);
  }
}

// The result of scattering: the targets as values of T, plus running sums for add.
template <class T>
class Scattered {
 public:
  Scattered(std::vector<T> data, Combine combine) : values_(std::move(data)), combine_(combine) {
    if (combine_ == Combine::kAdd) sums_.resize(values_.size());
    touched_.resize(values_.size(), false);
  }

  void apply(int64_t target, T update) {
    const auto t = static_cast<size_t>(target);
    switch (combine_) {
      case Combine::kNone: values_[t] = update; break;
      case Combine::kMax: values_[t] = combine_max(values_[t], update); break;
      case Combine::kMin: values_[t] = combine_min(values_[t], update); break;
      case Combine::kAdd: add(t, update); break;
    }
    touched_[t] = true;
  }

  std::vector<T> finish() {
    if (combine_ == Combine::kAdd) {
      for (size_t t = 0; t < values_.size(); ++t) {
        if (touched_[t]) values_[t] = total(t);
      }
    }
    return std::move(values_);
  }

 private:
  // bool sums live in a byte (std::vector<bool> has no element references).
  using Sum = std::conditional_t<kIsFloat<T>, Accumulator<T>, std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>>;

  static T combine_max(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) {
      return a || b;
    } else {
      return maximum_of(a, b);
    }
  }

  static T combine_min(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) {
      return a && b;
    } else {
      return minimum_of(a, b);
    }
  }

  void add(size_t t, T update) {
    Sum& sum = sums_[t];
    if constexpr (std::is_same_v<T, bool>) {
      if (!touched_[t]) sum = values_[t] ? 1 : 0;
      sum = sum != 0 || update ? 1 : 0;
    } else if constexpr (kIsFloat<T>) {
      if (!touched_[t]) sum = lift(values_[t]);
      sum += lift(update);
    } else {
      if (!touched_[t]) sum = values_[t];
      sum = wrapping_add(sum, update);
    }
  }

  T total(size_t t) const {
    if constexpr (kIsFloat<T>) {
      return narrow<T>(sums_[t]);
    } else {
      return static_cast<T>(sums_[t]);
    }
  }

  std::vector<T> values_;
  Combine combine_;
  std::vector<Sum> sums_;
  std::vector<bool> touched_;
};

}  // namespace

// For each position p of indices: target q = p with its axis coordinate replaced by indices[p].
void compute_scatter_elements(const KernelCall& call) {
  using A = keel_scatter_elements_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ELEMENTS_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::axis, &A::reduction);
  const Combine combine = combine_of(attrs.reduction);
  const View data = call.input(0);
  const View indices = call.input(1);
  const View updates = call.input(2);
  const View y = call.output(0);
  check_element_type(updates, data.dtype);
  check_element_type(y, data.dtype);
  require_shape(y, data.shape, "output y");
  require_shape(updates, indices.shape, "input updates");
  const uint32_t axis = normalize_axis(attrs.axis, data.shape.rank, "axis");
  if (indices.shape.rank != data.shape.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "indices needs data's rank");
  for (uint32_t k = 0; k < data.shape.rank; ++k) {
    if (k != axis && indices.shape.dims[k] > data.shape.dims[k]) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is longer than data along axis ", k);
    }
  }
  const std::vector<int64_t> idx = gather_indices(indices);
  dispatch_any(data.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> values = gather<T>(updates);
    Scattered<T> result(gather<T>(data), combine);
    for (size_t p = 0; p < idx.size(); ++p) {
      const std::optional<int64_t> row = resolve_index(idx[p], data.shape.dims[axis]);
      if (!row) continue;
      std::vector<int64_t> target = unravel_index(static_cast<int64_t>(p), indices.shape);
      target[axis] = *row;
      result.apply(ravel_index(target, data.shape), values[p]);
    }
    scatter(result.finish(), y);
  });
}

// For each position p of indices.shape[:-1]: the tuple t = indices[p, :] addresses the slice
// y[p[:b], t, :], combined elementwise with updates[p, :].
void compute_scatter_nd(const KernelCall& call) {
  using A = keel_scatter_nd_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::reduction, &A::batch_dims);
  const Combine combine = combine_of(attrs.reduction);
  const View data = call.input(0);
  const View indices = call.input(1);
  const View updates = call.input(2);
  const View y = call.output(0);
  check_element_type(updates, data.dtype);
  check_element_type(y, data.dtype);
  require_shape(y, data.shape, "output y");
  const int64_t b = attrs.batch_dims;
  if (indices.shape.rank < 1 || b < 0 || b >= indices.shape.rank || b > data.shape.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "batch_dims ", b, " does not fit data and indices");
  }
  const int64_t k = indices.shape.dims[indices.shape.rank - 1];
  if (b + k > data.shape.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "index tuples of ", k, " entries do not fit data");
  for (int64_t a = 0; a < b; ++a) {
    if (data.shape.dims[a] != indices.shape.dims[a]) fail(KEEL_STATUS_INVALID_ARGUMENT, "batch axis ", a, " differs");
  }
  std::vector<int64_t> update_dims(indices.shape.dims.begin(), indices.shape.dims.begin() + indices.shape.rank - 1);
  update_dims.insert(update_dims.end(), data.shape.dims.begin() + b + k, data.shape.dims.begin() + data.shape.rank);
  require_shape(updates, Shape::of(update_dims), "input updates");

  int64_t slice = 1;
  for (uint32_t a = static_cast<uint32_t>(b + k); a < data.shape.rank; ++a) slice *= data.shape.dims[a];
  const Shape positions = Shape::of({indices.shape.dims.data(), indices.shape.rank - 1});
  const std::vector<int64_t> idx = gather_indices(indices);
  dispatch_any(data.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> values = gather<T>(updates);
    Scattered<T> result(gather<T>(data), combine);
    for (int64_t p = 0; p < positions.element_count(); ++p) {
      const std::vector<int64_t> at = unravel_index(p, positions);
      std::vector<int64_t> start(at.begin(), at.begin() + b);
      bool valid = true;
      for (int64_t j = 0; j < k && valid; ++j) {
        const std::optional<int64_t> entry =
            resolve_index(idx[static_cast<size_t>(p * k + j)], data.shape.dims[b + j]);
        valid = entry.has_value();
        start.push_back(entry.value_or(0));
      }
      if (!valid) continue;
      start.resize(data.shape.rank, 0);
      const int64_t first = ravel_index(start, data.shape);
      for (int64_t e = 0; e < slice; ++e) result.apply(first + e, values[static_cast<size_t>(p * slice + e)]);
    }
    scatter(result.finish(), y);
  });
}

// dw[r, :] = Σ dy[p, :] over the positions p with indices[p] = r, r in [0, num_weights) and r != padding_idx,
// summed in row-major order of p in the Accumulator type and rounded once; rows nothing reaches are +0.
void compute_embedding_backward(const KernelCall& call) {
  using A = keel_embedding_backward_attrs_t;
  constexpr A kDefaults = KEEL_EMBEDDING_BACKWARD_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::num_weights, &A::padding_idx);
  const View dy = call.input(0);
  const View indices = call.input(1);
  const View dw = call.output(0);
  check_element_type(dw, dy.dtype);
  if (dy.shape.rank != indices.shape.rank + 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "dy needs indices' rank + 1");
  Shape rows = dy.shape;
  rows.rank -= 1;
  rows.dims[rows.rank] = 0;
  require_shape(indices, rows, "input indices (dy's shape without its last axis)");
  const int64_t width = dy.shape.dims[dy.shape.rank - 1];
  const int64_t dims[] = {attrs.num_weights, width};
  require_shape(dw, Shape::of(dims), "output dw");

  const std::vector<int64_t> idx = gather_indices(indices);
  dispatch_float(dy.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> grads = gather<T>(dy);
    std::vector<Accumulator<T>> sums(static_cast<size_t>(attrs.num_weights * width), 0);
    for (size_t p = 0; p < idx.size(); ++p) {
      const int64_t r = idx[p];
      if (r < 0 || r >= attrs.num_weights || r == attrs.padding_idx) continue;
      for (int64_t j = 0; j < width; ++j) {
        sums[static_cast<size_t>(r * width + j)] += lift(grads[p * static_cast<size_t>(width) + static_cast<size_t>(j)]);
      }
    }
    std::vector<T> out;
    out.reserve(sums.size());
    for (const auto sum : sums) out.push_back(narrow<T>(sum));
    scatter(out, dw);
  });
}

}  // namespace keel::reference
