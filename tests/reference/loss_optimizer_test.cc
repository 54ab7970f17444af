// nll_loss and cross_entropy (softmax.yaml), sgd_update and adam_update (optimizer.yaml) and
// max_pool_backward (training.yaml): composites the core lowers. References follow the spec's formulas in
// long double; magnitudes are the same formulas on absolute values.
#include <cmath>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// One element of target (x without axis 1): where it reads x for class c.
int64_t class_position(const HostTensor& x, const Dims& target_index, int64_t c) {
  Dims index = target_index;
  index.insert(index.begin() + 1, c);
  return ravel(index, x.shape);
}

struct LossTerms {
  std::vector<long double> loss;       // per target element
  std::vector<long double> magnitude;  // |loss| per element
  std::vector<long double> weight;     // w_i (0 when not valid)
  std::vector<long double> k;          // per element
};

// Combines per-element losses by the reduction (none, mean, sum share one enum order in both losses).
Expected reduced(const LossTerms& t, uint32_t reduction) {
  if (reduction == KEEL_NLL_LOSS_REDUCTION_NONE) {
    Expected e = Expected::accumulated(t.loss, t.k, t.magnitude);
    return e;
  }
  long double sum = 0;
  long double magnitude = 0;
  long double weights = 0;
  long double k = 1;
  for (size_t i = 0; i < t.loss.size(); ++i) {
    sum += t.loss[i];
    magnitude += t.magnitude[i];
    weights += t.weight[i];
    k = std::max(k, t.k[i]);
  }
  k *= std::max<long double>(static_cast<long double>(t.loss.size()), 1);
  if (reduction == KEEL_NLL_LOSS_REDUCTION_SUM) return Expected::accumulated({sum}, {k}, {magnitude});
  return Expected::accumulated({sum / weights}, {k}, {magnitude / std::fabs(weights)});
}

KEEL_REFERENCE(nll_loss) {
  const auto& a = call.attrs_as<keel_nll_loss_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const HostTensor& target = call.inputs[1];
  const int64_t classes = x.shape[1];
  LossTerms t;
  for (int64_t i = 0; i < target.count(); ++i) {
    const auto c = static_cast<int64_t>(target.value(i));
    const bool valid = c >= 0 && c < classes && c != a.ignore_index;
    const long double w = valid ? (call.present(2) ? call.inputs[2].value(c) : 1) : 0;
    const long double l = valid ? -w * x.value(class_position(x, unravel(i, target.shape), c)) : 0;
    t.loss.push_back(l);
    t.magnitude.push_back(std::fabs(l));
    t.weight.push_back(w);
    t.k.push_back(1);
  }
  return {reduced(t, a.reduction)};
}

KEEL_REFERENCE(cross_entropy) {
  const auto& a = call.attrs_as<keel_cross_entropy_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const HostTensor& target = call.inputs[1];
  const int64_t classes = x.shape[1];
  const long double smoothing = a.label_smoothing;
  LossTerms t;
  for (int64_t i = 0; i < target.count(); ++i) {
    const Dims at = unravel(i, target.shape);
    // log_softmax over the classes of this element.
    long double max = -kInf;
    for (int64_t c = 0; c < classes; ++c) max = std::fmax(max, x.value(class_position(x, at, c)));
    long double sum = 0;
    long double range = 0;
    for (int64_t c = 0; c < classes; ++c) {
      const long double v = x.value(class_position(x, at, c));
      sum += std::exp(v - max);
      if (std::isfinite(v)) range = std::fmax(range, max - v);
    }
    const auto logp = [&](int64_t c) { return x.value(class_position(x, at, c)) - max - std::log(sum); };
    const auto weight = [&](int64_t c) -> long double { return call.present(2) ? call.inputs[2].value(c) : 1; };
    const auto c = static_cast<int64_t>(target.value(i));
    const bool valid = c >= 0 && c < classes && c != a.ignore_index;
    long double l = 0;
    long double magnitude = 0;
    if (valid) {
      long double smooth = 0;
      long double smooth_abs = 0;
      for (int64_t j = 0; j < classes; ++j) {
        smooth -= weight(j) * logp(j);
        smooth_abs += std::fabs(weight(j) * logp(j));
      }
      l = (1 - smoothing) * (-weight(c) * logp(c)) + smoothing / static_cast<long double>(classes) * smooth;
      magnitude = std::fabs((1 - smoothing) * weight(c) * logp(c)) + smoothing / static_cast<long double>(classes) * smooth_abs;
    }
    t.loss.push_back(l);
    t.magnitude.push_back(magnitude);
    t.weight.push_back(valid ? weight(c) : 0);
    // An ignored target contributes an exact 0; its row may hold infinities, which would make K infinite.
    t.k.push_back(valid ? static_cast<long double>(classes) + range : 1);
  }
  return {reduced(t, a.reduction)};
}

KEEL_REFERENCE(sgd_update) {
  const auto& a = call.attrs_as<keel_sgd_update_attrs_t>();
  const HostTensor& param = call.inputs[0];
  Expected out = Expected::accumulated({}, {1});
  Expected buf_out = Expected::accumulated({}, {1});
  for (int64_t i = 0; i < param.count(); ++i) {
    const long double p = param.value(i);
    const long double gradient = call.inputs[1].value(i);
    const long double g = (a.maximize ? -gradient : gradient) + a.weight_decay * p;
    const long double g_abs = std::fabs(gradient) + std::fabs(a.weight_decay * p);
    long double buf = g;
    long double buf_abs = g_abs;
    if (call.present(2)) {
      const long double previous = call.inputs[2].value(i);
      buf = a.momentum * previous + (1 - a.dampening) * g;
      buf_abs = std::fabs(a.momentum * previous) + std::fabs(1 - a.dampening) * g_abs;
    }
    const long double d = a.nesterov ? g + a.momentum * buf : buf;
    const long double d_abs = a.nesterov ? g_abs + std::fabs(a.momentum) * buf_abs : buf_abs;
    out.values.push_back(p - a.lr * d);
    out.magnitude.push_back(std::fabs(p) + std::fabs(a.lr) * d_abs);
    buf_out.values.push_back(buf);
    buf_out.magnitude.push_back(buf_abs);
  }
  return {out, buf_out};
}

KEEL_REFERENCE(adam_update) {
  const auto& a = call.attrs_as<keel_adam_update_attrs_t>();
  const HostTensor& param = call.inputs[0];
  Expected out = Expected::accumulated({}, {1});
  Expected m_out = Expected::accumulated({}, {1});
  Expected v_out = Expected::accumulated({}, {1});
  const long double bc1 = 1 - std::pow(static_cast<long double>(a.beta1), static_cast<long double>(a.step));
  const long double bc2 = 1 - std::pow(static_cast<long double>(a.beta2), static_cast<long double>(a.step));
  for (int64_t i = 0; i < param.count(); ++i) {
    const long double gradient = call.inputs[1].value(i);
    long double g = a.maximize ? -gradient : gradient;
    long double p = param.value(i);
    long double p_abs = std::fabs(p);
    long double g_abs = std::fabs(g);
    if (a.decoupled_weight_decay) {
      p = p * (1 - a.lr * a.weight_decay);
      p_abs = std::fabs(p);
    } else {
      g_abs += std::fabs(a.weight_decay * p);
      g = g + a.weight_decay * p;
    }
    const long double m = a.beta1 * call.inputs[2].value(i) + (1 - a.beta1) * g;
    const long double v = a.beta2 * call.inputs[3].value(i) + (1 - a.beta2) * g * g;
    const long double step = (a.lr / bc1) * m / (std::sqrt(v) / std::sqrt(bc2) + a.epsilon);
    out.values.push_back(p - step);
    out.magnitude.push_back(p_abs + std::fabs(step));
    m_out.values.push_back(m);
    m_out.magnitude.push_back(std::fabs(a.beta1 * call.inputs[2].value(i)) + std::fabs((1 - a.beta1)) * g_abs);
    v_out.values.push_back(v);
    v_out.magnitude.push_back(std::fabs(a.beta2 * call.inputs[3].value(i)) + std::fabs(1 - a.beta2) * g * g);
  }
  return {out, m_out, v_out};
}

KEEL_REFERENCE(max_pool_backward) {
  const HostTensor& dy = call.inputs[0];
  const HostTensor& indices = call.inputs[1];
  const HostTensor& x = call.inputs[2];
  const int64_t plane = count_of(Dims(x.shape.begin() + 2, x.shape.end()));
  const int64_t per_plane = count_of(Dims(dy.shape.begin() + 2, dy.shape.end()));
  Expected e;
  e.values.assign(static_cast<size_t>(x.count()), 0);
  e.magnitude.assign(e.values.size(), 0);
  e.k.assign(e.values.size(), 1);
  std::vector<uint64_t> wrapped(e.values.size(), 0);  // integer sums wrap modulo 2^64, then to the dtype
  for (int64_t o = 0; o < dy.count(); ++o) {
    const auto idx = static_cast<int64_t>(indices.value(o));
    if (idx < 0 || idx >= plane) continue;
    const auto target = static_cast<size_t>(o / std::max<int64_t>(per_plane, 1) * plane + idx);
    e.values[target] += dy.value(o);
    e.magnitude[target] += std::fabs(dy.value(o));
    e.k[target] += 1;
    if (!is_float(dy.dtype)) wrapped[target] += static_cast<uint64_t>(static_cast<int64_t>(dy.value(o)));
  }
  if (!is_float(dy.dtype)) {
    for (size_t i = 0; i < wrapped.size(); ++i) {
      e.values[i] = wrap_to(dy.dtype, static_cast<long double>(static_cast<int64_t>(wrapped[i])));
    }
  }
  return {e};
}

class LossesAndOptimizers : public BackendTest {
 protected:
  bool runs(const char* op) { return session().backend().can_run(op); }
  Random random_{113};
};

TEST_P(LossesAndOptimizers, LossesEveryReductionIgnoredAndOutOfRangeTargets) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    const HostTensor x = random_.tensor(dtype, {4, 3, 2}, -3, 3);
    const HostTensor target = tensor_of(KEEL_DTYPE_I64, {4, 2}, {0, 2, 1, -100, 5, 1, -1, 2});
    const HostTensor weight = random_.tensor(dtype, {3}, 0.5, 2);
    for (uint32_t reduction = 0; reduction < 3; ++reduction) {
      SCOPED_TRACE(name_of(dtype) + " reduction " + std::to_string(reduction));
      if (runs("nll_loss")) {
        const keel_nll_loss_attrs_t attrs = {sizeof attrs, reduction, -100};
        check_call(session(), "nll_loss", &attrs, {x, target, weight}, {Layout::scrambled(3)});
        check_call(session(), "nll_loss", &attrs, {x, target, absent()});
      }
      if (runs("cross_entropy")) {
        for (const double smoothing : {0.0, 0.2}) {
          const keel_cross_entropy_attrs_t attrs = {sizeof attrs, reduction, 1, smoothing};
          check_call(session(), "cross_entropy", &attrs, {x, target, weight}, {Layout::transposed(3)});
          check_call(session(), "cross_entropy", &attrs, {x, target, absent()});
        }
      }
    }
  }
}

TEST_P(LossesAndOptimizers, OptimizerStepsEveryOption) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    SCOPED_TRACE(name_of(dtype));
    const HostTensor param = random_.tensor(dtype, {3, 4}, -2, 2);
    const HostTensor grad = random_.tensor(dtype, {3, 4}, -2, 2);
    if (runs("sgd_update")) {
      for (const uint8_t nesterov : {0, 1}) {
        for (const uint8_t maximize : {0, 1}) {
          const keel_sgd_update_attrs_t attrs = {sizeof attrs, 0.1, 0.9, 0.1, 0.01, nesterov, maximize};
          check_call(session(), "sgd_update", &attrs, {param, grad, random_.tensor(dtype, {3, 4}, -1, 1)},
                     {Layout::transposed(2)}, {Layout::scrambled(2)});
          check_call(session(), "sgd_update", &attrs, {param, grad, absent()});
        }
      }
    }
    if (runs("adam_update")) {
      for (const uint8_t decoupled : {0, 1}) {
        for (const int64_t step : {1, 7}) {
          const keel_adam_update_attrs_t attrs = {sizeof attrs, 0.01, 0.9, 0.999, 1e-8, 0.01, step, decoupled, 0};
          check_call(session(), "adam_update", &attrs,
                     {param, grad, random_.tensor(dtype, {3, 4}, -1, 1), random_.tensor(dtype, {3, 4}, 0, 1)},
                     {Layout::scrambled(2)});
        }
      }
    }
  }
}

TEST_P(LossesAndOptimizers, MaxPoolBackwardRoutesToTheIndices) {
  if (!runs("max_pool_backward")) return;
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F16, KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32,
                                   KEEL_DTYPE_I64, KEEL_DTYPE_I8, KEEL_DTYPE_U8}) {
    SCOPED_TRACE(name_of(dtype));
    const HostTensor dy = random_.tensor(dtype, {2, 2, 3}, dtype == KEEL_DTYPE_U8 ? 0 : -4, 4);
    // Repeated targets, -1 (an empty window) and an out-of-range index.
    const HostTensor indices = tensor_of(KEEL_DTYPE_I64, {2, 2, 3}, {0, 0, 4, -1, 2, 9, 1, 1, 1, 3, 2, 0});
    check_call(session(), "max_pool_backward", nullptr, {dy, indices, random_.tensor(dtype, {2, 2, 5}, 0, 1)},
               {Layout::scrambled(3), Layout::transposed(3)});
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(LossesAndOptimizers);

}  // namespace
}  // namespace keel::reference_test
