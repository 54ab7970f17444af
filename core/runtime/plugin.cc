#include "runtime/plugin.h"

#include <algorithm>

#include "common/log.h"
#include "loader/host_api.h"

namespace keel {

bool KernelEntry::accepts_dtype(keel_dtype_t dtype) const {
  return dtypes.empty() || std::find(dtypes.begin(), dtypes.end(), dtype) != dtypes.end();
}

}  // namespace keel

keel_plugin_s::keel_plugin_s() = default;

keel_plugin_s::~keel_plugin_s() { shutdown(); }

void keel_plugin_s::index_kernels() {
  const auto ops = keel::spec::all_ops();
  kernels_by_op.assign(ops.size(), {});
  for (const keel::KernelEntry& kernel : kernels) {
    kernels_by_op[static_cast<size_t>(kernel.op - ops.data())].push_back(&kernel);
  }
  for (auto& list : kernels_by_op) {
    std::stable_sort(list.begin(), list.end(), [](const keel::KernelEntry* a, const keel::KernelEntry* b) {
      return a->priority != b->priority ? a->priority > b->priority : a->order < b->order;
    });
  }
}

void keel_plugin_s::shutdown() {
  if (shut_down_ || api == nullptr) {
    return;
  }
  shut_down_ = true;
  auto fn = slot(&keel_plugin_api_t::shutdown);
  if (fn == nullptr) {
    return;
  }
  try {
    fn(ctx);
  } catch (...) {
    keel::log::write(KEEL_LOG_ERROR, name, "shutdown threw a C++ exception; ignored");
  }
}
