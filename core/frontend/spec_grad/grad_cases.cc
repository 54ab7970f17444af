#include "grad_cases.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string_view>

#include "autograd/formula_node.h"
#include "dispatch/op_table.h"
#include "keel/autograd.hpp"
#include "spec/op_schema.h"
#include "spec/samples.h"

namespace keel::spec_grad {
namespace {

bool is_float(keel_dtype_t d) {
  return d == KEEL_DTYPE_F16 || d == KEEL_DTYPE_BF16 || d == KEEL_DTYPE_F32 || d == KEEL_DTYPE_F64;
}

const detail::OpEntry& entry_of(const std::string& op) { return detail::op_table()[detail::find_op_index(op)]; }

// Draws floating-point values from a domain: finite, at least 0.1 from zero, with a fractional part in
// [0.1, 0.9] (away from the steps of floor, round and the kinks of relu and abs), and spaced apart from every
// value drawn before for the same call (no ties for max, min, sort or comparisons).
class FloatPool {
 public:
  FloatPool(std::mt19937_64& rng, double spacing) : rng_(rng), spacing_(spacing) {}

  double draw(const spec::ValueRange& range) {
    double lo = std::isfinite(range.lo) ? range.lo : -2.5;
    double hi = std::isfinite(range.hi) ? range.hi : 2.5;
    if (range.lo >= 0 && !std::isfinite(range.hi)) hi = 2.9;  // positive and non-negative
    std::uniform_real_distribution<double> uniform(lo, hi);
    double best = uniform(rng_);
    for (int attempt = 0; attempt < 400; ++attempt) {
      const double v = uniform(rng_);
      const double frac = std::fabs(v) - std::floor(std::fabs(v));
      const bool smooth = std::fabs(v) >= 0.1 && frac >= 0.1 && frac <= 0.9;
      const bool inside = !(range.lo_open && v <= range.lo) && !(range.hi_open && v >= range.hi);
      const bool apart = std::none_of(drawn_.begin(), drawn_.end(), [&](double d) { return std::fabs(d - v) < spacing_; });
      if (inside && (hi - lo < 0.5 || smooth) && apart) {
        best = v;
        break;
      }
    }
    drawn_.push_back(best);
    return best;
  }

 private:
  std::mt19937_64& rng_;
  double spacing_;
  std::vector<double> drawn_;
};

int64_t draw_int(const spec::ValueRange& range, std::mt19937_64& rng) {
  int64_t lo = std::isfinite(range.lo) ? static_cast<int64_t>(std::ceil(range.lo)) : -3;
  int64_t hi = std::isfinite(range.hi) ? static_cast<int64_t>(std::floor(range.hi)) : 3;
  if (range.lo_open && lo == range.lo) ++lo;
  if (range.hi_open && hi == range.hi) --hi;
  if (hi < lo) return lo;
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

std::vector<int64_t> shape_of(const spec::TensorMeta& m) { return {m.dims, m.dims + m.rank}; }

// scatter_* with reduction none: the last of repeated targets wins, so an overwritten update has no effect
// (its derivative is 0, which the spec's formula does not model). Draw distinct targets.
void distinct_scatter_targets(const std::string& op, const detail::Attrs& attrs, std::vector<spec::TensorMeta>& metas,
                              std::vector<std::vector<double>>& values, std::mt19937_64& rng) {
  const detail::OpEntry& e = entry_of(op);
  const int32_t reduction = detail::attr_index(e, "reduction");
  if (reduction < 0 || detail::attr_int(e, attrs.get(), static_cast<size_t>(reduction)) != 0) return;
  const spec::TensorMeta& data = metas[0];
  const spec::TensorMeta& idx = metas[1];
  std::vector<double>& out = values[1];
  if (op == "scatter_elements") {
    const int64_t rank = idx.rank;
    int64_t axis = detail::attr_int(e, attrs.get(), static_cast<size_t>(detail::attr_index(e, "axis")));
    if (axis < 0) axis += rank;
    const int64_t length = idx.dims[axis], d = data.dims[axis];
    if (length > d || out.empty()) return;
    int64_t inner = 1;
    for (int64_t i = axis + 1; i < rank; ++i) inner *= idx.dims[i];
    const int64_t lines = static_cast<int64_t>(out.size()) / length;
    for (int64_t line = 0; line < lines; ++line) {
      std::vector<int64_t> targets(static_cast<size_t>(d));
      for (int64_t i = 0; i < d; ++i) targets[static_cast<size_t>(i)] = i;
      std::shuffle(targets.begin(), targets.end(), rng);
      const int64_t outer = line / inner, in = line % inner;
      for (int64_t k = 0; k < length; ++k) out[static_cast<size_t>((outer * length + k) * inner + in)] = double(targets[k]);
    }
  } else if (op == "scatter_nd") {
    const int64_t batch_dims = detail::attr_int(e, attrs.get(), static_cast<size_t>(detail::attr_index(e, "batch_dims")));
    const int64_t k = idx.dims[idx.rank - 1];
    int64_t groups = 1, space = 1;
    for (int64_t i = 0; i < batch_dims; ++i) groups *= idx.dims[i];
    for (int64_t i = 0; i < k; ++i) space *= data.dims[batch_dims + i];
    const int64_t tuples = k == 0 || groups == 0 ? 0 : static_cast<int64_t>(out.size()) / k / groups;
    if (tuples > space) return;
    for (int64_t g = 0; g < groups; ++g) {
      std::vector<int64_t> flat(static_cast<size_t>(space));
      for (int64_t i = 0; i < space; ++i) flat[static_cast<size_t>(i)] = i;
      std::shuffle(flat.begin(), flat.end(), rng);
      for (int64_t t = 0; t < tuples; ++t) {
        int64_t rest = flat[static_cast<size_t>(t)];
        for (int64_t j = k; j-- > 0;) {
          const int64_t dim = data.dims[batch_dims + j];
          out[static_cast<size_t>((g * tuples + t) * k + j)] = double(rest % dim);
          rest /= dim;
        }
      }
    }
  }
}

// Values for every input, element by element from its range. With positive_any, ranges that admit special
// values (the domain `any`) are narrowed to their positive part.
std::vector<std::vector<double>> draw_values(const std::vector<spec::TensorMeta>& metas,
                                             const std::vector<std::vector<spec::ValueRange>>& ranges,
                                             std::mt19937_64& rng, bool positive_any) {
  int64_t float_count = 0;
  for (const spec::TensorMeta& m : metas) float_count += is_float(m.dtype) ? m.element_count() : 0;
  FloatPool pool(rng, std::min(0.01, 2.0 / std::max<int64_t>(float_count, 1)));
  const spec::ValueRange positive = {0, std::numeric_limits<double>::infinity(), true, true, false, false, false};
  std::vector<std::vector<double>> values(metas.size());
  for (size_t i = 0; i < metas.size(); ++i) {
    const spec::TensorMeta& m = metas[i];
    for (const spec::ValueRange& range : ranges[i]) {
      if (m.dtype == KEEL_DTYPE_BOOL) {
        values[i].push_back(double(rng() & 1));
      } else if (is_float(m.dtype)) {
        values[i].push_back(pool.draw(positive_any && range.special_values ? positive : range));
      } else {
        values[i].push_back(double(draw_int(range, rng)));
      }
    }
  }
  return values;
}

bool all_finite(const Tensor& t) {
  const std::vector<double> v = t.to_vector<double>();
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

bool outputs_finite(const std::string& op, const GradCase& c) {
  const std::vector<Tensor> ys = float_outputs(op, c, c.inputs);
  return std::all_of(ys.begin(), ys.end(), all_finite);
}

// The gradient of the outputs' sum; an error counts as finite (the checks report it).
bool gradient_finite(const std::string& op, const GradCase& c) {
  std::vector<Tensor> x;
  for (size_t i : c.wrt) x.push_back(c.inputs[i]);
  const autograd::FnN sum = [&](std::span<const Tensor> z) {
    std::vector<Tensor> inputs = c.inputs;
    for (size_t k = 0; k < c.wrt.size(); ++k) inputs[c.wrt[k]] = z[k];
    Tensor total;
    for (const Tensor& y : float_outputs(op, c, inputs)) total = total.defined() ? total + y.sum() : y.sum();
    return total;
  };
  try {
    const std::vector<Tensor> g = autograd::grad(sum, x);
    return std::all_of(g.begin(), g.end(), all_finite);
  } catch (const Error&) {
    return true;
  }
}

}  // namespace

std::vector<std::string> gradient_ops() {
  std::vector<std::string> ops;
  for (const detail::OpEntry& e : detail::op_table()) {
    if (e.differentiable) {
      ops.push_back(e.name);
      continue;
    }
    if (e.decomposition_count == 0 || e.input_count == 0) continue;
    // Differentiated through the decomposition when some sample has floating-point inputs and outputs.
    const spec::OpSchema& schema = *spec::find_op(e.name);
    bool float_outputs = false;
    for (size_t o = 0; o < schema.output_count; ++o) {
      const spec::TensorSchema& out = schema.outputs[o];
      if (out.type_var >= 0) {
        const spec::TypeVar& tv = schema.type_vars[out.type_var];
        float_outputs = float_outputs || std::any_of(tv.dtypes, tv.dtypes + tv.dtype_count, is_float);
      }
    }
    if (float_outputs) ops.push_back(e.name);
  }
  return ops;
}

std::vector<GradCase> grad_cases(const std::string& op, uint64_t seed, std::optional<Device> device) {
  const spec::OpSchema& schema = *spec::find_op(op);
  const int32_t op_index = detail::find_op_index(op);
  const detail::OpEntry& entry = entry_of(op);
  std::mt19937_64 rng(seed);
  std::vector<GradCase> cases;
  for (size_t s = 0; s < schema.sample_count; ++s) {
    const spec::SampleCall& sample = schema.samples[s];
    std::vector<std::vector<spec::TensorMeta>> lists = spec::expand_sample(schema, sample);
    if (lists.empty()) continue;
    // Prefer the expansion in f64; otherwise every floating-point input is widened to f64.
    std::vector<spec::TensorMeta> metas = lists[0];
    for (const auto& list : lists) {
      if (std::any_of(list.begin(), list.end(), [](const spec::TensorMeta& m) { return m.dtype == KEEL_DTYPE_F64; })) {
        metas = list;
        break;
      }
    }
    for (spec::TensorMeta& m : metas) {
      if (is_float(m.dtype)) m.dtype = KEEL_DTYPE_F64;
    }
    GradCase c;
    c.text = sample.text;
    c.attrs = detail::Attrs(entry, sample.attrs);
    for (uint32_t a = 0; a < entry.attr_count; ++a) {
      if (entry.attrs[a].kind == detail::AttrKind::kDtype && is_float(static_cast<keel_dtype_t>(detail::attr_int(entry, c.attrs.get(), a)))) {
        c.attrs.set_int(a, KEEL_DTYPE_F64);
      }
    }
    const void* rule_attrs = sample.attrs != nullptr ? sample.attrs : schema.default_attrs;
    const spec::CallView view(schema, rule_attrs, metas);
    std::vector<std::vector<spec::ValueRange>> ranges(metas.size());
    for (size_t i = 0; i < metas.size(); ++i) {
      if (metas[i].absent()) continue;
      const spec::SampleDomain& d = sample.value_domains[i];
      for (int64_t e = 0; e < metas[i].element_count(); ++e) {
        ranges[i].push_back(d.domain(view, std::span<const spec::Arg>(d.args, d.arg_count), i, e));
      }
    }
    auto draw = [&](bool positive_any) {
      std::vector<std::vector<double>> values = draw_values(metas, ranges, rng, positive_any);
      if (op == "scatter_elements" || op == "scatter_nd") distinct_scatter_targets(op, c.attrs, metas, values, rng);
      c.inputs.clear();
      for (size_t i = 0; i < metas.size(); ++i) {
        if (metas[i].absent()) {
          c.inputs.emplace_back();
        } else {
          c.inputs.push_back(tensor(values[i], shape_of(metas[i]), {.dtype = static_cast<Dtype>(metas[i].dtype), .device = device}));
        }
      }
    };
    draw(false);
    for (size_t i = 0; i < metas.size(); ++i) {
      const spec::TensorMeta& m = metas[i];
      const uint32_t declared = entry.variadic_input ? std::min<uint32_t>(uint32_t(i), entry.input_count - 1) : uint32_t(i);
      const bool formula = !entry.differentiable || entry.vjp[declared].expr != nullptr;
      if (m.dtype == KEEL_DTYPE_F64 && m.element_count() > 0 && formula) c.wrt.push_back(i);
    }
    if (c.wrt.empty() || float_outputs(op, c, c.inputs).empty()) continue;
    if (std::string why = detail::unmet_requirement(op_index, c.attrs.get()); !why.empty()) {
      c.skip = why + "; this sample's attributes differ, so it has no derivatives";
    } else if (!outputs_finite(op, c) || !gradient_finite(op, c)) {
      // `any` admits points where the operator or its chain rule has no real value (log of a negative number,
      // rsqrt of a negative variance); its positive part is still inside the sample's domains.
      const bool has_any = std::any_of(ranges.begin(), ranges.end(), [](const auto& r) {
        return std::any_of(r.begin(), r.end(), [](const spec::ValueRange& v) { return v.special_values; });
      });
      if (has_any) {
        draw(true);
        c.note = "values of the inputs with domain `any` drawn from its positive part: the operator or its "
                 "gradient is not finite at the first draw";
      }
      if (!outputs_finite(op, c)) {
        c.skip = "an output is not finite at the drawn points, also with `any` inputs positive (max_pool windows "
                 "that read only padding give -inf): finite differences cannot check it";
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

Tensor like(const Tensor& t, const std::vector<double>& values) {
  return tensor(values, Shape(t.shape().begin(), t.shape().end()), {.dtype = t.dtype(), .device = t.device()});
}

std::vector<Tensor> shifted(const std::vector<Tensor>& x, const std::vector<std::vector<double>>& d, double s) {
  std::vector<Tensor> out;
  for (size_t k = 0; k < x.size(); ++k) {
    std::vector<double> v = x[k].to_vector<double>();
    for (size_t e = 0; e < v.size(); ++e) v[e] += s * d[k][e];
    out.push_back(like(x[k], v));
  }
  return out;
}

GradCase converted(const std::string& op, const GradCase& c, Dtype dtype, const Device& device) {
  const detail::OpEntry& entry = entry_of(op);
  GradCase out = c;
  for (Tensor& t : out.inputs) {
    if (!t.defined()) continue;
    t = is_floating_point(t.dtype()) ? t.to(dtype).to(device) : t.to(device);
  }
  for (uint32_t a = 0; a < entry.attr_count; ++a) {
    if (entry.attrs[a].kind == detail::AttrKind::kDtype && is_float(static_cast<keel_dtype_t>(detail::attr_int(entry, out.attrs.get(), a)))) {
      out.attrs.set_int(a, static_cast<int64_t>(dtype));
    }
  }
  return out;
}

std::vector<Tensor> float_outputs(const std::string& op, const GradCase& c, const std::vector<Tensor>& inputs) {
  std::vector<Tensor> outs;
  for (Tensor& t : ops::call(op, inputs, c.attrs.get())) {
    if (is_floating_point(t.dtype()) && t.numel() > 0) outs.push_back(std::move(t));
  }
  return outs;
}

}  // namespace keel::spec_grad
