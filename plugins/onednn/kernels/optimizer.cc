// sgd_update adam_update (optimizer.yaml): each optimizer step as one pass over its tensors.
//
// The spec defines both as composites; without a kernel the core lowers a step onto 8-16 elementwise calls,
// each a full pass over memory. Here every element of every input is read once and all outputs are written
// in the same pass. The arithmetic is the decomposition's, step for step: each constant is first rounded to
// the dtype (the decomposition's scalar(), one_minus() and one_minus_pow() helpers), then every product, sum,
// quotient and square root is rounded in the dtype (-ffp-contract=off keeps a*b+c two roundings), so the
// results are those of the lowered composite, bit for bit.
//
// The attributes are read per call instead of being built into the kernel: a learning-rate schedule changes
// lr every step, and the prepared loop does not depend on it. Outputs may be the very same views as inputs
// (param_out over param, the moments over theirs): each element's inputs are read before its outputs are
// written.
#include <cmath>
#include <type_traits>

#include "attrs.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "loop_plan.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

// True when optional input `i` was passed (an absent one has no dtype).
bool present(const CallInfo& call, size_t i) {
  return call.input_count() > i && call.input(i).dtype != KEEL_DTYPE_INVALID;
}

// Plans one loop over every operand: outputs first, then the inputs (all of one shape, constraint C1).
LoopPlan plan_all(const CallInfo& call, size_t inputs) {
  const keel_tensor_desc_t* rest[LoopPlan::kMaxOperands];
  size_t count = 0;
  for (size_t o = 1; o < call.output_count(); ++o) rest[count++] = &call.output(o);
  for (size_t i = 0; i < inputs; ++i) rest[count++] = &call.input(i);
  switch (count) {  // plan_loop takes an initializer list
    case 3: return plan_loop(call.output(0), {rest[0], rest[1], rest[2]});
    case 4: return plan_loop(call.output(0), {rest[0], rest[1], rest[2], rest[3]});
    case 6: return plan_loop(call.output(0), {rest[0], rest[1], rest[2], rest[3], rest[4], rest[5]});
    default: fail(KEEL_STATUS_INTERNAL, "an optimizer step with ", count + 1, " operands");
  }
}

bool unit_strides(const LoopPlan& plan) {
  for (int k = 0; k < plan.operands; ++k) {
    if (plan.inner_stride(k) != 1) return false;
  }
  return true;
}

// ---- sgd_update ----------------------------------------------------------------------------------------

template <class T>
struct Sgd {
  T lr, momentum, dampened, weight_decay;  // dampened: 1 - dampening
  bool nesterov, maximize;

  explicit Sgd(const void* raw) {
    constexpr keel_sgd_update_attrs_t kDefaults = KEEL_SGD_UPDATE_ATTRS_INIT;
    using A = keel_sgd_update_attrs_t;
    const A attrs =
        read_attrs(raw, kDefaults, &A::lr, &A::momentum, &A::dampening, &A::weight_decay, &A::nesterov, &A::maximize);
    lr = static_cast<T>(attrs.lr);
    momentum = static_cast<T>(attrs.momentum);
    dampened = static_cast<T>(1.0 - attrs.dampening);
    weight_decay = static_cast<T>(attrs.weight_decay);
    nesterov = attrs.nesterov != 0;
    maximize = attrs.maximize != 0;
  }

  // One element: returns param_out and sets buffer_out. `buffer` is ignored without kHasBuffer. The flags
  // are template arguments so that the loops have no branches and vectorize.
  template <bool kHasBuffer, bool kNesterov, bool kMaximize>
  T step(T param, T gradient, T buffer, T& buffer_out) const {
    const T g = (kMaximize ? -gradient : gradient) + param * weight_decay;
    T b = g;
    if constexpr (kHasBuffer) b = buffer * momentum + g * dampened;
    const T d = kNesterov ? g + b * momentum : b;
    buffer_out = b;
    return param - d * lr;
  }
};

// Calls f(std::bool_constant<a>{}, std::bool_constant<b>{}) for the run-time flags a and b.
template <class F>
void with_flags(bool a, bool b, F&& f) {
  if (a) {
    if (b)
      f(std::true_type{}, std::true_type{});
    else
      f(std::true_type{}, std::false_type{});
  } else {
    if (b)
      f(std::false_type{}, std::true_type{});
    else
      f(std::false_type{}, std::false_type{});
  }
}

// Operands: param_out, momentum_buf_out, param, gradient[, momentum_buf].
template <class T, bool kHasBuffer>
class SgdLoop final : public Kernel {
 public:
  explicit SgdLoop(const CallInfo& call) : plan_(plan_all(call, kHasBuffer ? 3 : 2)), unit_(unit_strides(plan_)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const Sgd<T> sgd(call.attrs);
    T* const param_out = typed_data<T>(call.outputs[0]);
    T* const buffer_out = typed_data<T>(call.outputs[1]);
    const T* const param = typed_data<const T>(call.inputs[0]);
    const T* const gradient = typed_data<const T>(call.inputs[1]);
    const T* const buffer = kHasBuffer ? typed_data<const T>(call.inputs[2]) : nullptr;
    with_flags(sgd.nesterov, sgd.maximize, [&](auto nesterov, auto maximize) {
      const auto step = [&sgd](T p, T g, T b, T& b_out) {
        return sgd.template step<kHasBuffer, decltype(nesterov)::value, decltype(maximize)::value>(p, g, b, b_out);
      };
      for_each_run(plan_, [&](const int64_t* at, int64_t n) {
        T* po = param_out + at[0];
        T* bo = buffer_out + at[1];
        const T* p = param + at[2];
        const T* g = gradient + at[3];
        const T* b = kHasBuffer ? buffer + at[4] : nullptr;
        if (unit_) {
#pragma omp simd
          for (int64_t i = 0; i < n; ++i) po[i] = step(p[i], g[i], kHasBuffer ? b[i] : T{}, bo[i]);
          return;
        }
        const int64_t s[5] = {plan_.inner_stride(0), plan_.inner_stride(1), plan_.inner_stride(2),
                              plan_.inner_stride(3), kHasBuffer ? plan_.inner_stride(4) : 0};
        for (int64_t i = 0; i < n; ++i) {
          po[i * s[0]] = step(p[i * s[2]], g[i * s[3]], kHasBuffer ? b[i * s[4]] : T{}, bo[i * s[1]]);
        }
      });
    });
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "fused loop"; }

 private:
  LoopPlan plan_;
  bool unit_;
};

std::unique_ptr<Kernel> create_sgd(const CallInfo& call) {
  const bool has_buffer = present(call, 2);
  return visit_float(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    if (has_buffer) return std::make_unique<SgdLoop<T, true>>(call);
    return std::make_unique<SgdLoop<T, false>>(call);
  });
}

// ---- adam_update ---------------------------------------------------------------------------------------

template <class T>
struct Adam {
  T beta1, beta2, one_minus_beta1, one_minus_beta2, epsilon, weight_decay;
  T decay;      // AdamW: 1 - lr * weight_decay
  T step_size;  // lr / (1 - beta1^step)
  T sqrt_bc2;   // sqrt(1 - beta2^step)
  bool decoupled, maximize;

  explicit Adam(const void* raw) {
    constexpr keel_adam_update_attrs_t kDefaults = KEEL_ADAM_UPDATE_ATTRS_INIT;
    using A = keel_adam_update_attrs_t;
    const A attrs = read_attrs(raw, kDefaults, &A::lr, &A::beta1, &A::beta2, &A::epsilon, &A::weight_decay, &A::step,
                               &A::decoupled_weight_decay, &A::maximize);
    const T lr = static_cast<T>(attrs.lr);
    beta1 = static_cast<T>(attrs.beta1);
    beta2 = static_cast<T>(attrs.beta2);
    one_minus_beta1 = static_cast<T>(1.0 - attrs.beta1);
    one_minus_beta2 = static_cast<T>(1.0 - attrs.beta2);
    epsilon = static_cast<T>(attrs.epsilon);
    weight_decay = static_cast<T>(attrs.weight_decay);
    decay = T{1} - lr * weight_decay;
    const double power = static_cast<double>(attrs.step);
    step_size = lr / static_cast<T>(1.0 - std::pow(attrs.beta1, power));
    sqrt_bc2 = std::sqrt(static_cast<T>(1.0 - std::pow(attrs.beta2, power)));
    decoupled = attrs.decoupled_weight_decay != 0;
    maximize = attrs.maximize != 0;
  }

  // One element: returns param_out and sets the new moments.
  template <bool kDecoupled, bool kMaximize>
  T step(T param, T gradient, T exp_avg, T exp_avg_sq, T& m_out, T& v_out) const {
    T g = kMaximize ? -gradient : gradient;
    if constexpr (!kDecoupled) g = g + param * weight_decay;
    const T p = kDecoupled ? param * decay : param;
    const T m = exp_avg * beta1 + g * one_minus_beta1;
    const T v = exp_avg_sq * beta2 + (g * g) * one_minus_beta2;
    m_out = m;
    v_out = v;
    return p - (step_size * m) / (std::sqrt(v) / sqrt_bc2 + epsilon);
  }
};

// Operands: param_out, exp_avg_out, exp_avg_sq_out, param, gradient, exp_avg, exp_avg_sq.
template <class T>
class AdamLoop final : public Kernel {
 public:
  explicit AdamLoop(const CallInfo& call) : plan_(plan_all(call, 4)), unit_(unit_strides(plan_)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const Adam<T> adam(call.attrs);
    T* const param_out = typed_data<T>(call.outputs[0]);
    T* const m_out = typed_data<T>(call.outputs[1]);
    T* const v_out = typed_data<T>(call.outputs[2]);
    const T* const param = typed_data<const T>(call.inputs[0]);
    const T* const gradient = typed_data<const T>(call.inputs[1]);
    const T* const exp_avg = typed_data<const T>(call.inputs[2]);
    const T* const exp_avg_sq = typed_data<const T>(call.inputs[3]);
    with_flags(adam.decoupled, adam.maximize, [&](auto decoupled, auto maximize) {
      const auto step = [&adam](T p, T g, T m, T v, T& new_m, T& new_v) {
        return adam.template step<decltype(decoupled)::value, decltype(maximize)::value>(p, g, m, v, new_m, new_v);
      };
      for_each_run(plan_, [&](const int64_t* at, int64_t n) {
        T* po = param_out + at[0];
        T* mo = m_out + at[1];
        T* vo = v_out + at[2];
        const T* p = param + at[3];
        const T* g = gradient + at[4];
        const T* m = exp_avg + at[5];
        const T* v = exp_avg_sq + at[6];
        if (unit_) {
#pragma omp simd
          for (int64_t i = 0; i < n; ++i) po[i] = step(p[i], g[i], m[i], v[i], mo[i], vo[i]);
          return;
        }
        int64_t s[7];
        for (int k = 0; k < 7; ++k) s[k] = plan_.inner_stride(k);
        for (int64_t i = 0; i < n; ++i) {
          po[i * s[0]] = step(p[i * s[3]], g[i * s[4]], m[i * s[5]], v[i * s[6]], mo[i * s[1]], vo[i * s[2]]);
        }
      });
    });
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "fused loop"; }

 private:
  LoopPlan plan_;
  bool unit_;
};

std::unique_ptr<Kernel> create_adam(const CallInfo& call) {
  return visit_float(call.input(0).dtype,
                     [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> { return std::make_unique<AdamLoop<T>>(call); });
}

// No attr_key: the kernels read their attributes per call.
constexpr KernelDef kKernels[] = {
    {"sgd_update", 1, kFloatTypes, nullptr, create_sgd, nullptr},
    {"adam_update", 1, kFloatTypes, nullptr, create_adam, nullptr},
};

}  // namespace

std::span<const KernelDef> optimizer_kernels() { return kKernels; }

}  // namespace keel::onednn
