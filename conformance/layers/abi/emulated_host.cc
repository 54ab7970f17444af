#include "layers/abi/emulated_host.h"

#include <dlfcn.h>

#include <new>
#include <utility>

namespace keel::conform {
namespace {

// What status_create hands out; keel_status_t is opaque, so any struct of ours will do.
struct EmulatedStatus {
  EmulatedHost* owner;
  keel_status_code_t code;
  std::string message;
};

EmulatedStatus out_of_memory{nullptr, KEEL_STATUS_RESOURCE_EXHAUSTED, "emulated host: out of memory for a status"};

EmulatedStatus* as_emulated(keel_status_t status) { return reinterpret_cast<EmulatedStatus*>(status); }

constexpr size_t kLogEnd = KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, log);
constexpr size_t kKernelRegisterEnd = KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, kernel_register);

}  // namespace

// ---- PluginLibrary ---------------------------------------------------------------------------------------

std::unique_ptr<PluginLibrary> PluginLibrary::open(const std::string& path, std::string* error) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* text = dlerror();
    *error = text ? text : "dlopen failed";
    return nullptr;
  }
  auto probe = reinterpret_cast<keel_plugin_probe_fn>(dlsym(handle, KEEL_PLUGIN_PROBE_SYMBOL));
  auto init = reinterpret_cast<keel_plugin_init_fn>(dlsym(handle, KEEL_PLUGIN_INIT_SYMBOL));
  if (probe == nullptr || init == nullptr) {
    *error = path + " lacks " + (probe == nullptr ? KEEL_PLUGIN_PROBE_SYMBOL : KEEL_PLUGIN_INIT_SYMBOL);
    dlclose(handle);
    return nullptr;
  }
  return std::unique_ptr<PluginLibrary>(new PluginLibrary(handle, probe, init));
}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

// ---- EmulatedHost ----------------------------------------------------------------------------------------

EmulatedHost::EmulatedHost(const EmulatedHostOptions& options) : options_(options) {
  keel_host_api_t& table = storage_.table;
  table.struct_size = options.table_size;
  table.next = nullptr;
  table.abi_version = options.abi_max;
  table.host_ctx = this;
  table.status_create = status_create;
  table.status_code = status_code;
  table.status_message = status_message;
  table.status_release = status_release;
  table.log = log;
  table.kernel_register = kernel_register;
}

keel_status_t EmulatedHost::init(keel_plugin_init_fn init_fn, keel_plugin_init_args_t* args) {
  *args = keel_plugin_init_args_t{};
  args->struct_size = sizeof *args;
  args->host_abi_min = options_.abi_min;
  args->host_abi_max = options_.abi_max;
  in_init_ = true;
  keel_status_t status = init_fn(table(), args);
  in_init_ = false;
  return status;
}

keel_status_code_t EmulatedHost::code(keel_status_t status) { return status_code(status); }

std::string EmulatedHost::message(keel_status_t status) { return status_message(status); }

void EmulatedHost::release(keel_status_t status) { status_release(status); }

std::vector<SeenRegistration> EmulatedHost::registrations() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registrations_;
}

std::vector<std::string> EmulatedHost::problems() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return problems_;
}

void EmulatedHost::add_problem(std::string problem) {
  std::lock_guard<std::mutex> lock(mutex_);
  problems_.push_back(std::move(problem));
}

// The slots below are called by the plugin: they must not throw.

keel_status_t EmulatedHost::status_create(void* host_ctx, keel_status_code_t code, const char* message) {
  auto* host = static_cast<EmulatedHost*>(host_ctx);
  if (code == KEEL_STATUS_OK) return nullptr;
  auto* status = new (std::nothrow) EmulatedStatus{host, code, message ? message : ""};
  if (status == nullptr) return reinterpret_cast<keel_status_t>(&out_of_memory);
  host->statuses_created_ += 1;
  return reinterpret_cast<keel_status_t>(status);
}

keel_status_code_t EmulatedHost::status_code(keel_status_t status) {
  return status == nullptr ? keel_status_code_t{KEEL_STATUS_OK} : as_emulated(status)->code;
}

const char* EmulatedHost::status_message(keel_status_t status) {
  return status == nullptr ? "" : as_emulated(status)->message.c_str();
}

void EmulatedHost::status_release(keel_status_t status) {
  if (status == nullptr || as_emulated(status) == &out_of_memory) return;
  as_emulated(status)->owner->statuses_released_ += 1;
  delete as_emulated(status);
}

void EmulatedHost::log(void* host_ctx, uint32_t level, const char* message) {
  auto* host = static_cast<EmulatedHost*>(host_ctx);
  if (!host->covers(kLogEnd)) host->add_problem("called log, which lies beyond the host table's struct_size");
  if (level > KEEL_LOG_DEBUG) host->add_problem("log: level " + std::to_string(level) + " is not a keel_log_level_e");
  if (message == nullptr) host->add_problem("log: NULL message");
}

keel_status_t EmulatedHost::kernel_register(void* host_ctx, const keel_kernel_registration_t* registration) {
  auto* host = static_cast<EmulatedHost*>(host_ctx);
  std::string problem;
  if (!host->covers(kKernelRegisterEnd)) {
    problem = "called kernel_register, which lies beyond the host table's struct_size";
  } else if (!host->in_init_) {
    problem = "kernel_register called outside keel_plugin_init";
  } else if (registration == nullptr) {
    problem = "kernel_register: NULL registration";
  } else if (!KEEL_STRUCT_HAS(registration->struct_size, keel_kernel_registration_t, kernel_ctx)) {
    problem = "kernel_register: struct_size " + std::to_string(registration->struct_size) + " is below v1.0";
  } else if (registration->op_name == nullptr || registration->op_name[0] == '\0') {
    problem = "kernel_register: no op_name";
  } else if (registration->kernel_name == nullptr) {
    problem = std::string("kernel_register(") + registration->op_name + "): no kernel_name";
  } else if (registration->op_version_min > registration->op_version_max) {
    problem = std::string("kernel_register(") + registration->op_name + "): op_version_min > op_version_max";
  } else if (registration->dtype_count > 0 && registration->dtypes == nullptr) {
    problem = std::string("kernel_register(") + registration->op_name + "): dtype_count without dtypes";
  } else if (registration->api == nullptr ||
             !KEEL_STRUCT_HAS(registration->api->struct_size, keel_kernel_api_t, compute) ||
             registration->api->compute == nullptr) {
    problem = std::string("kernel_register(") + registration->op_name + "): no compute slot";
  } else if (registration->api->create != nullptr &&
             (!KEEL_STRUCT_HAS(registration->api->struct_size, keel_kernel_api_t, release_state) ||
              registration->api->release_state == nullptr)) {
    problem = std::string("kernel_register(") + registration->op_name + "): create without release_state";
  }
  if (!problem.empty()) {
    host->add_problem(problem);
    return status_create(host, KEEL_STATUS_INVALID_ARGUMENT, problem.c_str());
  }
  SeenRegistration seen;
  seen.op_name = registration->op_name;
  seen.kernel_name = registration->kernel_name;
  seen.op_version_min = registration->op_version_min;
  seen.op_version_max = registration->op_version_max;
  seen.dtypes.assign(registration->dtypes, registration->dtypes + registration->dtype_count);
  std::lock_guard<std::mutex> lock(host->mutex_);
  host->registrations_.push_back(std::move(seen));
  return nullptr;
}

}  // namespace keel::conform
