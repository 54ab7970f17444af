#include "registry.h"

#include <array>
#include <cstring>

#include "device.h"
#include "handles.h"
#include "kernels.h"
#include "queue.h"
#include "scratch_output.h"

namespace keel::onednn {
namespace {

using Entry = Registry::Entry;

void check_call(const keel_kernel_call_t* call) {
  if (call == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "call is NULL");
  if (!KEEL_STRUCT_HAS(call->struct_size, keel_kernel_call_t, output_count)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the call struct has size ", call->struct_size, "; ABI 1.0 needs ",
         KEEL_STRUCT_SIZE_UNTIL(keel_kernel_call_t, output_count));
  }
  for (size_t i = 0; i < call->input_count + call->output_count; ++i) {
    const keel_tensor_desc_t& t = i < call->input_count ? call->inputs[i] : call->outputs[i - call->input_count];
    if (t.rank > KEEL_MAX_RANK) fail(KEEL_STATUS_INVALID_ARGUMENT, "a tensor has rank ", t.rank);
  }
}

SignatureKey key_of(const Entry& entry, const keel_kernel_call_t& call) {
  SignatureKey key;
  key.push(reinterpret_cast<intptr_t>(entry.def));
  key.push(call.op_version);
  key.push_tensors({call.inputs, call.input_count});
  key.push_tensors({call.outputs, call.output_count});
  if (entry.def->attr_key != nullptr) entry.def->attr_key(call.attrs, key);
  return key;
}

// The kernel for the call's signature, from the plugin's cache or newly built, with a reference for the
// caller.
const Kernel* acquire_kernel(const Entry& entry, const keel_kernel_call_t& call) {
  Registry& registry = *entry.registry;
  const SignatureKey key = key_of(entry, call);
  if (const Kernel* cached = registry.cache().find(key)) return cached;
  keel_kernel_call_t shapes_only = call;  // create() never sees data, whatever the caller passed
  std::array<keel_tensor_desc_t, 16> descs{};
  const size_t total = call.input_count + call.output_count;
  std::vector<keel_tensor_desc_t> many;
  keel_tensor_desc_t* storage = descs.data();
  if (total > descs.size()) {
    many.resize(total);
    storage = many.data();
  }
  for (size_t i = 0; i < total; ++i) {
    storage[i] = i < call.input_count ? call.inputs[i] : call.outputs[i - call.input_count];
    storage[i].buffer = nullptr;
    storage[i].data = nullptr;
  }
  shapes_only.inputs = storage;
  shapes_only.outputs = storage + call.input_count;
  const CallInfo info(shapes_only, registry.device());
  if (entry.def->supports != nullptr) entry.def->supports(info);
  std::unique_ptr<Kernel> built = entry.def->create(info);
  built->record_extents(shapes_only);
  registry.host().log(KEEL_LOG_DEBUG, concat(entry.name, ": prepared a signature: ", built->describe()));
  const Kernel* stored = registry.cache().insert(key, built.get());
  built.release()->release();  // the cache (or the kernel another thread stored first) now owns it
  return stored;
}

}  // namespace

void Registry::register_all() {
  const std::span<const KernelDef> groups[] = {
      unary_kernels(),   binary_kernels(),   compare_kernels(), select_kernels(),   cast_kernels(),
      creation_kernels(), reduce_kernels(),  softmax_kernels(), matmul_kernels(),   layout_kernels(),
      conv_kernels(),    pooling_kernels(),  indexing_kernels(), scatter_kernels(), shape_kernels(),
      scan_sort_kernels(), resample_kernels(), random_kernels(), optimizer_kernels()};
  size_t count = 0;
  for (const auto& group : groups) count += group.size();
  entries_.clear();
  entries_.reserve(count);  // the host keeps pointers to the entries: they must not move
  for (const auto& group : groups) {
    for (const KernelDef& def : group) entries_.push_back(Entry{this, &def, concat("onednn.", def.op)});
  }
  extern const keel_kernel_api_t kOnednnKernelApi;
  const auto register_slot = host_.kernel_register_slot();
  size_t registered = 0;
  for (Entry& entry : entries_) {
    const keel_kernel_registration_t registration = {
        .struct_size = sizeof(keel_kernel_registration_t),
        .next = nullptr,
        .op_name = entry.def->op,
        .op_version_min = entry.def->version,
        .op_version_max = entry.def->version,
        .kernel_name = entry.name.c_str(),
        .priority = kPriority,
        .dtypes = entry.def->dtypes.data(),
        .dtype_count = entry.def->dtypes.size(),
        .layout_flags = KEEL_KERNEL_ANY_STRIDES,
        .api = &kOnednnKernelApi,
        .kernel_ctx = &entry,
    };
    if (keel_status_t status = register_slot(host_.context(), &registration)) {
      Error error = host_.consume(status, concat("registering ", entry.name));
      if (error.code() != KEEL_STATUS_NOT_FOUND) throw error;
      host_.log(KEEL_LOG_DEBUG, concat(error.message(), " (skipped: the host's spec lacks the operator)"));
      continue;
    }
    ++registered;
  }
  host_.log(KEEL_LOG_DEBUG, concat("registered ", registered, " of ", entries_.size(), " kernels"));
}

}  // namespace keel::onednn

using keel::onednn::acquire_kernel;
using keel::onednn::check_call;
using keel::onednn::CallInfo;
using keel::onednn::Kernel;
using keel::onednn::Queue;
using keel::onednn::Registry;

extern "C" {

// The host files the answer under the kernel's name, so the message does not repeat it.
static keel_status_t onednn_kernel_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  const auto& entry = *static_cast<const Registry::Entry*>(kernel_ctx);
  return entry.registry->host().guard("", [&] {
    check_call(call);
    if (entry.def->supports != nullptr) entry.def->supports(CallInfo(*call, entry.registry->device()));
  });
}

static keel_status_t onednn_kernel_create(void* kernel_ctx, const keel_kernel_call_t* call, void** out_state) {
  const auto& entry = *static_cast<const Registry::Entry*>(kernel_ctx);
  return entry.registry->host().guard(entry.name.c_str(), [&] {
    if (out_state == nullptr) keel::onednn::fail(KEEL_STATUS_INVALID_ARGUMENT, "out_state is NULL");
    *out_state = nullptr;
    check_call(call);
    *out_state = const_cast<Kernel*>(acquire_kernel(entry, *call));
  });
}

static keel_status_t onednn_kernel_compute(void* kernel_ctx, void* state, keel_plugin_queue_t* queue_handle,
                                           const keel_kernel_call_t* call) {
  const auto& entry = *static_cast<const Registry::Entry*>(kernel_ctx);
  return entry.registry->host().guard(entry.name.c_str(), [&] {
    Queue& queue = *keel::onednn::from_handle(queue_handle);
    if (queue.poisoned()) return;  // skipped: it depends on work that failed (keel_plugin.h queue rules)
    const Kernel* kernel = static_cast<const Kernel*>(state);
    const Kernel* owned = nullptr;
    if (kernel == nullptr) {  // a host that does not call create(): build (or find) the kernel now
      check_call(call);
      kernel = owned = acquire_kernel(entry, *call);
    }
    try {
      keel::onednn::run_checked(*kernel, queue, *call);
    } catch (...) {
      if (owned != nullptr) owned->release();
      throw;
    }
    if (owned != nullptr) owned->release();
  });
}

static void onednn_kernel_release_state(void* /*kernel_ctx*/, void* state) {
  if (state != nullptr) static_cast<const Kernel*>(state)->release();
}

}  // extern "C"

namespace keel::onednn {

// Shared by every registration; kernel_ctx tells them apart.
extern const keel_kernel_api_t kOnednnKernelApi;
const keel_kernel_api_t kOnednnKernelApi = {
    .struct_size = sizeof(keel_kernel_api_t),
    .supports = onednn_kernel_supports,
    .create = onednn_kernel_create,
    .compute = onednn_kernel_compute,
    .release_state = onednn_kernel_release_state,
};

}  // namespace keel::onednn
