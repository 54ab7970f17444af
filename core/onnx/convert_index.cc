// Converters for indexing (gather/scatter, one-hot), selection (TopK, ArgMax/ArgMin), scans and reductions.
#include "onnx/converters.h"

namespace keel::onnx_import {
namespace {

using graph::AttrValue;
using graph::HostTensor;
using graph::ValueId;

void gather_like(ImportContext& ctx, const char* op) {
  ctx.only_attrs({"axis"});
  ctx.emit_out(op, {ctx.input(0), ctx.input(1)}, {{"axis", AttrValue::of_int(ctx.attr_int("axis", 0))}});
}

void gather(ImportContext& ctx) { gather_like(ctx, "gather"); }
void gather_elements(ImportContext& ctx) { gather_like(ctx, "gather_elements"); }

void gather_nd(ImportContext& ctx) {
  ctx.only_attrs({"batch_dims"});
  ctx.emit_out("gather_nd", {ctx.input(0), ctx.input(1)},
               {{"batch_dims", AttrValue::of_int(ctx.attr_int("batch_dims", 0))}});
}

AttrValue reduction(ImportContext& ctx) {
  const std::string r = ctx.attr_string("reduction", "none");
  if (r != "none" && r != "add" && r != "max" && r != "min") ctx.unsupported("reduction '" + r + "' is not supported");
  return AttrValue::of_enum(r);
}

void scatter_elements(ImportContext& ctx) {
  ctx.only_attrs({"axis", "reduction"});
  ctx.emit_out("scatter_elements", {ctx.input(0), ctx.input(1), ctx.input(2)},
               {{"axis", AttrValue::of_int(ctx.attr_int("axis", 0))}, {"reduction", reduction(ctx)}});
}

void scatter_nd(ImportContext& ctx) {
  ctx.only_attrs({"reduction"});
  ctx.emit_out("scatter_nd", {ctx.input(0), ctx.input(1), ctx.input(2)}, {{"reduction", reduction(ctx)}});
}

void topk(ImportContext& ctx) {
  ctx.only_attrs({"axis", "largest", "sorted", "k"});
  graph::AttrMap attrs = {{"axis", AttrValue::of_int(ctx.attr_int("axis", -1))},
                          {"largest", AttrValue::of_bool(ctx.attr_int("largest", 1) != 0)},
                          {"sorted", AttrValue::of_bool(ctx.attr_int("sorted", 1) != 0)}};
  attrs["k"] = ctx.version() >= 10 ? AttrValue::of_ref(ctx.input(1), 0) : AttrValue::of_int(ctx.attr_int("k", 0));
  ctx.emit("topk", {ctx.input(0)}, std::move(attrs), {ctx.output(0), ctx.output(1)});
}

void cumsum(ImportContext& ctx) {
  ctx.only_attrs({"exclusive", "reverse"});
  ctx.emit_out("cumsum", {ctx.input(0)},
               {{"axis", AttrValue::of_ref(ctx.input(1), 0)},
                {"exclusive", AttrValue::of_bool(ctx.attr_int("exclusive", 0) != 0)},
                {"reverse", AttrValue::of_bool(ctx.attr_int("reverse", 0) != 0)}});
}

// OneHot(indices, depth, values = [off, on]).
void one_hot(ImportContext& ctx) {
  ctx.only_attrs({"axis"});
  const keel_dtype_t dtype = ctx.input_dtype(2);
  if (dtype == KEEL_DTYPE_INVALID) ctx.unsupported("the dtype of values is unknown at import");
  const ValueId values = ctx.input(2);
  ctx.emit_out("one_hot", {ctx.input(0)},
               {{"depth", AttrValue::of_ref(ctx.input(1), 0)},
                {"axis", AttrValue::of_int(ctx.attr_int("axis", -1))},
                {"off_value", AttrValue::of_ref(values, 0)},
                {"on_value", AttrValue::of_ref(values, 1)},
                {"dtype", AttrValue::of_dtype(dtype)}});
}

// select_last_index: the first extremum of x flipped along the axis is the last one of x, at d - 1 - i.
void arg_reduce(ImportContext& ctx, const char* op) {
  ctx.only_attrs({"axis", "keepdims", "select_last_index"});
  const int64_t axis = ctx.attr_int("axis", 0);
  graph::AttrMap attrs = {{"axis", AttrValue::of_int(axis)},
                          {"keepdims", AttrValue::of_bool(ctx.attr_int("keepdims", 1) != 0)}};
  if (ctx.attr_int("select_last_index", 0) == 0) return ctx.emit_out(op, {ctx.input(0)}, std::move(attrs));
  const ValueId flipped = ctx.emit1("flip", {ctx.input(0)}, {{"axes", AttrValue::of_ints({axis})}});
  const ValueId index = ctx.emit1(op, {flipped}, std::move(attrs));
  const ValueId shape = ctx.emit1("shape", {ctx.input(0)});
  const ValueId length =
      ctx.emit1("gather", {shape, ctx.constant(HostTensor::scalar(KEEL_DTYPE_I64, static_cast<double>(axis)), "axis")});
  const ValueId last = ctx.emit1("sub", {length, ctx.constant(HostTensor::scalar(KEEL_DTYPE_I64, 1), "one")});
  ctx.emit_out("sub", {last, index});
}

void argmax(ImportContext& ctx) { arg_reduce(ctx, "argmax"); }
void argmin(ImportContext& ctx) { arg_reduce(ctx, "argmin"); }

// The ReduceX family. `pre` runs elementwise before the reduction and `post` after it (ReduceL2 =
// sqrt(reduce_sum(x * x)), ...). Axes come from an attribute, or from input 1 for ReduceSum since 13 (and
// every reduction since 18).
struct ReduceSpec {
  const char* op;
  const char* pre;   // "" none, "square", "abs", "exp"
  const char* post;  // "" none, "sqrt", "log"
};

void reduce(ImportContext& ctx, const ReduceSpec& spec, bool axes_input) {
  ctx.only_attrs({"axes", "keepdims", "noop_with_empty_axes"});
  const ValueId x = ctx.input(0);
  graph::AttrMap attrs = {{"keepdims", AttrValue::of_bool(ctx.attr_int("keepdims", 1) != 0)}};
  bool empty_axes = true;
  const bool noop = ctx.attr_int("noop_with_empty_axes", 0) != 0;
  if (axes_input && ctx.has_input(1)) {
    const HostTensor* axes = ctx.constant_input(1);
    if (axes == nullptr && noop)
      ctx.unsupported("noop_with_empty_axes needs constant axes (the spec reduces every axis for empty axes)");
    empty_axes = axes != nullptr && axes->numel() == 0;
    if (!empty_axes) attrs["axes"] = AttrValue::of_ref(ctx.input(1));
  } else if (!axes_input && ctx.has_attr("axes")) {
    attrs["axes"] = AttrValue::of_ints(ctx.attr_ints("axes"));
    empty_axes = ctx.attr_ints("axes").empty();
  }
  if (empty_axes && noop) return ctx.emit_out("copy", {x});
  ValueId in = x;
  const std::string pre = spec.pre;
  if (pre == "square") in = ctx.emit1("mul", {x, x});
  if (pre == "abs") in = ctx.emit1("abs", {x});
  if (pre == "exp") in = ctx.emit1("exp", {x});
  const std::string post = spec.post;
  if (post.empty()) return ctx.emit_out(spec.op, {in}, std::move(attrs));
  ctx.emit_out(post, {ctx.emit1(spec.op, {in}, std::move(attrs))});
}

template <const ReduceSpec& kSpec, int kInputSince>
void reduce_op(ImportContext& ctx) {
  reduce(ctx, kSpec, ctx.version() >= kInputSince);
}

constexpr ReduceSpec kSum{"reduce_sum", "", ""};
constexpr ReduceSpec kMean{"reduce_mean", "", ""};
constexpr ReduceSpec kMax{"reduce_max", "", ""};
constexpr ReduceSpec kMin{"reduce_min", "", ""};
constexpr ReduceSpec kProd{"reduce_prod", "", ""};
constexpr ReduceSpec kSumSquare{"reduce_sum", "square", ""};
constexpr ReduceSpec kL1{"reduce_sum", "abs", ""};
constexpr ReduceSpec kL2{"reduce_sum", "square", "sqrt"};
constexpr ReduceSpec kLogSum{"reduce_sum", "", "log"};
constexpr ReduceSpec kLogSumExp{"reduce_sum", "exp", "log"};

constexpr Converter kConverters[] = {
    {"Gather", 1, gather},
    {"GatherElements", 11, gather_elements},
    {"GatherND", 11, gather_nd},
    {"ScatterElements", 11, scatter_elements},
    {"Scatter", 9, scatter_elements},
    {"ScatterND", 11, scatter_nd},
    {"TopK", 1, topk},
    {"CumSum", 11, cumsum},
    {"OneHot", 9, one_hot},
    {"ArgMax", 1, argmax},
    {"ArgMin", 1, argmin},
    {"ReduceSum", 1, reduce_op<kSum, 13>},
    {"ReduceMean", 1, reduce_op<kMean, 18>},
    {"ReduceMax", 1, reduce_op<kMax, 18>},
    {"ReduceMin", 1, reduce_op<kMin, 18>},
    {"ReduceProd", 1, reduce_op<kProd, 18>},
    {"ReduceSumSquare", 1, reduce_op<kSumSquare, 18>},
    {"ReduceL1", 1, reduce_op<kL1, 18>},
    {"ReduceL2", 1, reduce_op<kL2, 18>},
    {"ReduceLogSum", 1, reduce_op<kLogSum, 18>},
    {"ReduceLogSumExp", 1, reduce_op<kLogSumExp, 18>},
};

}  // namespace

std::span<const Converter> index_converters() { return kConverters; }

}  // namespace keel::onnx_import
