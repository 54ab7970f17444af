#include "direct_plugin.h"

#include <dlfcn.h>

#include <atomic>
#include <stdexcept>

namespace keel::reference_test {
namespace {

struct TestStatus {
  keel_status_code_t code;
  std::string message;
};

std::atomic<int64_t> g_live_statuses{0};

TestHost& host_of(void* host_ctx) { return *static_cast<TestHost*>(host_ctx); }

keel_status_t test_status_create(void* /*host_ctx*/, keel_status_code_t code, const char* message) {
  if (code == KEEL_STATUS_OK) return nullptr;
  g_live_statuses += 1;
  return reinterpret_cast<keel_status_t>(new TestStatus{code, message == nullptr ? "" : message});
}

keel_status_code_t test_status_code(keel_status_t status) {
  if (status == nullptr) return KEEL_STATUS_OK;
  return reinterpret_cast<TestStatus*>(status)->code;
}

const char* test_status_message(keel_status_t status) {
  return status == nullptr ? "" : reinterpret_cast<TestStatus*>(status)->message.c_str();
}

void test_status_release(keel_status_t status) {
  if (status == nullptr) return;
  g_live_statuses -= 1;
  delete reinterpret_cast<TestStatus*>(status);
}

void test_log(void* host_ctx, uint32_t /*level*/, const char* message) {
  host_of(host_ctx).log_lines.emplace_back(message);
}

keel_status_t test_kernel_register(void* host_ctx, const keel_kernel_registration_t* registration) {
  RegisteredKernel kernel;
  kernel.op_name = registration->op_name;
  kernel.kernel_name = registration->kernel_name;
  kernel.dtypes.assign(registration->dtypes, registration->dtypes + registration->dtype_count);
  kernel.registration = *registration;
  // The registration's strings and arrays are only borrowed for the call; the copies above replace them.
  kernel.registration.op_name = nullptr;
  kernel.registration.kernel_name = nullptr;
  kernel.registration.dtypes = nullptr;
  host_of(host_ctx).kernels.push_back(std::move(kernel));
  return nullptr;
}

}  // namespace

TestHost::TestHost() : table_{} {
  table_.struct_size = sizeof(keel_host_api_t);
  table_.abi_version = KEEL_ABI_VERSION;
  table_.host_ctx = this;
  table_.status_create = test_status_create;
  table_.status_code = test_status_code;
  table_.status_message = test_status_message;
  table_.status_release = test_status_release;
  table_.log = test_log;
  table_.kernel_register = test_kernel_register;
}

keel_status_code_t TestHost::code_of(keel_status_t status) { return test_status_code(status); }
std::string TestHost::message_of(keel_status_t status) { return test_status_message(status); }
void TestHost::release(keel_status_t status) { test_status_release(status); }
int64_t TestHost::live_statuses() { return g_live_statuses.load(); }

DirectPlugin::DirectPlugin(const std::string& path) {
  library_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library_ == nullptr) throw std::runtime_error("dlopen " + path + ": " + dlerror());
  probe = reinterpret_cast<keel_plugin_probe_fn>(dlsym(library_, KEEL_PLUGIN_PROBE_SYMBOL));
  init = reinterpret_cast<keel_plugin_init_fn>(dlsym(library_, KEEL_PLUGIN_INIT_SYMBOL));
  if (probe == nullptr || init == nullptr) throw std::runtime_error(path + " lacks an entry point");
}

DirectPlugin::~DirectPlugin() {
  if (initialized_ && args.api != nullptr) args.api->shutdown(args.plugin_ctx);
  if (library_ != nullptr) dlclose(library_);
}

void DirectPlugin::initialize() {
  args = {};
  args.struct_size = sizeof args;
  args.host_abi_min = KEEL_ABI_VERSION;
  args.host_abi_max = KEEL_ABI_VERSION;
  keel_status_t status = init(host.table(), &args);
  if (status != nullptr) {
    const std::string message = TestHost::message_of(status);
    TestHost::release(status);
    throw std::runtime_error("keel_plugin_init failed: " + message);
  }
  if (args.api == nullptr) throw std::runtime_error("keel_plugin_init left api NULL");
  initialized_ = true;
}

const RegisteredKernel* DirectPlugin::find_kernel(const std::string& op) const {
  for (const RegisteredKernel& kernel : host.kernels) {
    if (kernel.op_name == op) return &kernel;
  }
  return nullptr;
}

const RegisteredKernel& DirectPlugin::kernel(const std::string& op) const {
  const RegisteredKernel* found = find_kernel(op);
  if (found == nullptr) throw std::runtime_error("no kernel registered for " + op);
  return *found;
}

}  // namespace keel::reference_test
