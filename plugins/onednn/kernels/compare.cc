// Comparisons with broadcasting, bool results: equal not_equal less less_equal greater greater_equal
// (comparison.yaml). NaN compares unequal to everything and false in every ordering; +0 equals -0.
//
// Plain loops: oneDNN 2.6's binary comparisons are correct but only have its reference implementation.
#include "dtype.h"
#include "kernels.h"
#include "loop_kernel.h"
#include "scalar_ops.h"

namespace keel::onednn {
namespace {

template <class Op>
std::unique_ptr<Kernel> compare_loop(const CallInfo& call) {
  return visit_all(call.input(0).dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<BinaryLoop<bool, T, T, Op>>(call);
  });
}

constexpr KernelDef kKernels[] = {
    {"equal", 1, kAllTypes, nullptr, compare_loop<ops::Equal>, nullptr},
    {"not_equal", 1, kAllTypes, nullptr, compare_loop<ops::NotEqual>, nullptr},
    {"less", 1, kNumericTypes, nullptr, compare_loop<ops::Less>, nullptr},
    {"less_equal", 1, kNumericTypes, nullptr, compare_loop<ops::LessEqual>, nullptr},
    {"greater", 1, kNumericTypes, nullptr, compare_loop<ops::Greater>, nullptr},
    {"greater_equal", 1, kNumericTypes, nullptr, compare_loop<ops::GreaterEqual>, nullptr},
};

}  // namespace

std::span<const KernelDef> compare_kernels() { return kKernels; }

}  // namespace keel::onednn
