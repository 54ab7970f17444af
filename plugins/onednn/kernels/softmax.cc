// softmax and log_softmax (softmax.yaml).
//
// oneDNN's softmax primitive (the "accurate" algorithm: the maximum is subtracted first) computes the
// common case; the spec's special values are then enforced by one pass over the output: oneDNN leaves a
// slice with a NaN, or with +inf as its maximum, only partly NaN (NaN at those positions, 0 elsewhere),
// while the spec makes the whole slice NaN. A NaN anywhere in an output slice therefore turns the whole slice
// into NaN; an all -inf slice comes out all NaN from oneDNN already, as the spec wants. The same pass
// recomputes results oneDNN flushed to zero although they are normal numbers (its exp gives 0 somewhat above
// the underflow threshold), which the spec's bound does not allow.
//
// f64, small tensors and layouts oneDNN cannot take run in a loop that evaluates each slice in f64 (long
// double for f64 inputs: see plugins/reference for why f64 needs the wider type).
#include <cmath>
#include <limits>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <vector>

#include "attrs.h"
#include "device.h"
#include "dnnl_util.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "loop_plan.h"
#include "queue.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int64_t kMinPrimitiveElements = 4096;

// softmax's and log_softmax's attribute structs are alike: {struct_size, axis}.
template <class Attrs>
int64_t softmax_axis(const void* raw) {
  constexpr Attrs kDefaults = {sizeof(Attrs), -1};
  return read_attrs(raw, kDefaults, &Attrs::axis).axis;
}

template <class Attrs>
void softmax_key(const void* attrs, SignatureKey& key) { key.push(softmax_axis<Attrs>(attrs)); }

// Iterates the slices along `axis` of x and y: plan operand 0 is y, 1 is x, over every position with the
// axis fixed at 0.
struct Slices {
  LoopPlan plan;
  int64_t length = 0;  // along the axis
  int64_t x_stride = 0;
  int64_t y_stride = 0;
};

Slices slices_of(const keel_tensor_desc_t& x, const keel_tensor_desc_t& y, uint32_t axis) {
  keel_tensor_desc_t xs = x;
  keel_tensor_desc_t ys = y;
  xs.shape[axis] = 1;
  ys.shape[axis] = 1;
  Slices s;
  s.plan = plan_loop(ys, {&xs});
  s.length = x.shape[axis];
  s.x_stride = x.strides[axis];
  s.y_stride = y.strides[axis];
  if (s.length == 0) s.plan.count = 0;
  return s;
}

template <class T>
void softmax_slice(const T* x, int64_t xs, T* y, int64_t ys, int64_t n, bool log) {
  using Wide = std::conditional_t<std::is_same_v<T, double>, long double, double>;
  Wide max = -std::numeric_limits<Wide>::infinity();
  bool nan = false;
  for (int64_t j = 0; j < n; ++j) {
    const Wide v = x[j * xs];
    nan = nan || v != v;
    if (v > max) max = v;
  }
  if (nan || max == std::numeric_limits<Wide>::infinity() || max == -std::numeric_limits<Wide>::infinity()) {
    for (int64_t j = 0; j < n; ++j) y[j * ys] = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  Wide sum = 0;
  for (int64_t j = 0; j < n; ++j) sum += std::exp(static_cast<Wide>(x[j * xs]) - max);
  if (log) {
    const Wide log_sum = std::log(sum);
    for (int64_t j = 0; j < n; ++j) y[j * ys] = static_cast<T>(static_cast<Wide>(x[j * xs]) - max - log_sum);
    return;
  }
  for (int64_t j = 0; j < n; ++j) y[j * ys] = static_cast<T>(std::exp(static_cast<Wide>(x[j * xs]) - max) / sum);
}

template <class T>
class SoftmaxLoop final : public Kernel {
 public:
  SoftmaxLoop(const CallInfo& call, uint32_t axis, bool log)
      : slices_(slices_of(call.input(0), call.output(0), axis)), log_(log) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const T* x = typed_data<const T>(call.inputs[0]);
    T* y = typed_data<T>(call.outputs[0]);
    const Slices& s = slices_;
    for_each_run(
        s.plan,
        [&](const int64_t* offsets, int64_t n) {
          for (int64_t i = 0; i < n; ++i) {
            softmax_slice(x + offsets[1] + i * s.plan.inner_stride(1), s.x_stride,
                          y + offsets[0] + i * s.plan.inner_stride(0), s.y_stride, s.length, log_);
          }
        },
        std::max<int64_t>(1, 4096 / std::max<int64_t>(s.length, 1)));
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "loop (f64 evaluation)"; }

 private:
  Slices slices_;
  bool log_;
};

class SoftmaxPrimitive final : public Kernel {
 public:
  SoftmaxPrimitive(const CallInfo& call, uint32_t axis, bool log, const dnnl::softmax_v2_forward::primitive_desc& pd)
      : slices_(slices_of(call.input(0), call.output(0), axis)), log_(log), src_(pd.src_desc()), dst_(pd.dst_desc()),
        impl_(impl_name(pd)), primitive_(pd) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    primitive_.execute(queue.stream(), {{DNNL_ARG_SRC, dnnl::memory(src_, engine, data_of(call.inputs[0]))},
                                        {DNNL_ARG_DST, dnnl::memory(dst_, engine, data_of(call.outputs[0]))}});
    queue.stream().wait();
    fix_slices(typed_data<const float>(call.inputs[0]), typed_data<float>(call.outputs[0]));
  }
  // The fix-up pass reads the input after the output is written: an in-place call goes through scratch.
  bool tolerates_identical_alias() const override { return false; }
  std::string describe() const override {
    return std::string(log_ ? "oneDNN log-softmax " : "oneDNN softmax ") + impl_ + " + special-value pass";
  }

 private:
  // Below this, oneDNN's exp may have flushed a result that is still a normal number (its exp returns 0 for
  // arguments just above ln(FLT_MIN)); such elements are recomputed.
  static constexpr float kTiny = 0x1p-124f;

  // One pass over each output slice: a NaN anywhere makes the slice NaN (the spec's rule for NaN inputs and
  // for +inf maxima); tiny results are recomputed as exp(x - max) / sum, with 1 / sum read back from the
  // element at the maximum (where exp(0) = 1).
  void fix_slices(const float* x, float* y) const {
    const Slices& s = slices_;
    for_each_run(
        s.plan,
        [&](const int64_t* offsets, int64_t n) {
          for (int64_t i = 0; i < n; ++i) {
            float* ys = y + offsets[0] + i * s.plan.inner_stride(0);
            const float* xs = x + offsets[1] + i * s.plan.inner_stride(1);
            bool nan = false;
            bool tiny = false;
            for (int64_t j = 0; j < s.length; ++j) {
              const float v = ys[j * s.y_stride];
              nan = nan || v != v;
              tiny = tiny || v < kTiny;
            }
            if (nan) {
              for (int64_t j = 0; j < s.length; ++j) ys[j * s.y_stride] = std::numeric_limits<float>::quiet_NaN();
            } else if (tiny && !log_) {
              int64_t at_max = 0;
              for (int64_t j = 1; j < s.length; ++j) {
                if (xs[j * s.x_stride] > xs[at_max * s.x_stride]) at_max = j;
              }
              const double max = xs[at_max * s.x_stride];
              const double inverse_sum = ys[at_max * s.y_stride];
              for (int64_t j = 0; j < s.length; ++j) {
                if (ys[j * s.y_stride] < kTiny) {
                  ys[j * s.y_stride] = static_cast<float>(std::exp(static_cast<double>(xs[j * s.x_stride]) - max) * inverse_sum);
                }
              }
            }
          }
        },
        std::max<int64_t>(1, kMinElementsPerThread / std::max<int64_t>(s.length, 1)));
  }

  Slices slices_;
  bool log_;
  dnnl::memory::desc src_, dst_;
  std::string impl_;
  dnnl::softmax_v2_forward primitive_;
};

std::unique_ptr<Kernel> try_softmax_primitive(const CallInfo& call, uint32_t axis, dnnl::algorithm algorithm) {
  const keel_tensor_desc_t& x = call.input(0);
  const keel_tensor_desc_t& y = call.output(0);
  if (x.dtype != KEEL_DTYPE_F32 || element_count(x) < kMinPrimitiveElements || x.rank == 0) return nullptr;
  const std::optional<dnnl::memory::desc> src = desc_of(x);
  const std::optional<dnnl::memory::desc> dst = desc_of(y);
  if (!src || !dst) return nullptr;
  try {
    dnnl::softmax_v2_forward::primitive_desc pd(
        dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference, algorithm, *src, *dst,
                                       static_cast<int>(axis)),
        call.device().engine());
    if (is_reference_impl(pd)) return nullptr;
    return std::make_unique<SoftmaxPrimitive>(call, axis, algorithm == dnnl::algorithm::softmax_log, pd);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

template <bool kLog>
std::unique_ptr<Kernel> create_softmax(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  const int64_t raw_axis = kLog ? softmax_axis<keel_log_softmax_attrs_t>(call.attrs())
                                : softmax_axis<keel_softmax_attrs_t>(call.attrs());
  const uint32_t axis = normalize_axis(raw_axis, x.rank);
  const dnnl::algorithm algorithm = kLog ? dnnl::algorithm::softmax_log : dnnl::algorithm::softmax_accurate;
  if (auto primitive = try_softmax_primitive(call, axis, algorithm)) return primitive;
  return visit_float(x.dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<SoftmaxLoop<T>>(call, axis, kLog);
  });
}

constexpr KernelDef kKernels[] = {
    {"softmax", 1, kFloatTypes, nullptr, create_softmax<false>, softmax_key<keel_softmax_attrs_t>},
    {"log_softmax", 1, kFloatTypes, nullptr, create_softmax<true>, softmax_key<keel_log_softmax_attrs_t>},
};

}  // namespace

std::span<const KernelDef> softmax_kernels() { return kKernels; }

}  // namespace keel::onednn
