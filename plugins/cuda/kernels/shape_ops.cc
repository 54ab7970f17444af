// Data movement (strided copies: every bit survives): reshape and the other in-order copies (flatten,
// squeeze, unsqueeze, copy), permute, expand, flip, concat, split, slice, tile and trilu; and the creation
// operators full, arange, eye and shape.
#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "keel/keel_ops.h"
#include "kernels/layout.h"
#include "kernels/ops.h"

namespace keel::cuda {
namespace {

// Copies put each element where the other view's row-major order says; unless input and output are the
// same bytes, an overlap goes through scratch memory.
bool hazard(const KernelCall& call) { return output_hazard(call.output(0), call.inputs(), /*pointwise=*/false); }

void require_same_count(const Tensor& x, const Tensor& y, const char* what) {
  if (x.count() != y.count() || x.dtype != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what, ": output y does not hold the input's elements");
  }
}

void enqueue_copy(Queue& queue, const Tensor& source, const Tensor& y, bool overlap, const char* what) {
  if (y.empty()) return;
  enqueue_output(queue, y, overlap, what, [source](Launch& launch, const Tensor& out) {
    copy_tensor(launch, source, out);
  });
}

// The first index and the count a slice keeps along an axis of size `dim`, following the spec's clamping.
struct AxisWindow {
  int64_t start = 0;
  int64_t count = 0;
};

AxisWindow window_of(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (dim == 0) return {};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return {start, end > start ? (end - start - 1) / step + 1 : 0};
  }
  // numpy: a start before index 0 leaves nothing to count down from (-1).
  start = std::clamp<int64_t>(start, -1, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  // Counting down: ceil((start - end) / -step), written so that -step is never formed (step may be INT64_MIN).
  return {start, start > end ? (end - start + 1) / step + 1 : 0};
}

}  // namespace

// The elements in row-major order into y's shape: reshape, flatten, squeeze, unsqueeze and copy.
void compute_reshape(const KernelCall& call, Queue& queue) {
  const Tensor& x = call.input(0);
  const Tensor& y = call.output(0);
  require_same_count(x, y, "reshape");
  enqueue_copy(queue, x, y, hazard(call), "copy");
}

// Every element of y copies the element of x it broadcasts from.
void compute_expand(const KernelCall& call, Queue& queue) {
  const Tensor& x = call.input(0);
  const Tensor& y = call.output(0);
  if (x.rank > y.rank || x.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "expand: output y does not fit x");
  Tensor view = x;
  view.rank = y.rank;
  std::copy(y.shape, y.shape + y.rank, view.shape);
  broadcast_strides(x, y.rank, y.shape, view.strides);
  enqueue_copy(queue, view, y, hazard(call), "expand");
}

// The view of x with the listed axes running backwards.
void compute_flip(const KernelCall& call, Queue& queue) {
  constexpr keel_flip_attrs_t kDefaults = KEEL_FLIP_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_flip_attrs_t::axes, &keel_flip_attrs_t::axes_count);
  const Tensor& x = call.input(0);
  Tensor view = x;
  std::array<bool, KEEL_MAX_RANK> flipped{};
  for (const int64_t entry : ints(attrs.axes, attrs.axes_count, "axes")) {
    const uint32_t axis = normalize_axis(entry, x.rank, "axis");
    if (flipped[axis] || x.shape[axis] == 0) continue;
    flipped[axis] = true;
    view.base += static_cast<CUdeviceptr>((x.shape[axis] - 1) * x.strides[axis] * static_cast<int64_t>(x.element_size));
    view.strides[axis] = -x.strides[axis];
  }
  enqueue_copy(queue, view, call.output(0), hazard(call), "flip");
}

// y[i_0, ..., i_{r-1}] = x[j] with j[perm[k]] = i_k: the view of x with its axes in perm's order.
void compute_permute(const KernelCall& call, Queue& queue) {
  constexpr keel_permute_attrs_t kDefaults = KEEL_PERMUTE_ATTRS_INIT;
  const auto attrs =
      read_attrs(call.attrs(), kDefaults, &keel_permute_attrs_t::perm, &keel_permute_attrs_t::perm_count);
  const std::span<const int64_t> perm = ints(attrs.perm, attrs.perm_count, "perm");
  const Tensor& x = call.input(0);
  const Tensor& y = call.output(0);
  if (perm.size() != x.rank) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute perm does not have one entry per axis");
  Tensor view = x;
  for (uint32_t i = 0; i < x.rank; ++i) {
    const uint32_t axis = normalize_axis(perm[i], x.rank, "perm entry");
    view.shape[i] = x.shape[axis];
    view.strides[i] = x.strides[axis];
  }
  if (!std::equal(view.shape, view.shape + x.rank, y.shape) || y.rank != x.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "permute: output y does not have the permuted shape");
  }
  enqueue_copy(queue, view, y, hazard(call), "permute");
}

// Each input lands in its own window of the output along `axis`, in order.
void compute_concat(const KernelCall& call, Queue& queue) {
  constexpr keel_concat_attrs_t kDefaults = KEEL_CONCAT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_concat_attrs_t::axis);
  const Tensor y = call.output(0);
  const uint32_t axis = normalize_axis(attrs.axis, y.rank, "axis");
  const std::vector<Tensor> inputs(call.inputs().begin(), call.inputs().end());
  int64_t total = 0;
  for (const Tensor& x : inputs) {
    if (x.rank != y.rank || x.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "concat: inputs do not match y");
    total += x.shape[axis];
  }
  if (total != y.shape[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "concat: the inputs do not fill output y");
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "concat", [inputs, axis](Launch& launch, const Tensor& out) {
    int64_t offset = 0;
    for (const Tensor& x : inputs) {
      Tensor window = out;
      window.shape[axis] = x.shape[axis];
      window.base = out.base + static_cast<CUdeviceptr>(offset * out.strides[axis] *
                                                        static_cast<int64_t>(out.element_size));
      offset += x.shape[axis];
      if (!x.empty()) copy_tensor(launch, x, window);
    }
  });
}

// Output i is the i-th window of x along `axis`; the host inferred each piece's size.
void compute_split(const KernelCall& call, Queue& queue) {
  constexpr keel_split_attrs_t kDefaults = KEEL_SPLIT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_split_attrs_t::axis);
  const Tensor x = call.input(0);
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  int64_t offset = 0;
  for (size_t i = 0; i < call.output_count(); ++i) {
    const Tensor& y = call.output(i);
    if (y.rank != x.rank || y.dtype != x.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "split: output ", i, " does not fit x");
    Tensor window = x;
    window.shape[axis] = y.shape[axis];
    window.base += static_cast<CUdeviceptr>(offset * x.strides[axis] * static_cast<int64_t>(x.element_size));
    offset += y.shape[axis];
    if (offset > x.shape[axis]) fail(KEEL_STATUS_INVALID_ARGUMENT, "split: the outputs exceed the input");
    enqueue_copy(queue, window, y, output_hazard(y, call.inputs(), /*pointwise=*/false), "split");
  }
}

void compute_slice(const KernelCall& call, Queue& queue) {
  using A = keel_slice_attrs_t;
  constexpr A kDefaults = KEEL_SLICE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::starts, &A::starts_count, &A::ends, &A::ends_count,
                                &A::axes, &A::axes_count, &A::steps, &A::steps_count);
  const std::span<const int64_t> starts = ints(attrs.starts, attrs.starts_count, "starts");
  const std::span<const int64_t> ends = ints(attrs.ends, attrs.ends_count, "ends");
  const std::span<const int64_t> axes = ints(attrs.axes, attrs.axes_count, "axes");
  const std::span<const int64_t> steps = ints(attrs.steps, attrs.steps_count, "steps");
  const Tensor& x = call.input(0);
  const Tensor& y = call.output(0);
  if (ends.size() != starts.size() || (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size()) || (axes.empty() && starts.size() > x.rank)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "slice: attributes starts, ends, axes and steps disagree");
  }
  Tensor window = x;
  for (size_t i = 0; i < starts.size(); ++i) {
    const uint32_t axis = axes.empty() ? static_cast<uint32_t>(i) : normalize_axis(axes[i], x.rank, "axis");
    const int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "slice: a step is 0");
    const AxisWindow w = window_of(x.shape[axis], starts[i], ends[i], step);
    window.shape[axis] = w.count;
    if (w.count > 0) {
      window.base += static_cast<CUdeviceptr>(w.start * x.strides[axis] * static_cast<int64_t>(x.element_size));
    }
    window.strides[axis] = x.strides[axis] * step;
  }
  if (!std::equal(window.shape, window.shape + x.rank, y.shape) || y.rank != x.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "slice: output y does not have the window's shape");
  }
  enqueue_copy(queue, window, y, hazard(call), "slice");
}

// y[j] = x[j mod x.shape] per dimension.
void compute_tile(const KernelCall& call, Queue& queue) {
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (x.rank != y.rank || x.dtype != y.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, "tile: output y does not fit x");
  if (y.empty()) return;
  enqueue_output(queue, y, hazard(call), "tile", [x](Launch& launch, const Tensor& out) {
    gpu::TileSource source;
    source.rank = static_cast<int32_t>(x.rank);
    source.in = x.base;
    for (uint32_t d = 0; d < x.rank; ++d) {
      source.out_dims[d] = out.shape[d];
      source.in_dims[d] = x.shape[d];
      source.in_strides[d] = x.strides[d] * static_cast<int64_t>(x.element_size);
    }
    launch.check(gpu::launch_tile(out.element_size, source, map_args(out, {}), launch.stream()), "tile kernel");
  });
}

// The last two axes are a matrix; elements off the kept triangle become zero bytes.
void compute_trilu(const KernelCall& call, Queue& queue) {
  constexpr keel_trilu_attrs_t kDefaults = KEEL_TRILU_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_trilu_attrs_t::upper, &keel_trilu_attrs_t::k);
  const Tensor x = call.input(0);
  const Tensor y = call.output(0);
  if (x.rank < 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "trilu: the input has fewer than 2 axes");
  if (y.empty()) return;
  const int64_t rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1];
  const bool upper = attrs.upper != 0;
  const int64_t k = attrs.k;
  enqueue_output(queue, y, output_hazard(y, call.inputs(), /*pointwise=*/true), "trilu",
                 [x, rows, cols, upper, k](Launch& launch, const Tensor& out) {
                   launch.check(gpu::launch_trilu(out.element_size, rows, cols, upper, k, map_args(out, {&x}),
                                                  launch.stream()),
                                "trilu kernel");
                 });
}

void compute_eye(const KernelCall& call, Queue& queue) {
  constexpr keel_eye_attrs_t kDefaults = KEEL_EYE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_eye_attrs_t::k);
  const Tensor y = call.output(0);
  if (y.rank != 2) fail(KEEL_STATUS_INVALID_ARGUMENT, "eye: output y is not 2-D");
  const uint64_t one = bits_of_one(y.dtype);
  const int64_t k = attrs.k;
  if (y.empty()) return;
  queue.enqueue(
      [y, one, k](Launch& launch) {
        launch.check(gpu::launch_eye(y.element_size, one, y.shape[1], k, map_args(y, {}), launch.stream()),
                     "eye kernel");
      },
      "eye");
}

// y[i] = x.shape[i]: written from the host, in queue order.
void compute_shape(const KernelCall& call, Queue& queue) {
  const Tensor& x = call.input(0);
  const Tensor y = call.output(0);
  if (y.rank != 1 || y.shape[0] != static_cast<int64_t>(x.rank) || y.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "shape: output y is not an i64 vector of x's rank");
  }
  if (y.empty()) return;
  auto dims = std::make_shared<std::vector<int64_t>>(x.shape, x.shape + x.rank);
  queue.enqueue(
      [y, dims](Launch& launch) {
        launch.after([dims] {});  // the host values must outlive the copy
        const Tensor dense{KEEL_DTYPE_I64, 1, {y.shape[0]}, {1}, 8};
        const Tensor source = dense_scratch(launch, dense);
        launch.copy_from_host(source.base, dims->data(), dims->size() * sizeof(int64_t));
        copy_tensor(launch, source, y);
      },
      "shape");
}

void compute_full(const KernelCall& call, Queue& queue) {
  constexpr keel_full_attrs_t kDefaults = KEEL_FULL_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_full_attrs_t::value);
  const Tensor y = call.output(0);
  const uint64_t pattern = bits_of_value(y.dtype, attrs.value);
  if (y.empty()) return;
  queue.enqueue(
      [y, pattern](Launch& launch) {
        launch.check(gpu::launch_fill(y.element_size, pattern, map_args(y, {}), launch.stream()), "fill kernel");
      },
      "full");
}

void compute_arange(const KernelCall& call, Queue& queue) {
  constexpr keel_arange_attrs_t kDefaults = KEEL_ARANGE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_arange_attrs_t::start, &keel_arange_attrs_t::delta);
  const Tensor y = call.output(0);
  if (y.rank != 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "arange: output y is not 1-D");
  if (y.empty()) return;
  const double start = attrs.start;
  const double delta = attrs.delta;
  queue.enqueue(
      [y, start, delta](Launch& launch) {
        // One dimension, so the map's index is the element's position.
        gpu::MapArgs args;
        args.rank = 1;
        args.count = y.shape[0];
        args.dims[0] = y.shape[0];
        args.out.base = y.base;
        args.out.strides[0] = y.strides[0] * static_cast<int64_t>(y.element_size);
        launch.check(gpu::launch_arange(y.dtype, start, delta, args, launch.stream()), "arange kernel");
      },
      "arange");
}

}  // namespace keel::cuda
