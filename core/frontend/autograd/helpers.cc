// The gradient helpers of spec.yaml that are plain shape bookkeeping or evaluated from attributes, and the
// name → implementation registry. The adjoints of data-movement operators are in helpers_adjoint.cc. Every
// helper that produces a tensor does so with differentiable keel::ops calls, so higher order works.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>

#include "autograd/evaluator.h"
#include "autograd/helpers.h"
#include "dispatch/attrs.h"
#include "keel/ops.hpp"
#include "tensor/make.h"

namespace keel::detail {
namespace {

Tensor arg_tensor(Evaluator& ev, const Expr& call, uint32_t i) { return ev.eval_tensor(call.args[i]); }
AttrValue arg_attr(Evaluator& ev, const Expr& call, uint32_t i) { return ev.eval(call.args[i]).attr; }

// The axis argument of the axes_* and count_* helpers, normalized against x's rank.
int64_t axis_arg(Evaluator& ev, const Expr& call, const Tensor& x) {
  return normalize_axis(arg_attr(ev, call, 1).as_int(), x.rank(), "gradient helper");
}

Value ints(std::vector<int64_t> v) { return Value::of(AttrValue::of_ints(std::move(v))); }

// ---- Evaluated from attributes, before any tensor ---------------------------------------------------------

Value h_if(Evaluator& ev, const Expr& call) {
  return ev.eval(call.args[arg_attr(ev, call, 0).as_bool() ? 1 : 2]);
}

Value h_present(Evaluator& ev, const Expr& call) {
  return Value::of(AttrValue::of_bool(ev.input_present(call.args[0].index)));
}

Value h_is(Evaluator& ev, const Expr& call) {
  const int64_t value = attr_int(ev.op(), ev.attrs(), static_cast<size_t>(call.args[0].index));
  return Value::of(AttrValue::of_bool(value == call.args[1].index));
}

Value h_item(Evaluator& ev, const Expr& call) {
  std::vector<Tensor> list = ev.eval_list(call.args[0]);
  const int64_t i = arg_attr(ev, call, 1).as_int();
  if (i < 0 || static_cast<size_t>(i) >= list.size()) {
    fail(KEEL_STATUS_INTERNAL, std::string(ev.op().name) + ": item() index " + std::to_string(i) + " out of range");
  }
  return Value::of(std::move(list[static_cast<size_t>(i)]));
}

Value h_inverse_permutation(Evaluator& ev, const Expr& call) {
  const std::vector<int64_t> perm = arg_attr(ev, call, 0).as_ints();
  const int64_t rank = static_cast<int64_t>(perm.size());
  std::vector<int64_t> inverse(perm.size());
  for (int64_t i = 0; i < rank; ++i) inverse[static_cast<size_t>(perm[i] < 0 ? perm[i] + rank : perm[i])] = i;
  return ints(std::move(inverse));
}

// ---- Constants and casts ------------------------------------------------------------------------------------

Value h_zeros_like(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  return Value::of(full_on(device_of(x), x.dtype(), x.shape(), 0.0));
}

Value h_scalar(Evaluator& ev, const Expr& call) {
  const double v = arg_attr(ev, call, 0).as_double();
  const Tensor x = arg_tensor(ev, call, 1);
  return Value::of(full_on(device_of(x), x.dtype(), {}, v));
}

Value h_one_minus(Evaluator& ev, const Expr& call) {
  const double v = arg_attr(ev, call, 0).as_double();
  const Tensor x = arg_tensor(ev, call, 1);
  return Value::of(full_on(device_of(x), x.dtype(), {}, 1.0 - v));
}

Value h_one_minus_pow(Evaluator& ev, const Expr& call) {
  const double base = arg_attr(ev, call, 0).as_double();
  const double power = arg_attr(ev, call, 1).as_double();
  const Tensor x = arg_tensor(ev, call, 2);
  return Value::of(full_on(device_of(x), x.dtype(), {}, 1.0 - std::pow(base, power)));
}

Value h_cast_like(Evaluator& ev, const Expr& call) {
  Tensor g = arg_tensor(ev, call, 0);
  const Tensor x = arg_tensor(ev, call, 1);
  return Value::of(g.dtype() == x.dtype() ? g : ops::cast(g, {.to = x.dtype()}));
}

Value h_reshape_like(Evaluator& ev, const Expr& call) {
  const Tensor g = arg_tensor(ev, call, 0);
  const Tensor x = arg_tensor(ev, call, 1);
  return Value::of(ops::reshape(g, {.shape = Shape(x.shape().begin(), x.shape().end())}));
}

Value h_per_channel(Evaluator& ev, const Expr& call) {
  const Tensor v = arg_tensor(ev, call, 0);
  const Tensor x = arg_tensor(ev, call, 1);
  Shape shape(static_cast<size_t>(x.rank()), 1);
  shape[1] = v.numel();
  return Value::of(ops::reshape(v, {.shape = shape}));
}

// ---- Reductions -----------------------------------------------------------------------------------------

// The axes this reduction combines (all when its axes attribute is empty), normalized and sorted.
std::vector<int64_t> reduced_axes(Evaluator& ev, int64_t rank) {
  std::vector<int64_t> axes = ev.attr_ints("axes");
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  for (int64_t& a : axes) a = normalize_axis(a, rank, ev.op().name);
  std::sort(axes.begin(), axes.end());
  return axes;
}

Value h_unreduce(Evaluator& ev, const Expr& call) {
  Tensor g = arg_tensor(ev, call, 0);
  const Tensor x = arg_tensor(ev, call, 1);
  Shape kept(x.shape().begin(), x.shape().end());
  for (int64_t a : reduced_axes(ev, x.rank())) kept[static_cast<size_t>(a)] = 1;
  if (ev.attr_int("keepdims") == 0) g = ops::reshape(g, {.shape = kept});
  return Value::of(ops::expand(g, {.shape = Shape(x.shape().begin(), x.shape().end())}));
}

Value h_reduction_size(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  double count = 1;
  for (int64_t a : reduced_axes(ev, x.rank())) count *= static_cast<double>(x.shape()[static_cast<size_t>(a)]);
  return Value::of(full_on(device_of(x), x.dtype(), {}, count));
}

Value h_sum_to(Evaluator& ev, const Expr& call) {
  const Tensor g = arg_tensor(ev, call, 0);
  const Tensor x = arg_tensor(ev, call, 1);
  return Value::of(sum_to(g, x.shape()));
}

// ---- Axis lists and counts ------------------------------------------------------------------------------

Value h_axes_except(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  const int64_t axis = axis_arg(ev, call, x);
  std::vector<int64_t> axes;
  for (int64_t i = 0; i < x.rank(); ++i) {
    if (i != axis) axes.push_back(i);
  }
  return ints(std::move(axes));
}

Value h_axes_from(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  std::vector<int64_t> axes;
  for (int64_t i = axis_arg(ev, call, x); i < x.rank(); ++i) axes.push_back(i);
  return ints(std::move(axes));
}

Value h_axes_before(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  std::vector<int64_t> axes;
  for (int64_t i = 0; i < axis_arg(ev, call, x); ++i) axes.push_back(i);
  return ints(std::move(axes));
}

Value h_trailing_shape(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  const int64_t axis = axis_arg(ev, call, x);
  return ints(std::vector<int64_t>(x.shape().begin() + axis, x.shape().end()));
}

Value h_count_except(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  const int64_t axis = axis_arg(ev, call, x);
  double count = 1;
  for (int64_t i = 0; i < x.rank(); ++i) count *= i == axis ? 1.0 : static_cast<double>(x.shape()[i]);
  return Value::of(full_on(device_of(x), x.dtype(), {}, count));
}

Value h_count_from(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  double count = 1;
  for (int64_t i = axis_arg(ev, call, x); i < x.rank(); ++i) count *= static_cast<double>(x.shape()[i]);
  return Value::of(full_on(device_of(x), x.dtype(), {}, count));
}

Value h_dim_size(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  const double size = static_cast<double>(x.shape()[static_cast<size_t>(axis_arg(ev, call, x))]);
  return Value::of(full_on(device_of(x), Dtype::i64, {}, size));
}

Value h_flatten_shape(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  // flatten's axis: in [-rank, rank], a negative one counting from the back (-1 splits off the last axis).
  const int64_t raw = arg_attr(ev, call, 1).as_int();
  const int64_t axis = raw < 0 ? normalize_axis(raw, x.rank(), "flatten_shape")
                               : normalize_axis(raw, x.rank() + 1, "flatten_shape");
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < x.rank(); ++i) (i < axis ? outer : inner) *= x.shape()[i];
  return ints({outer, inner});
}

Value h_group_shape(Evaluator& ev, const Expr& call) {
  const Tensor x = arg_tensor(ev, call, 0);
  const int64_t groups = arg_attr(ev, call, 1).as_int();
  const int64_t n = x.shape()[0];
  return ints({n, groups, n * groups == 0 ? 0 : x.numel() / (n * groups)});
}

Value h_concat_grad(Evaluator& ev, const Expr& call) {
  const Tensor g = arg_tensor(ev, call, 0);
  const int64_t axis = normalize_axis(ev.attr_int("axis"), g.rank(), "concat_grad");
  std::vector<int64_t> sizes;
  for (const OutputInfo& info : ev.input_info()) sizes.push_back(info.shape()[static_cast<size_t>(axis)]);
  return Value::of(ops::split(g, {.axis = axis, .sizes = sizes}));
}

struct Registration {
  const char* name;
  HelperFn fn;
};

const Registration kHelpers[] = {
    {"if", h_if},
    {"present", h_present},
    {"is", h_is},
    {"item", h_item},
    {"inverse_permutation", h_inverse_permutation},
    {"zeros_like", h_zeros_like},
    {"scalar", h_scalar},
    {"one_minus", h_one_minus},
    {"one_minus_pow", h_one_minus_pow},
    {"cast_like", h_cast_like},
    {"reshape_like", h_reshape_like},
    {"per_channel", h_per_channel},
    {"unreduce", h_unreduce},
    {"reduction_size", h_reduction_size},
    {"sum_to", h_sum_to},
    {"axes_except", h_axes_except},
    {"axes_from", h_axes_from},
    {"axes_before", h_axes_before},
    {"trailing_shape", h_trailing_shape},
    {"count_except", h_count_except},
    {"count_from", h_count_from},
    {"dim_size", h_dim_size},
    {"flatten_shape", h_flatten_shape},
    {"group_shape", h_group_shape},
    {"concat_grad", h_concat_grad},
    {"matmul_grad_a", h_matmul_grad_a},
    {"matmul_grad_b", h_matmul_grad_b},
    {"slice_grad", h_slice_grad},
    {"prod_others", h_prod_others},
    {"conv_grad_output_padding", h_conv_grad_output_padding},
    {"resize_grad", h_resize_grad},
    {"pad_grad", h_pad_grad},
    {"tile_grad", h_tile_grad},
    {"gather_grad", h_gather_grad},
};

}  // namespace

Tensor sum_to(const Tensor& g, std::span<const int64_t> shape) {
  if (std::equal(g.shape().begin(), g.shape().end(), shape.begin(), shape.end())) return g;
  const int64_t lead = g.rank() - static_cast<int64_t>(shape.size());
  std::vector<int64_t> axes;
  for (int64_t i = 0; i < g.rank(); ++i) {
    if (i < lead || (shape[static_cast<size_t>(i - lead)] == 1 && g.shape()[i] != 1)) axes.push_back(i);
  }
  Tensor r = axes.empty() ? g : ops::reduce_sum(g, {.axes = axes, .keepdims = true});
  return ops::reshape(r, {.shape = Shape(shape.begin(), shape.end())});
}

HelperFn find_helper(const char* name) {
  for (const Registration& r : kHelpers) {
    if (std::string_view(r.name) == name) return r.fn;
  }
  return nullptr;
}

HelperFn helper_at(int32_t index) {
  static const std::vector<HelperFn> table = [] {
    std::vector<HelperFn> fns;
    for (const char* name : helper_names()) fns.push_back(find_helper(name));
    return fns;
  }();
  HelperFn fn = table[static_cast<size_t>(index)];
  if (fn == nullptr) {
    fail(KEEL_STATUS_UNIMPLEMENTED,
         std::string("gradient helper '") + helper_names()[index] + "' of the spec is not implemented by the front end");
  }
  return fn;
}

}  // namespace keel::detail
