// Gradient helpers that apply the adjoint of a data-movement or contraction operator, written with
// differentiable keel::ops calls. Linear maps acting along one axis (resize, reflect/edge pad) get their
// adjoint by applying the operator itself to an identity matrix and contracting with its transpose.
#include <algorithm>
#include <numeric>
#include <string>

#include "autograd/evaluator.h"
#include "autograd/helpers.h"
#include "keel/ops.hpp"
#include "tensor/make.h"

namespace keel::detail {
namespace {

Shape shape_of(const Tensor& t) { return Shape(t.shape().begin(), t.shape().end()); }

Tensor swap_last_two(const Tensor& t) {
  std::vector<int64_t> perm(static_cast<size_t>(t.rank()));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  return ops::permute(t, {.perm = perm});
}

// r with axis `axis` (length m.shape[0]) contracted with m: result[..., j, ...] = Σ_i r[..., i, ...] m[i, j].
Tensor contract_axis(const Tensor& r, int64_t axis, const Tensor& m) {
  const int64_t rank = r.rank();
  std::vector<int64_t> perm, inverse(static_cast<size_t>(rank));
  for (int64_t i = 0; i < rank; ++i) {
    if (i != axis) perm.push_back(i);
  }
  perm.push_back(axis);
  for (int64_t i = 0; i < rank; ++i) inverse[static_cast<size_t>(perm[i])] = i;
  Tensor moved = ops::matmul(ops::permute(r, {.perm = perm}), m);
  return ops::permute(moved, {.perm = inverse});
}

Tensor identity(const Tensor& like, int64_t n) {
  return ops::eye({.rows = n, .cols = n, .dtype = like.dtype()}, like.device());
}

// Per-axis start, step and count of the spec's slice rule.
void slice_axis(int64_t d, int64_t start, int64_t end, int64_t step, int64_t* first, int64_t* count) {
  if (start < 0) start += d;
  if (end < 0) end += d;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, d);
    end = std::clamp<int64_t>(end, 0, d);
    *count = end > start ? (end - start + step - 1) / step : 0;
  } else {
    start = std::clamp<int64_t>(start, -1, d - 1);
    end = std::clamp<int64_t>(end, -1, d - 1);
    *count = start > end ? (start - end - step - 1) / -step : 0;
  }
  *first = start;
}

// Pads of `rank` axes (begins, then ends) with (begin, end) on `axis` only.
std::vector<int64_t> pads_on(int64_t rank, int64_t axis, int64_t begin, int64_t end) {
  std::vector<int64_t> pads(static_cast<size_t>(2 * rank), 0);
  pads[static_cast<size_t>(axis)] = begin;
  pads[static_cast<size_t>(rank + axis)] = end;
  return pads;
}

// The adjoint of taking `count` elements from `first` with `step` along `axis` of a length-d axis: r placed
// at those positions of zeros.
Tensor embed_axis(Tensor r, int64_t axis, int64_t d, int64_t first, int64_t step, int64_t count) {
  if (count == 0) {
    Shape shape = shape_of(r);
    shape[static_cast<size_t>(axis)] = d;
    return full_on(device_of(r), r.dtype(), shape, 0.0);
  }
  if (step < 0) {
    r = ops::flip(r, {.axes = {axis}});
    first += (count - 1) * step;
    step = -step;
  }
  if (step > 1) {
    // Interleave step - 1 zeros after every element, then drop the trailing ones.
    Tensor spread = ops::unsqueeze(r, {.axes = {axis + 1}});
    spread = ops::pad(spread, {.pads = pads_on(spread.rank(), axis + 1, 0, step - 1)});
    Shape merged = shape_of(r);
    merged[static_cast<size_t>(axis)] = count * step;
    spread = ops::reshape(spread, {.shape = merged});
    r = ops::slice(spread, {.starts = {0}, .ends = {(count - 1) * step + 1}, .axes = {axis}});
  }
  const int64_t length = (count - 1) * step + 1;
  return ops::pad(r, {.pads = pads_on(r.rank(), axis, first, d - first - length)});
}

}  // namespace

Value h_matmul_grad_a(Evaluator& ev, const Expr& call) {
  Tensor g = ev.eval_tensor(call.args[0]);
  const Tensor a = ev.eval_tensor(call.args[1]);
  const Tensor b = ev.eval_tensor(call.args[2]);
  const Tensor b2 = b.rank() == 1 ? ops::unsqueeze(b, {.axes = {-1}}) : b;
  if (b.rank() == 1) g = ops::unsqueeze(g, {.axes = {-1}});
  if (a.rank() == 1) g = ops::unsqueeze(g, {.axes = {-2}});
  Shape a2 = shape_of(a);
  if (a.rank() == 1) a2.insert(a2.begin(), 1);
  Tensor ga = sum_to(ops::matmul(g, swap_last_two(b2)), a2);
  return Value::of(ops::reshape(ga, {.shape = shape_of(a)}));
}

Value h_matmul_grad_b(Evaluator& ev, const Expr& call) {
  Tensor g = ev.eval_tensor(call.args[0]);
  const Tensor a = ev.eval_tensor(call.args[1]);
  const Tensor b = ev.eval_tensor(call.args[2]);
  const Tensor a2 = a.rank() == 1 ? ops::unsqueeze(a, {.axes = {0}}) : a;
  if (b.rank() == 1) g = ops::unsqueeze(g, {.axes = {-1}});
  if (a.rank() == 1) g = ops::unsqueeze(g, {.axes = {-2}});
  Shape b2 = shape_of(b);
  if (b.rank() == 1) b2.push_back(1);
  Tensor gb = sum_to(ops::matmul(swap_last_two(a2), g), b2);
  return Value::of(ops::reshape(gb, {.shape = shape_of(b)}));
}

Value h_slice_grad(Evaluator& ev, const Expr& call) {
  Tensor r = ev.eval_tensor(call.args[0]);
  const Tensor x = ev.eval_tensor(call.args[1]);
  const std::vector<int64_t> starts = ev.attr_ints("starts");
  const std::vector<int64_t> ends = ev.attr_ints("ends");
  const std::vector<int64_t> axes = ev.attr_ints("axes");
  const std::vector<int64_t> steps = ev.attr_ints("steps");
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t axis = normalize_axis(axes.empty() ? static_cast<int64_t>(i) : axes[i], x.rank(), "slice_grad");
    const int64_t step = steps.empty() ? 1 : steps[i];
    const int64_t d = x.shape()[static_cast<size_t>(axis)];
    int64_t first = 0, count = 0;
    slice_axis(d, starts[i], ends[i], step, &first, &count);
    r = embed_axis(r, axis, d, first, step, count);
  }
  return Value::of(std::move(r));
}

// Per element, the product of the other elements of its reduction group, without division: each group is
// laid out as a row, copied into an n×n matrix with ones on the diagonal, and each row multiplied out.
Value h_prod_others(Evaluator& ev, const Expr& call) {
  const Tensor x = ev.eval_tensor(call.args[0]);
  const int64_t rank = x.rank();
  std::vector<int64_t> axes = ev.attr_ints("axes");
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  for (int64_t& a : axes) a = normalize_axis(a, rank, "prod_others");
  std::vector<int64_t> perm;
  Shape kept_shape, moved_shape;
  int64_t kept = 1, n = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) {
      perm.push_back(i);
      kept *= x.shape()[i];
      moved_shape.push_back(x.shape()[i]);
    }
  }
  for (int64_t a : axes) {
    perm.push_back(a);
    n *= x.shape()[static_cast<size_t>(a)];
    moved_shape.push_back(x.shape()[static_cast<size_t>(a)]);
  }
  (void)kept_shape;
  std::vector<int64_t> inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inverse[static_cast<size_t>(perm[i])] = static_cast<int64_t>(i);
  Tensor rows = ops::reshape(ops::permute(x, {.perm = perm}), {.shape = {kept, 1, n}});
  rows = ops::expand(rows, {.shape = {kept, n, n}});
  const Tensor diagonal = ops::eye({.rows = n, .cols = n, .dtype = Dtype::boolean}, x.device());
  const Tensor one = full_on(device_of(x), x.dtype(), {}, 1.0);
  Tensor products = ops::reduce_prod(ops::where(diagonal, one, rows), {.axes = {-1}});
  products = ops::reshape(products, {.shape = moved_shape});
  return Value::of(ops::permute(products, {.perm = inverse}));
}

Value h_conv_grad_output_padding(Evaluator& ev, const Expr& call) {
  const Tensor x = ev.eval_tensor(call.args[0]);
  const Tensor w = ev.eval_tensor(call.args[1]);
  const Tensor g = ev.eval_tensor(call.args[2]);
  const int64_t spatial = x.rank() - 2;
  const std::vector<int64_t> strides = ev.attr_ints("strides");
  const std::vector<int64_t> pads = ev.attr_ints("pads");
  const std::vector<int64_t> dilations = ev.attr_ints("dilations");
  std::vector<int64_t> padding;
  for (int64_t i = 0; i < spatial; ++i) {
    const size_t k = static_cast<size_t>(i);
    const int64_t s = strides.empty() ? 1 : strides[k];
    const int64_t d = dilations.empty() ? 1 : dilations[k];
    const int64_t pb = pads.empty() ? 0 : pads[k];
    const int64_t pe = pads.empty() ? 0 : pads[k + static_cast<size_t>(spatial)];
    const int64_t produced = (g.shape()[k + 2] - 1) * s - pb - pe + d * (w.shape()[k + 2] - 1) + 1;
    padding.push_back(x.shape()[k + 2] - produced);
  }
  return Value::of(AttrValue::of_ints(std::move(padding)));
}

Value h_resize_grad(Evaluator& ev, const Expr& call) {
  Tensor r = ev.eval_tensor(call.args[0]);
  const Tensor x = ev.eval_tensor(call.args[1]);
  const std::vector<double> scales = ev.attr_floats("scales");
  const std::vector<int64_t> sizes = ev.attr_ints("sizes");
  ops::ResizeOptions options{.mode = static_cast<ops::ResizeOptions::Mode>(ev.attr_int("mode")),
                             .coordinate_transform = static_cast<ops::ResizeOptions::CoordinateTransform>(
                                 ev.attr_int("coordinate_transform")),
                             .nearest_mode = static_cast<ops::ResizeOptions::NearestMode>(ev.attr_int("nearest_mode"))};
  for (int64_t a = 0; a < x.rank(); ++a) {
    const size_t k = static_cast<size_t>(a);
    const int64_t d = x.shape()[k];
    const bool unit = scales.empty() ? sizes[k] == d : scales[k] == 1.0;
    if (unit || d == 0) continue;
    // The map along this axis is y = R·x with R of shape [out, d]; resize(I) along the axis gives Rᵀ.
    ops::ResizeOptions axis_options = options;
    if (scales.empty()) {
      axis_options.sizes = {d, sizes[k]};
    } else {
      axis_options.scales = {1.0, scales[k]};
    }
    const Tensor rt = ops::resize(identity(x, d), axis_options);
    r = contract_axis(r, a, swap_last_two(rt));
  }
  return Value::of(std::move(r));
}

Value h_pad_grad(Evaluator& ev, const Expr& call) {
  Tensor r = ev.eval_tensor(call.args[0]);
  const Tensor x = ev.eval_tensor(call.args[1]);
  const std::vector<int64_t> pads = ev.attr_ints("pads");
  const int64_t mode = ev.attr_int("mode");
  const int64_t rank = x.rank();
  if (mode == static_cast<int64_t>(ops::PadOptions::Mode::constant)) {
    std::vector<int64_t> starts, ends, axes;
    for (int64_t a = 0; a < rank; ++a) {
      starts.push_back(pads[static_cast<size_t>(a)]);
      ends.push_back(pads[static_cast<size_t>(a)] + x.shape()[static_cast<size_t>(a)]);
      axes.push_back(a);
    }
    return Value::of(rank == 0 ? r : ops::slice(r, {.starts = starts, .ends = ends, .axes = axes}));
  }
  // reflect and edge: per padded axis, pad(I) along it gives Pᵀ of the map x ↦ P·x.
  for (int64_t a = 0; a < rank; ++a) {
    const int64_t begin = pads[static_cast<size_t>(a)];
    const int64_t end = pads[static_cast<size_t>(rank + a)];
    if (begin == 0 && end == 0) continue;
    const int64_t d = x.shape()[static_cast<size_t>(a)];
    const Tensor pt = ops::pad(identity(x, d), {.pads = {0, begin, 0, end}, .mode = static_cast<ops::PadOptions::Mode>(mode)});
    r = contract_axis(r, a, swap_last_two(pt));
  }
  return Value::of(std::move(r));
}

Value h_tile_grad(Evaluator& ev, const Expr& call) {
  Tensor r = ev.eval_tensor(call.args[0]);
  const Tensor x = ev.eval_tensor(call.args[1]);
  const std::vector<int64_t> repeats = ev.attr_ints("repeats");
  for (int64_t a = 0; a < x.rank(); ++a) {
    const size_t k = static_cast<size_t>(a);
    if (repeats[k] == 1) continue;
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < a; ++i) outer *= r.shape()[i];
    for (int64_t i = a + 1; i < r.rank(); ++i) inner *= r.shape()[i];
    Tensor blocks = ops::reshape(r, {.shape = {outer, repeats[k], x.shape()[k], inner}});
    Shape shape = shape_of(r);
    shape[k] = x.shape()[k];
    r = ops::reshape(ops::reduce_sum(blocks, {.axes = {1}}), {.shape = shape});
  }
  return Value::of(std::move(r));
}

Value h_gather_grad(Evaluator& ev, const Expr& call) {
  const Tensor g = ev.eval_tensor(call.args[0]);
  const Tensor x = ev.eval_tensor(call.args[1]);
  const Tensor indices = ev.eval_tensor(call.args[2]);
  const int64_t axis = normalize_axis(ev.attr_int("axis"), x.rank(), "gather_grad");
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (int64_t i = axis + 1; i < x.rank(); ++i) inner *= x.shape()[i];
  const int64_t m = indices.numel();
  const Tensor updates = ops::reshape(g, {.shape = {outer, m, inner}});
  const Tensor where = ops::expand(ops::reshape(indices, {.shape = {1, m, 1}}), {.shape = {outer, m, inner}});
  const Tensor zeros = full_on(device_of(x), x.dtype(), Shape{outer, x.shape()[static_cast<size_t>(axis)], inner}, 0.0);
  const Tensor summed = ops::scatter_elements(zeros, where, updates,
                                              {.axis = 1, .reduction = ops::ScatterElementsOptions::Reduction::add});
  return Value::of(ops::reshape(summed, {.shape = shape_of(x)}));
}

}  // namespace keel::detail
