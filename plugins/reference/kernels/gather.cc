// gather gather_elements gather_nd one_hot nonzero (ir_spec/ops/indexing.yaml). Values are copied as bytes;
// an index outside its accepted range reads all-zero bytes (0, +0 or false), as the spec defines.
#include <cstring>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "index_util.h"
#include "keel/keel_ops.h"
#include "kernels.h"

namespace keel::reference {

std::vector<int64_t> gather_indices(const View& indices) {
  return dispatch_int(indices.dtype, [&]<class I>(Tag<I>) {
    const std::vector<I> values = gather<I>(indices);
    return std::vector<int64_t>(values.begin(), values.end());
  });
}

std::vector<int64_t> unravel_index(int64_t linear, const Shape& shape) {
  std::vector<int64_t> index(shape.rank);
  for (uint32_t k = shape.rank; k-- > 0;) {
    index[k] = linear % shape.dims[k];
    linear /= shape.dims[k];
  }
  return index;
}

int64_t ravel_index(const std::vector<int64_t>& index, const Shape& shape) {
  int64_t linear = 0;
  for (uint32_t k = 0; k < shape.rank; ++k) linear = linear * shape.dims[k] + index[k];
  return linear;
}

namespace {

// Copies element `source` of `in` (or zeros when nullopt) to element `target` of `out`.
void copy_element(const std::vector<std::byte>& in, std::optional<int64_t> source, std::vector<std::byte>& out,
                  int64_t target, size_t size) {
  std::byte* to = out.data() + static_cast<size_t>(target) * size;
  if (source) {
    std::memcpy(to, in.data() + static_cast<size_t>(*source) * size, size);
  } else {
    std::memset(to, 0, size);
  }
}

}  // namespace

// y[pre, j..., post] = x[pre, idx, post] with idx = indices[j...]; x is seen as [A, d, B].
void compute_gather(const KernelCall& call) {
  constexpr keel_gather_attrs_t kDefaults = KEEL_GATHER_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_gather_attrs_t::axis);
  const View x = call.input(0);
  const View indices = call.input(1);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  std::vector<int64_t> dims(x.shape.dims.begin(), x.shape.dims.begin() + axis);
  dims.insert(dims.end(), indices.shape.dims.begin(), indices.shape.dims.begin() + indices.shape.rank);
  dims.insert(dims.end(), x.shape.dims.begin() + axis + 1, x.shape.dims.begin() + x.shape.rank);
  require_shape(y, Shape::of(dims), "output y");

  int64_t before = 1;
  int64_t after = 1;
  for (uint32_t k = 0; k < axis; ++k) before *= x.shape.dims[k];
  for (uint32_t k = axis + 1; k < x.shape.rank; ++k) after *= x.shape.dims[k];
  const int64_t d = x.shape.dims[axis];
  const std::vector<int64_t> idx = gather_indices(indices);
  const std::vector<std::byte> in = gather_bytes(x);
  std::vector<std::byte> out(static_cast<size_t>(y.element_count()) * x.element_size);
  int64_t target = 0;
  for (int64_t a = 0; a < before; ++a) {
    for (const int64_t index : idx) {
      const std::optional<int64_t> row = resolve_index(index, d);
      for (int64_t b = 0; b < after; ++b) {
        const std::optional<int64_t> source = row ? std::optional<int64_t>((a * d + *row) * after + b) : std::nullopt;
        copy_element(in, source, out, target++, x.element_size);
      }
    }
  }
  scatter_bytes(out, y);
}

// y[p] = x[p with its axis coordinate replaced by indices[p]]; y has indices' shape.
void compute_gather_elements(const KernelCall& call) {
  constexpr keel_gather_elements_attrs_t kDefaults = KEEL_GATHER_ELEMENTS_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_gather_elements_attrs_t::axis);
  const View x = call.input(0);
  const View indices = call.input(1);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  require_shape(y, indices.shape, "output y");
  const uint32_t axis = normalize_axis(attrs.axis, x.shape.rank, "axis");
  if (indices.shape.rank != x.shape.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "indices needs x's rank");
  for (uint32_t k = 0; k < x.shape.rank; ++k) {
    if (k != axis && indices.shape.dims[k] > x.shape.dims[k]) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is longer than x along axis ", k);
    }
  }
  const std::vector<int64_t> idx = gather_indices(indices);
  const std::vector<std::byte> in = gather_bytes(x);
  std::vector<std::byte> out(idx.size() * x.element_size);
  for (size_t p = 0; p < idx.size(); ++p) {
    std::vector<int64_t> position = unravel_index(static_cast<int64_t>(p), indices.shape);
    const std::optional<int64_t> row = resolve_index(idx[p], x.shape.dims[axis]);
    std::optional<int64_t> source;
    if (row) {
      position[axis] = *row;
      source = ravel_index(position, x.shape);
    }
    copy_element(in, source, out, static_cast<int64_t>(p), x.element_size);
  }
  scatter_bytes(out, y);
}

// y[p, :] = x[p[:b], t, :] for the tuple t = indices[p, :]; a tuple with an entry out of range gives a zero
// slice.
void compute_gather_nd(const KernelCall& call) {
  constexpr keel_gather_nd_attrs_t kDefaults = KEEL_GATHER_ND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_gather_nd_attrs_t::batch_dims);
  const View x = call.input(0);
  const View indices = call.input(1);
  const View y = call.output(0);
  check_element_type(y, x.dtype);
  const int64_t b = attrs.batch_dims;
  if (indices.shape.rank < 1 || b < 0 || b >= indices.shape.rank || b > x.shape.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "batch_dims ", b, " does not fit x and indices");
  }
  const int64_t k = indices.shape.dims[indices.shape.rank - 1];
  if (b + k > x.shape.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "index tuples of ", k, " entries do not fit x");
  for (int64_t a = 0; a < b; ++a) {
    if (x.shape.dims[a] != indices.shape.dims[a]) fail(KEEL_STATUS_INVALID_ARGUMENT, "batch axis ", a, " differs");
  }
  std::vector<int64_t> dims(indices.shape.dims.begin(), indices.shape.dims.begin() + indices.shape.rank - 1);
  dims.insert(dims.end(), x.shape.dims.begin() + b + k, x.shape.dims.begin() + x.shape.rank);
  require_shape(y, Shape::of(dims), "output y");

  int64_t slice = 1;  // elements per addressed slice, x.shape[b + k:]
  for (uint32_t a = static_cast<uint32_t>(b + k); a < x.shape.rank; ++a) slice *= x.shape.dims[a];
  const Shape positions = Shape::of({indices.shape.dims.data(), indices.shape.rank - 1});
  const std::vector<int64_t> idx = gather_indices(indices);
  const std::vector<std::byte> in = gather_bytes(x);
  std::vector<std::byte> out(static_cast<size_t>(y.element_count()) * x.element_size);
  int64_t target = 0;
  for (int64_t p = 0; p < positions.element_count(); ++p) {
    // The slice's first element: batch coordinates from p, then the tuple, then zeros.
    const std::vector<int64_t> at = unravel_index(p, positions);
    std::vector<int64_t> start(at.begin(), at.begin() + b);
    bool valid = true;
    for (int64_t j = 0; j < k; ++j) {
      const std::optional<int64_t> entry = resolve_index(idx[static_cast<size_t>(p * k + j)], x.shape.dims[b + j]);
      valid = valid && entry.has_value();
      start.push_back(entry.value_or(0));
    }
    start.resize(x.shape.rank, 0);
    const int64_t first = valid ? ravel_index(start, x.shape) : 0;
    for (int64_t e = 0; e < slice; ++e) {
      copy_element(in, valid ? std::optional<int64_t>(first + e) : std::nullopt, out, target++, x.element_size);
    }
  }
  scatter_bytes(out, y);
}

// indices' shape with a depth axis inserted at `axis`: on_value at the (resolved) index, off_value elsewhere,
// both converted to the output dtype with the rules of cast.
void compute_one_hot(const KernelCall& call) {
  using A = keel_one_hot_attrs_t;
  constexpr A kDefaults = KEEL_ONE_HOT_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &A::depth, &A::axis, &A::on_value, &A::off_value, &A::dtype);
  const View indices = call.input(0);
  const View y = call.output(0);
  if (attrs.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype does not match output y");
  if (attrs.depth < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute depth is negative");
  const uint32_t rank = indices.shape.rank + 1;
  const uint32_t axis = normalize_axis(attrs.axis, rank, "axis");
  std::vector<int64_t> dims(indices.shape.dims.begin(), indices.shape.dims.begin() + indices.shape.rank);
  dims.insert(dims.begin() + axis, attrs.depth);
  const Shape output = Shape::of(dims);
  require_shape(y, output, "output y");

  int64_t before = 1;  // indices' axes before the new one, and after it
  int64_t after = 1;
  for (uint32_t k = 0; k < indices.shape.rank; ++k) (k < axis ? before : after) *= indices.shape.dims[k];
  const std::vector<int64_t> idx = gather_indices(indices);
  dispatch_all(y.dtype, [&]<class T>(Tag<T>) {
    const T on = from_attribute<T>(attrs.on_value);
    const T off = from_attribute<T>(attrs.off_value);
    std::vector<T> out;
    out.reserve(static_cast<size_t>(output.element_count()));
    for (int64_t a = 0; a < before; ++a) {
      for (int64_t c = 0; c < attrs.depth; ++c) {
        for (int64_t b = 0; b < after; ++b) {
          const std::optional<int64_t> hot = resolve_index(idx[static_cast<size_t>(a * after + b)], attrs.depth);
          out.push_back(hot == c ? on : off);
        }
      }
    }
    scatter(out, y);
  });
}

// indices [rank, numel]: column j holds the coordinates of the j-th non-zero element (row-major order), and
// every column from count on is -1. Non-zero means x != 0: NaN counts, -0 does not.
void compute_nonzero(const KernelCall& call) {
  const View x = call.input(0);
  const View indices = call.output(0);
  const View count = call.output(1);
  const int64_t n = x.element_count();
  const int64_t dims[] = {static_cast<int64_t>(x.shape.rank), n};
  require_shape(indices, Shape::of(dims), "output indices");
  require_shape(count, Shape(), "output count");
  const std::vector<bool> nonzero = dispatch_any(x.dtype, [&]<class T>(Tag<T>) {
    std::vector<bool> result;
    for (const T value : gather<T>(x)) result.push_back(convert<bool>(value));
    return result;
  });
  std::vector<int64_t> out(static_cast<size_t>(x.shape.rank * n), -1);
  int64_t found = 0;
  for (int64_t e = 0; e < n; ++e) {
    if (!nonzero[static_cast<size_t>(e)]) continue;
    const std::vector<int64_t> at = unravel_index(e, x.shape);
    for (uint32_t a = 0; a < x.shape.rank; ++a) out[static_cast<size_t>(a * n + found)] = at[a];
    ++found;
  }
  scatter(out, indices);
  scatter(std::vector<int64_t>{found}, count);
}

}  // namespace keel::reference
