#include "loader/host_api.h"

#include <algorithm>
#include <memory>
#include <string>

#include "common/log.h"
#include "status/status.h"

namespace keel::loader {
namespace {

HostContext& context_of(void* host_ctx) { return *static_cast<HostContext*>(host_ctx); }

keel_status_t host_status_create(void* host_ctx, keel_status_code_t code, const char* message) {
  try {
    return make_status(code, message != nullptr ? message : "", context_of(host_ctx).source);
  } catch (...) {
    return out_of_memory_status();
  }
}

keel_status_code_t host_status_code(keel_status_t status) {
  return status == nullptr ? keel_status_code_t{KEEL_STATUS_OK} : status->code;
}

const char* host_status_message(keel_status_t status) {
  return status == nullptr ? "" : status->message.c_str();
}

void host_status_release(keel_status_t status) { release_status(status); }

void host_log(void* host_ctx, uint32_t level, const char* message) {
  try {
    log::write(level, context_of(host_ctx).source, message != nullptr ? message : "");
  } catch (...) {
    // Logging must never fail the caller.
  }
}

// Copies the slots of a kernel table that its struct_size covers.
keel_kernel_api_t copy_kernel_api(const keel_kernel_api_t& api) {
  keel_kernel_api_t copy{};
  copy.struct_size = sizeof(copy);
  if (KEEL_STRUCT_HAS(api.struct_size, keel_kernel_api_t, supports)) copy.supports = api.supports;
  if (KEEL_STRUCT_HAS(api.struct_size, keel_kernel_api_t, create)) copy.create = api.create;
  if (KEEL_STRUCT_HAS(api.struct_size, keel_kernel_api_t, compute)) copy.compute = api.compute;
  if (KEEL_STRUCT_HAS(api.struct_size, keel_kernel_api_t, release_state)) copy.release_state = api.release_state;
  return copy;
}

keel_status_t refuse(HostContext& host, keel_status_code_t code, const std::string& message) {
  ++host.refused_registrations;
  log::write(KEEL_LOG_INFO, host.source, "kernel registration refused: " + message);
  return make_status(code, "kernel_register: " + message, "keel");
}

keel_status_t register_kernel(HostContext& host, const keel_kernel_registration_t* reg) {
  if (!host.registration_open) {
    return refuse(host, KEEL_STATUS_FAILED_PRECONDITION, "kernels can only be registered during keel_plugin_init");
  }
  if (reg == nullptr || reg->struct_size < KEEL_STRUCT_SIZE_UNTIL(keel_kernel_registration_t, kernel_ctx)) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT,
                  "registration is NULL or its struct_size is smaller than ABI 1.0 defines");
  }
  if (reg->op_name == nullptr) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, "op_name is NULL");
  }
  const spec::OpSchema* op = spec::find_op(reg->op_name);
  if (op == nullptr) {
    return refuse(host, KEEL_STATUS_NOT_FOUND,
                  std::string("unknown operator '") + reg->op_name + "' (spec " + spec::spec_version() + ")");
  }
  const std::string what = std::string("operator '") + reg->op_name + "'";
  if (reg->api == nullptr || reg->api->struct_size < KEEL_STRUCT_SIZE_UNTIL(keel_kernel_api_t, compute)) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, what + ": api is NULL or too small to hold compute");
  }
  KernelEntry entry;
  entry.api = copy_kernel_api(*reg->api);
  if (entry.api.compute == nullptr) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, what + ": compute is NULL");
  }
  if (entry.api.create != nullptr && entry.api.release_state == nullptr) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, what + ": create is set but release_state is NULL");
  }
  if (reg->op_version_min > reg->op_version_max) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, what + ": op_version_min is above op_version_max");
  }
  if (reg->dtype_count > 0 && reg->dtypes == nullptr) {
    return refuse(host, KEEL_STATUS_INVALID_ARGUMENT, what + ": dtype_count > 0 but dtypes is NULL");
  }
  entry.op = op;
  entry.op_name = op->name;
  entry.kernel_name = reg->kernel_name != nullptr ? reg->kernel_name : host.source + "." + op->name;
  entry.op_version_min = reg->op_version_min;
  entry.op_version_max = reg->op_version_max;
  entry.priority = reg->priority;
  entry.dtypes.assign(reg->dtypes, reg->dtypes + reg->dtype_count);
  entry.layout_flags = reg->layout_flags;
  entry.ctx = reg->kernel_ctx;
  entry.order = host.kernels->size();
  host.kernels->push_back(std::move(entry));
  return nullptr;
}

keel_status_t host_kernel_register(void* host_ctx, const keel_kernel_registration_t* registration) {
  return guarded("kernel_register", [&] { return register_kernel(context_of(host_ctx), registration); });
}

}  // namespace

uint32_t host_abi_min() { return KEEL_MAKE_VERSION(1, 0); }
uint32_t host_abi_max() { return KEEL_ABI_VERSION; }

std::unique_ptr<HostContext> make_host_context(std::string source, std::vector<KernelEntry>* kernels) {
  auto host = std::make_unique<HostContext>();
  host->source = std::move(source);
  host->kernels = kernels;
  keel_host_api_t& table = host->table;
  table.struct_size = sizeof(keel_host_api_t);
  table.next = nullptr;
  table.abi_version = KEEL_ABI_VERSION;
  table.host_ctx = host.get();
  table.status_create = host_status_create;
  table.status_code = host_status_code;
  table.status_message = host_status_message;
  table.status_release = host_status_release;
  table.log = host_log;
  table.kernel_register = host_kernel_register;
  return host;
}

}  // namespace keel::loader
