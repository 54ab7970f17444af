// cast (cast.yaml): every dtype to every dtype, with the rules of convert.h. A cast to the same dtype copies
// bits. The 16-bit floats are included: converting them needs no oneDNN (whose f32 -> bf16 conversion
// flushes subnormals to zero, which the spec does not allow).
#include <array>

#include "copy.h"
#include "convert.h"
#include "dtype.h"
#include "kernels.h"
#include "loop_kernel.h"

namespace keel::onednn {
namespace {

template <class To>
struct ConvertTo {
  template <class From>
  To operator()(From x) const {
    return convert<To>(x);
  }
};

class SameTypeCopy final : public Kernel {
 public:
  explicit SameTypeCopy(const CallInfo& call)
      : plan_(plan_loop(call.output(0), {&call.input(0)})), size_(dtype_size(call.output(0).dtype)) {}
  void run(Queue&, const keel_kernel_call_t& call) const override {
    copy_planned(plan_, size_, data_of(call.outputs[0]), data_of(call.inputs[0]));
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "bit copy"; }

 private:
  LoopPlan plan_;
  size_t size_;
};

std::unique_ptr<Kernel> create_cast(const CallInfo& call) {
  const keel_dtype_t from = call.input(0).dtype;
  const keel_dtype_t to = call.output(0).dtype;
  if (from == to) return std::make_unique<SameTypeCopy>(call);
  return visit_every(to, [&]<class To>(Tag<To>) -> std::unique_ptr<Kernel> {
    return visit_every(from, [&]<class From>(Tag<From>) -> std::unique_ptr<Kernel> {
      return std::make_unique<UnaryLoop<To, From, ConvertTo<To>>>(call);
    });
  });
}

void supports_cast(const CallInfo& call) { require_dtypes(call, kEveryType); }

constexpr KernelDef kKernels[] = {
    {"cast", 1, kEveryType, supports_cast, create_cast, nullptr},
};

}  // namespace

std::span<const KernelDef> cast_kernels() { return kKernels; }

}  // namespace keel::onednn
