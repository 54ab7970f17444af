// where (selection.yaml): y = cond ? a : b with broadcasting of all three. Elements are moved as machine
// words of their size, so every bit survives (NaN payloads, -0), for every dtype.
#include "dtype.h"
#include "kernels.h"
#include "loop_kernel.h"
#include "scalar_ops.h"

namespace keel::onednn {
namespace {

template <class Word>
std::unique_ptr<Kernel> where_words(const CallInfo& call) {
  return std::make_unique<TernaryLoop<Word, bool, Word, Word, ops::Where>>(call);
}

std::unique_ptr<Kernel> create_where(const CallInfo& call) {
  switch (dtype_size(call.output(0).dtype)) {
    case 1: return where_words<uint8_t>(call);
    case 2: return where_words<uint16_t>(call);
    case 4: return where_words<uint32_t>(call);
    case 8: return where_words<uint64_t>(call);
    default: unsupported_dtype(call.output(0).dtype);
  }
}

constexpr KernelDef kKernels[] = {
    {"where", 1, kDataTypes, nullptr, create_where, nullptr},
};

}  // namespace

std::span<const KernelDef> select_kernels() { return kKernels; }

}  // namespace keel::onednn
