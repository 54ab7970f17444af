// keel_plugin_probe / keel_plugin_init and the registrations, checked by loading the library with a test
// host table (things libkeel's loader would never let a test do: NULL hosts, old structs, foreign ABIs).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/backend.h"
#include "harness/direct_plugin.h"
#include "spec/op_schema.h"

namespace keel::reference_test {
namespace {

struct InitResult {
  keel_status_code_t code = KEEL_STATUS_OK;
  std::string message;
};

InitResult init_with(DirectPlugin& plugin, const keel_host_api_t* host, keel_plugin_init_args_t* args) {
  keel_status_t status = plugin.init(host, args);
  InitResult result{TestHost::code_of(status), TestHost::message_of(status)};
  TestHost::release(status);
  return result;
}

keel_plugin_init_args_t fresh_args() {
  keel_plugin_init_args_t args{};
  args.struct_size = sizeof args;
  args.host_abi_min = KEEL_ABI_VERSION;
  args.host_abi_max = KEEL_ABI_VERSION;
  return args;
}

TEST(PluginEntry, ProbeReportsOneBuild) {
  DirectPlugin plugin(reference_plugin_path());
  EXPECT_EQ(plugin.probe(), 1);
}

TEST(PluginEntry, InitFillsEverySlotAndNamesItself) {
  DirectPlugin plugin(reference_plugin_path());
  plugin.initialize();
  EXPECT_EQ(plugin.args.plugin_abi_version, KEEL_ABI_VERSION);
  EXPECT_STREQ(plugin.args.plugin_name, "reference");
  EXPECT_NE(plugin.args.plugin_version, nullptr);
  EXPECT_NE(plugin.args.plugin_ctx, nullptr);
  const keel_plugin_api_t& api = plugin.api();
  EXPECT_GE(api.struct_size, KEEL_PLUGIN_API_SIZE_V1_0);
  // Every slot from shutdown to buffer_import_host is set.
  const auto* slots = reinterpret_cast<void* const*>(&api.shutdown);
  const size_t slot_count = (KEEL_PLUGIN_API_SIZE_V1_0 - offsetof(keel_plugin_api_t, shutdown)) / sizeof(void*);
  for (size_t i = 0; i < slot_count; ++i) EXPECT_NE(slots[i], nullptr) << "slot " << i;
  ASSERT_EQ(plugin.host.log_lines.size(), 1u);
  const std::string expected = std::to_string(plugin.host.kernels.size()) + " kernels";
  EXPECT_NE(plugin.host.log_lines[0].find(expected), std::string::npos) << plugin.host.log_lines[0];
}

TEST(PluginEntry, NullHostLeavesApiNullAndReturnsNull) {
  DirectPlugin plugin(reference_plugin_path());
  keel_plugin_init_args_t args = fresh_args();
  args.api = reinterpret_cast<const keel_plugin_api_t*>(&args);  // garbage the plugin must clear
  EXPECT_EQ(plugin.init(nullptr, &args), nullptr);
  EXPECT_EQ(args.api, nullptr);
  EXPECT_EQ(plugin.init(nullptr, nullptr), nullptr);
}

TEST(PluginEntry, HostWithoutStatusCreationCannotReport) {
  DirectPlugin plugin(reference_plugin_path());
  TestHost host;
  host.mutable_table().struct_size = offsetof(keel_host_api_t, status_create);  // ends before status_create
  keel_plugin_init_args_t args = fresh_args();
  EXPECT_EQ(plugin.init(host.table(), &args), nullptr);
  EXPECT_EQ(args.api, nullptr);
}

TEST(PluginEntry, NullArgsIsInvalidArgument) {
  DirectPlugin plugin(reference_plugin_path());
  const InitResult result = init_with(plugin, plugin.host.table(), nullptr);
  EXPECT_EQ(result.code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(result.message.find("args"), std::string::npos) << result.message;
}

TEST(PluginEntry, ArgsTooSmallIsInvalidArgument) {
  DirectPlugin plugin(reference_plugin_path());
  keel_plugin_init_args_t args = fresh_args();
  args.struct_size = offsetof(keel_plugin_init_args_t, plugin_name);
  const InitResult result = init_with(plugin, plugin.host.table(), &args);
  EXPECT_EQ(result.code, KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(result.message.find("struct_size"), std::string::npos) << result.message;
  EXPECT_TRUE(plugin.host.kernels.empty());
}

TEST(PluginEntry, ForeignMajorIsFailedPreconditionNamingBothVersions) {
  DirectPlugin plugin(reference_plugin_path());
  keel_plugin_init_args_t args = fresh_args();
  args.host_abi_min = KEEL_MAKE_VERSION(2, 0);
  args.host_abi_max = KEEL_MAKE_VERSION(2, 3);
  const InitResult result = init_with(plugin, plugin.host.table(), &args);
  EXPECT_EQ(result.code, KEEL_STATUS_FAILED_PRECONDITION);
  EXPECT_NE(result.message.find("2.0"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("2.3"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("1.0"), std::string::npos) << result.message;
  EXPECT_EQ(args.api, nullptr);
}

TEST(PluginEntry, HostRequiringANewerMinorIsFailedPrecondition) {
  DirectPlugin plugin(reference_plugin_path());
  keel_plugin_init_args_t args = fresh_args();
  args.host_abi_min = KEEL_MAKE_VERSION(1, 1);
  args.host_abi_max = KEEL_MAKE_VERSION(1, 4);
  EXPECT_EQ(init_with(plugin, plugin.host.table(), &args).code, KEEL_STATUS_FAILED_PRECONDITION);
}

TEST(PluginEntry, NewerHostMinorIsAccepted) {
  DirectPlugin plugin(reference_plugin_path());
  keel_plugin_init_args_t args = fresh_args();
  args.host_abi_min = KEEL_MAKE_VERSION(1, 0);
  args.host_abi_max = KEEL_MAKE_VERSION(1, 7);
  ASSERT_EQ(init_with(plugin, plugin.host.table(), &args).code, KEEL_STATUS_OK);
  EXPECT_EQ(args.plugin_abi_version, KEEL_ABI_VERSION);
  args.api->shutdown(args.plugin_ctx);
}

TEST(PluginEntry, HostWithoutKernelRegistrationIsFailedPrecondition) {
  DirectPlugin plugin(reference_plugin_path());
  TestHost host;
  host.mutable_table().struct_size = offsetof(keel_host_api_t, kernel_register);
  keel_plugin_init_args_t args = fresh_args();
  const InitResult result = init_with(plugin, host.table(), &args);
  EXPECT_EQ(result.code, KEEL_STATUS_FAILED_PRECONDITION);
  EXPECT_NE(result.message.find("kernel_register"), std::string::npos) << result.message;
}

TEST(PluginEntry, RefusedRegistrationFailsInitWithTheHostsReason) {
  DirectPlugin plugin(reference_plugin_path());
  TestHost host;
  host.mutable_table().kernel_register = [](void* ctx, const keel_kernel_registration_t*) {
    return static_cast<TestHost*>(ctx)->table()->status_create(ctx, KEEL_STATUS_ALREADY_EXISTS, "taken");
  };
  keel_plugin_init_args_t args = fresh_args();
  const InitResult result = init_with(plugin, host.table(), &args);
  EXPECT_EQ(result.code, KEEL_STATUS_ALREADY_EXISTS);
  EXPECT_NE(result.message.find("registering reference."), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("taken"), std::string::npos) << result.message;
  EXPECT_EQ(args.api, nullptr);
}

// One registration per primitive operator of the spec (plus relu and not_equal, composites the plugin also runs
// directly), each for exactly the dtypes the spec allows for the operator's primary type variable.
TEST(PluginEntry, RegistersEveryPrimitiveForEveryDtypeTheSpecAllows) {
  DirectPlugin plugin(reference_plugin_path());
  plugin.initialize();
  std::set<std::string> registered;
  for (const RegisteredKernel& kernel : plugin.host.kernels) {
    SCOPED_TRACE(kernel.op_name);
    EXPECT_TRUE(registered.insert(kernel.op_name).second) << kernel.op_name << " registered twice";
    EXPECT_EQ(kernel.kernel_name, "reference." + kernel.op_name);
    EXPECT_EQ(kernel.registration.op_version_min, 1u);
    EXPECT_EQ(kernel.registration.op_version_max, 1u);
    EXPECT_EQ(kernel.registration.priority, 0);
    EXPECT_EQ(kernel.registration.layout_flags, KEEL_KERNEL_ANY_STRIDES);
    ASSERT_NE(kernel.registration.api, nullptr);
    EXPECT_NE(kernel.registration.api->compute, nullptr);
    EXPECT_EQ(kernel.registration.api->create, nullptr);
    const spec::OpSchema* op = spec::find_op(kernel.op_name);
    ASSERT_NE(op, nullptr) << kernel.op_name << " is not a spec operator";
    const spec::TypeVar& primary = op->type_vars[0];
    EXPECT_EQ(std::set<keel_dtype_t>(kernel.dtypes.begin(), kernel.dtypes.end()),
              std::set<keel_dtype_t>(primary.dtypes, primary.dtypes + primary.dtype_count));
  }
  std::set<std::string> expected = {"relu", "not_equal"};
  for (const spec::OpSchema& op : spec::all_ops()) {
    if (!op.composite()) expected.insert(op.name);
  }
  EXPECT_EQ(registered, expected);
}

TEST(PluginEntry, TwoInitsAreIndependent) {
  DirectPlugin first(reference_plugin_path());
  DirectPlugin second(reference_plugin_path());
  first.initialize();
  second.initialize();
  EXPECT_NE(first.args.plugin_ctx, second.args.plugin_ctx);
  EXPECT_EQ(first.host.kernels.size(), second.host.kernels.size());
}

}  // namespace
}  // namespace keel::reference_test
