// The composite activations (activations.yaml) and the other elementwise-style composites: tan, clamp,
// eye, flatten and gemm. A plugin may leave them to the core's lowering, so their cases run through libkeel
// (the direct backend skips what the plugin does not register). References are the spec's formulas in long
// double; attribute scalars are converted to the dtype first, as the spec says.
#include <cmath>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

long double sigmoid(long double x) { return 1.0L / (1.0L + std::exp(-x)); }

// A product correctly rounded in the dtype (the hardware's for f64; exact in long double for the others).
long double rounded_product(keel_dtype_t dtype, long double a, long double b) {
  if (dtype == KEEL_DTYPE_F64) return static_cast<double>(a) * static_cast<double>(b);
  return a * b;
}

// Elementwise with K = 1 and, for magnitude op_on_abs, M = fn(|x|).
Expected pointwise(const RefCall& call, long double (*fn)(long double, const RefCall&), bool magnitude_on_abs) {
  Expected e;
  e.k = {1};
  const HostTensor& x = call.inputs[0];
  for (int64_t i = 0; i < x.count(); ++i) {
    const long double v = x.value(i);
    e.values.push_back(fn(v, call));
    if (magnitude_on_abs) e.magnitude.push_back(std::fabs(fn(std::fabs(v), call)));
  }
  return e;
}

long double in_dtype(const RefCall& call, double value) { return round_to(value, call.inputs[0].dtype); }

KEEL_REFERENCE(leaky_relu) {
  const long double alpha = in_dtype(call, call.attrs_as<keel_leaky_relu_attrs_t>().alpha);
  const keel_dtype_t t = call.inputs[0].dtype;
  return {Expected::of_values(map_unary(call, [&](long double x) { return x >= 0 ? x : rounded_product(t, x, alpha); }))};
}

KEEL_REFERENCE(elu) {
  return {pointwise(call, [](long double x, const RefCall& c) {
    const long double alpha = in_dtype(c, c.attrs_as<keel_elu_attrs_t>().alpha);
    return x > 0 ? x : alpha * (std::exp(x) - 1);
  }, false)};
}

KEEL_REFERENCE(celu) {
  return {pointwise(call, [](long double x, const RefCall& c) {
    const long double alpha = in_dtype(c, c.attrs_as<keel_celu_attrs_t>().alpha);
    return x > 0 ? x : alpha * (std::exp(x / alpha) - 1);
  }, false)};
}

KEEL_REFERENCE(selu) {
  return {pointwise(call, [](long double x, const RefCall& c) {
    const auto& a = c.attrs_as<keel_selu_attrs_t>();
    const long double alpha = in_dtype(c, a.alpha);
    const long double gamma = in_dtype(c, a.gamma);
    return gamma * (x > 0 ? x : alpha * (std::exp(x) - 1));
  }, false)};
}

KEEL_REFERENCE(gelu) {
  return {pointwise(call, [](long double x, const RefCall& c) {
    if (c.attrs_as<keel_gelu_attrs_t>().approximate == KEEL_GELU_APPROXIMATE_TANH) {
      const long double inner = std::sqrt(2.0L / 3.14159265358979323846264338327950288L) * (x + 0.044715L * x * x * x);
      return 0.5L * x * (1 + std::tanh(inner));
    }
    return 0.5L * x * (1 + std::erf(x / std::sqrt(2.0L)));
  }, true)};
}

KEEL_REFERENCE(silu) { return {Expected::of_values(map_unary(call, [](long double x) { return x * sigmoid(x); }))}; }

KEEL_REFERENCE(softplus) {
  return {pointwise(call, [](long double x, const RefCall&) {
    return std::fmax(x, 0.0L) + std::log1p(std::exp(-std::fabs(x)));
  }, false)};
}

KEEL_REFERENCE(softsign) {
  return {Expected::of_values(map_unary(call, [](long double x) { return x / (1 + std::fabs(x)); }))};
}

KEEL_REFERENCE(hardsigmoid) {
  return {pointwise(call, [](long double x, const RefCall& c) {
    const auto& a = c.attrs_as<keel_hardsigmoid_attrs_t>();
    const long double z = in_dtype(c, a.alpha) * x + in_dtype(c, a.beta);
    if (std::isnan(z)) return z;
    return std::fmin(std::fmax(z, 0.0L), 1.0L);
  }, false)};
}

KEEL_REFERENCE(hardswish) {
  return {pointwise(call, [](long double x, const RefCall&) {
    const long double z = x / 6 + 0.5L;
    return x * (std::isnan(z) ? z : std::fmin(std::fmax(z, 0.0L), 1.0L));
  }, true)};
}

KEEL_REFERENCE(prelu) {
  const keel_dtype_t t = call.inputs[0].dtype;
  return {Expected::of_values(
      map_binary(call, [&](long double x, long double slope) { return x >= 0 ? x : rounded_product(t, x, slope); }))};
}

KEEL_REFERENCE(tan) { return {Expected::of_values(map_unary(call, [](long double x) { return std::tan(x); }))}; }

// minimum(maximum(x, min), max) with the bounds present, all three broadcast.
KEEL_REFERENCE(clamp) {
  const Dims& shape = call.outputs[0].shape;
  std::vector<long double> values;
  for (int64_t i = 0; i < count_of(shape); ++i) {
    const Dims index = unravel(i, shape);
    long double y = broadcast_value(call.inputs[0], index);
    if (call.present(1)) y = ieee_max(y, broadcast_value(call.inputs[1], index));
    if (call.present(2)) y = ieee_min(y, broadcast_value(call.inputs[2], index));
    values.push_back(y);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(eye) {
  const auto& a = call.attrs_as<keel_eye_attrs_t>();
  std::vector<long double> values;
  for (int64_t i = 0; i < a.rows; ++i) {
    for (int64_t j = 0; j < a.cols; ++j) values.push_back(j - i == a.k ? 1 : 0);
  }
  return {Expected::of_values(values)};
}

KEEL_REFERENCE(flatten) {
  HostTensor y = call.inputs[0];
  y.shape = call.outputs[0].shape;
  return {Expected::of_bits(y)};
}

// alpha · op(a) · op(b) + beta · c with alpha and beta in the dtype; M = |alpha| · Σ|a · b| + |beta · c|.
KEEL_REFERENCE(gemm) {
  const auto& attrs = call.attrs_as<keel_gemm_attrs_t>();
  const HostTensor& a = call.inputs[0];
  const HostTensor& b = call.inputs[1];
  const long double alpha = in_dtype(call, attrs.alpha);
  const long double beta = in_dtype(call, attrs.beta);
  const Dims& shape = call.outputs[0].shape;
  const int64_t k = attrs.trans_a ? a.shape[0] : a.shape[1];
  Expected e;
  e.k = {static_cast<long double>(k)};
  for (int64_t i = 0; i < shape[0]; ++i) {
    for (int64_t j = 0; j < shape[1]; ++j) {
      long double sum = 0;
      long double magnitude = 0;
      for (int64_t q = 0; q < k; ++q) {
        const long double x = attrs.trans_a ? a.value(q * a.shape[1] + i) : a.value(i * a.shape[1] + q);
        const long double w = attrs.trans_b ? b.value(j * b.shape[1] + q) : b.value(q * b.shape[1] + j);
        sum += x * w;
        magnitude += std::fabs(x * w);
      }
      long double y = alpha * sum;
      magnitude = std::fabs(alpha) * magnitude;
      if (call.present(2)) {
        const long double c = beta * broadcast_value(call.inputs[2], {i, j});
        y += c;
        magnitude += std::fabs(c);
      }
      e.values.push_back(y);
      e.magnitude.push_back(magnitude);
    }
  }
  return {e};
}

// ---- Cases (libkeel: the core lowers what the plugin leaves out) ------------------------------------------

class Activations : public BackendTest {
 protected:
  bool runs(const char* op) { return session().backend().can_run(op); }
};

TEST_P(Activations, EveryActivationOnSpecialAndRandomValues) {
  Random random(101);
  const keel_leaky_relu_attrs_t leaky = {sizeof leaky, -0.3};
  const keel_elu_attrs_t elu = {sizeof elu, 2.0};
  const keel_celu_attrs_t celu = {sizeof celu, 0.5};
  const keel_selu_attrs_t selu = KEEL_SELU_ATTRS_INIT;
  const keel_gelu_attrs_t gelu_tanh = {sizeof gelu_tanh, KEEL_GELU_APPROXIMATE_TANH};
  const keel_hardsigmoid_attrs_t pytorch = {sizeof pytorch, 1.0 / 6, 0.5};
  const std::vector<std::pair<const char*, const void*>> ops = {
      {"leaky_relu", nullptr}, {"leaky_relu", &leaky}, {"elu", nullptr},  {"elu", &elu},
      {"celu", &celu},        {"selu", &selu},         {"gelu", nullptr}, {"gelu", &gelu_tanh},
      {"silu", nullptr},      {"softplus", nullptr},   {"softsign", nullptr}, {"hardsigmoid", nullptr},
      {"hardsigmoid", &pytorch}, {"hardswish", nullptr}, {"tan", nullptr}};
  for (const auto& [op, attrs] : ops) {
    if (!runs(op)) continue;
    for (const keel_dtype_t dtype : kFloatTypes) {
      SCOPED_TRACE(std::string(op) + " " + name_of(dtype));
      check_call(session(), op, attrs, {special_tensor(dtype)});
      const HostTensor x = random.tensor(dtype, {2, 1, 3, 2, 2, 2}, -6, 6);
      check_call(session(), op, attrs, {x}, {Layout::scrambled(6)}, {Layout::transposed(6)});
    }
  }
}

TEST_P(Activations, PreluAndClampBroadcast) {
  Random random(103);
  for (const keel_dtype_t dtype : kFloatTypes) {
    if (runs("prelu")) {
      check_call(session(), "prelu", nullptr, {random.tensor(dtype, {2, 3, 2, 2}, -5, 5), random.tensor(dtype, {3, 1, 1}, -1, 1)},
                 {Layout::scrambled(4), Layout::transposed(3)});
      check_call(session(), "prelu", nullptr, {special_tensor(dtype), tensor_of(dtype, {1}, {0.25})});
    }
  }
  if (!runs("clamp")) return;
  for (const keel_dtype_t dtype : kNumericTypes) {
    const HostTensor x = random.tensor(dtype, {2, 3}, -9, 9);
    check_call(session(), "clamp", nullptr, {x, random.tensor(dtype, {3}, -5, 0), random.tensor(dtype, {2, 1}, 0, 5)},
               {Layout::transposed(2)}, {Layout::scrambled(2)});
    check_call(session(), "clamp", nullptr, {x, absent(), random.tensor(dtype, {}, -1, 1)});
    check_call(session(), "clamp", nullptr, {x, random.tensor(dtype, {1, 3}, -1, 1), absent()});
    check_call(session(), "clamp", nullptr, {x, absent(), absent()});
    // min above max gives max.
    check_call(session(), "clamp", nullptr, {x, tensor_of(dtype, {}, {4}), tensor_of(dtype, {}, {-4})});
    if (is_float(dtype)) {
      const auto [a, b] = special_pairs(dtype);
      check_call(session(), "clamp", nullptr, {a, b, tensor_of(dtype, {}, {kNaN})});
      check_call(session(), "clamp", nullptr, {a, b, absent()});
    }
  }
}

TEST_P(Activations, EyeFlattenGemm) {
  Random random(107);
  if (runs("eye")) {
    for (const keel_dtype_t dtype : kAllTypes) {
      for (const auto& [rows, cols, k] : std::vector<std::array<int64_t, 3>>{{3, 3, 0}, {2, 5, 1}, {4, 2, -1}, {0, 3, 0}, {3, 3, 7}}) {
        const keel_eye_attrs_t attrs = {sizeof attrs, rows, cols, k, dtype};
        check_call(session(), "eye", &attrs, {}, {}, {Layout::scrambled(2)});
      }
    }
  }
  if (runs("flatten")) {
    for (const int64_t axis : {0, 1, 2, -1, -3, 4}) {
      const keel_flatten_attrs_t attrs = {sizeof attrs, axis};
      check_call(session(), "flatten", &attrs, {random.tensor(KEEL_DTYPE_F16, {2, 1, 3, 2}, -9, 9)}, {Layout::scrambled(4)});
    }
  }
  if (!runs("gemm")) return;
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const uint8_t ta : {0, 1}) {
      for (const uint8_t tb : {0, 1}) {
        const keel_gemm_attrs_t attrs = {sizeof attrs, 0.5, -2.0, ta, tb};
        const HostTensor a = random.tensor(dtype, ta ? Dims{4, 3} : Dims{3, 4}, -2, 2);
        const HostTensor b = random.tensor(dtype, tb ? Dims{5, 4} : Dims{4, 5}, -2, 2);
        check_call(session(), "gemm", &attrs, {a, b, random.tensor(dtype, {5}, -2, 2)}, {Layout::transposed(2)});
        check_call(session(), "gemm", &attrs, {a, b, absent()});
        check_call(session(), "gemm", &attrs, {a, b, random.tensor(dtype, {3, 1}, -2, 2)});
      }
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Activations);

}  // namespace
}  // namespace keel::reference_test
