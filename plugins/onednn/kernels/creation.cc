// full and arange (creation.yaml): tensors made from attributes alone. Both read their attributes at run
// time, so one prepared kernel serves every value.
#include <array>
#include <cmath>
#include <cstring>

#include "attrs.h"
#include "convert.h"
#include "copy.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "loop_kernel.h"

namespace keel::onednn {
namespace {

// Every element is `value` converted from f64 with the rules of cast: one conversion, then a broadcast copy.
class Full final : public Kernel {
 public:
  explicit Full(const CallInfo& call) : plan_(plan_loop(call.output(0), {&scalar_})), dtype_(call.output(0).dtype) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    constexpr keel_full_attrs_t kDefaults = KEEL_FULL_ATTRS_INIT;
    const double value = read_attrs(call.attrs, kDefaults, &keel_full_attrs_t::value).value;
    uint64_t bits = 0;
    visit_every(dtype_, [&]<class T>(Tag<T>) {
      const T converted = convert<T>(value);
      std::memcpy(&bits, &converted, sizeof converted);
    });
    copy_planned(plan_, dtype_size(dtype_), data_of(call.outputs[0]), reinterpret_cast<const std::byte*>(&bits));
  }
  std::string describe() const override { return "broadcast fill"; }

 private:
  static constexpr keel_tensor_desc_t scalar_{};  // 0-D: broadcasts to every element
  LoopPlan plan_;
  keel_dtype_t dtype_;
};

// y[i] = start + i * delta in f64 (a product, then a sum: the plugin is built with -ffp-contract=off so
// they are never fused), converted with the rules of cast.
class Arange final : public Kernel {
 public:
  explicit Arange(const CallInfo& call) : count_(element_count(call.output(0))), stride_(call.output(0).strides[0]),
                                          dtype_(call.output(0).dtype) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    constexpr keel_arange_attrs_t kDefaults = KEEL_ARANGE_ATTRS_INIT;
    const auto attrs = read_attrs(call.attrs, kDefaults, &keel_arange_attrs_t::start, &keel_arange_attrs_t::delta);
    visit_every(dtype_, [&]<class T>(Tag<T>) {
      T* y = typed_data<T>(call.outputs[0]);
      const int64_t stride = stride_;
      parallel_ranges(count_, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          const double offset = static_cast<double>(i) * attrs.delta;
          y[i * stride] = convert<T>(attrs.start + offset);
        }
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  int64_t count_;
  int64_t stride_;
  keel_dtype_t dtype_;
};

std::unique_ptr<Kernel> create_full(const CallInfo& call) { return std::make_unique<Full>(call); }
std::unique_ptr<Kernel> create_arange(const CallInfo& call) { return std::make_unique<Arange>(call); }

void supports_full(const CallInfo& call) { require_dtypes(call, kEveryType); }

constexpr std::array<keel_dtype_t, 6> kArangeTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64,  KEEL_DTYPE_I32,
                                                     KEEL_DTYPE_I64, KEEL_DTYPE_F16, KEEL_DTYPE_BF16};

constexpr KernelDef kKernels[] = {
    {"full", 1, kEveryType, supports_full, create_full, nullptr},
    {"arange", 1, kArangeTypes, nullptr, create_arange, nullptr},
};

}  // namespace

std::span<const KernelDef> creation_kernels() { return kKernels; }

}  // namespace keel::onednn
