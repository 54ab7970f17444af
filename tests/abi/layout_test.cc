// The frozen layouts of ABI v1, written out by hand: a field that moves, grows or changes type fails to
// compile here. Offsets are for LP64 Linux (x86-64, AArch64), the platforms Keel builds on.
#include <gtest/gtest.h>

#include <cstddef>

#include "keel/keel_plugin.h"
#include "keel/keel_runtime.h"

namespace {

static_assert(sizeof(void*) == 8 && sizeof(size_t) == 8, "the offsets below are written for LP64");

#define EXPECT_OFFSET(type, field, offset) static_assert(offsetof(type, field) == (offset), #type "." #field)

// ---- keel_types.h ----
EXPECT_OFFSET(keel_ext_t, struct_size, 0);
EXPECT_OFFSET(keel_ext_t, type, 8);
EXPECT_OFFSET(keel_ext_t, next, 16);
static_assert(sizeof(keel_ext_t) == 24);

EXPECT_OFFSET(keel_tensor_desc_t, dtype, 0);
EXPECT_OFFSET(keel_tensor_desc_t, rank, 4);
EXPECT_OFFSET(keel_tensor_desc_t, shape, 8);
EXPECT_OFFSET(keel_tensor_desc_t, strides, 72);
EXPECT_OFFSET(keel_tensor_desc_t, byte_offset, 136);
EXPECT_OFFSET(keel_tensor_desc_t, buffer, 144);
EXPECT_OFFSET(keel_tensor_desc_t, data, 152);
static_assert(sizeof(keel_tensor_desc_t) == 160);

EXPECT_OFFSET(keel_device_properties_t, struct_size, 0);
EXPECT_OFFSET(keel_device_properties_t, next, 8);
EXPECT_OFFSET(keel_device_properties_t, name, 16);
EXPECT_OFFSET(keel_device_properties_t, vendor, 24);
EXPECT_OFFSET(keel_device_properties_t, type, 32);
EXPECT_OFFSET(keel_device_properties_t, uuid, 36);
EXPECT_OFFSET(keel_device_properties_t, uuid_is_set, 52);
EXPECT_OFFSET(keel_device_properties_t, pci_bus_id_is_set, 53);
EXPECT_OFFSET(keel_device_properties_t, pci_bus_id, 54);
EXPECT_OFFSET(keel_device_properties_t, memory_bytes, 72);
EXPECT_OFFSET(keel_device_properties_t, capabilities, 80);
EXPECT_OFFSET(keel_device_properties_t, compute_units, 88);
EXPECT_OFFSET(keel_device_properties_t, memory_space_count, 92);
static_assert(sizeof(keel_device_properties_t) == 96);

EXPECT_OFFSET(keel_attribute_t, key, 0);
EXPECT_OFFSET(keel_attribute_t, value, 8);

EXPECT_OFFSET(keel_memory_space_properties_t, name, 16);
EXPECT_OFFSET(keel_memory_space_properties_t, kind, 24);
EXPECT_OFFSET(keel_memory_space_properties_t, host_accessible, 28);
EXPECT_OFFSET(keel_memory_space_properties_t, capacity_bytes, 32);
EXPECT_OFFSET(keel_memory_space_properties_t, min_alignment, 40);
static_assert(sizeof(keel_memory_space_properties_t) == 48);

EXPECT_OFFSET(keel_memory_stats_t, struct_size, 0);
EXPECT_OFFSET(keel_memory_stats_t, bytes_in_use, 8);
EXPECT_OFFSET(keel_memory_stats_t, bytes_limit, 16);
EXPECT_OFFSET(keel_memory_stats_t, peak_bytes_in_use, 24);
EXPECT_OFFSET(keel_memory_stats_t, allocation_count, 32);
static_assert(sizeof(keel_memory_stats_t) == 40);

EXPECT_OFFSET(keel_buffer_allocate_args_t, memory_space, 16);
EXPECT_OFFSET(keel_buffer_allocate_args_t, flags, 20);
EXPECT_OFFSET(keel_buffer_allocate_args_t, size, 24);
EXPECT_OFFSET(keel_buffer_allocate_args_t, alignment, 32);
static_assert(sizeof(keel_buffer_allocate_args_t) == 40);

EXPECT_OFFSET(keel_queue_create_args_t, flags, 16);
EXPECT_OFFSET(keel_queue_create_args_t, priority, 20);
static_assert(sizeof(keel_queue_create_args_t) == 24);

// ---- keel_plugin.h: kernels ----
EXPECT_OFFSET(keel_kernel_call_t, device, 16);
EXPECT_OFFSET(keel_kernel_call_t, op_name, 24);
EXPECT_OFFSET(keel_kernel_call_t, op_version, 32);
EXPECT_OFFSET(keel_kernel_call_t, attrs, 40);
EXPECT_OFFSET(keel_kernel_call_t, inputs, 48);
EXPECT_OFFSET(keel_kernel_call_t, input_count, 56);
EXPECT_OFFSET(keel_kernel_call_t, outputs, 64);
EXPECT_OFFSET(keel_kernel_call_t, output_count, 72);
static_assert(sizeof(keel_kernel_call_t) == 80);

EXPECT_OFFSET(keel_kernel_api_t, struct_size, 0);
EXPECT_OFFSET(keel_kernel_api_t, supports, 8);
EXPECT_OFFSET(keel_kernel_api_t, create, 16);
EXPECT_OFFSET(keel_kernel_api_t, compute, 24);
EXPECT_OFFSET(keel_kernel_api_t, release_state, 32);
static_assert(sizeof(keel_kernel_api_t) == 40);

EXPECT_OFFSET(keel_kernel_registration_t, op_name, 16);
EXPECT_OFFSET(keel_kernel_registration_t, op_version_min, 24);
EXPECT_OFFSET(keel_kernel_registration_t, op_version_max, 28);
EXPECT_OFFSET(keel_kernel_registration_t, kernel_name, 32);
EXPECT_OFFSET(keel_kernel_registration_t, priority, 40);
EXPECT_OFFSET(keel_kernel_registration_t, dtypes, 48);
EXPECT_OFFSET(keel_kernel_registration_t, dtype_count, 56);
EXPECT_OFFSET(keel_kernel_registration_t, layout_flags, 64);
EXPECT_OFFSET(keel_kernel_registration_t, api, 72);
EXPECT_OFFSET(keel_kernel_registration_t, kernel_ctx, 80);
static_assert(sizeof(keel_kernel_registration_t) == 88);

// ---- keel_plugin.h: the host table ----
EXPECT_OFFSET(keel_host_api_t, struct_size, 0);
EXPECT_OFFSET(keel_host_api_t, next, 8);
EXPECT_OFFSET(keel_host_api_t, abi_version, 16);
EXPECT_OFFSET(keel_host_api_t, host_ctx, 24);
EXPECT_OFFSET(keel_host_api_t, status_create, 32);
EXPECT_OFFSET(keel_host_api_t, status_code, 40);
EXPECT_OFFSET(keel_host_api_t, status_message, 48);
EXPECT_OFFSET(keel_host_api_t, status_release, 56);
EXPECT_OFFSET(keel_host_api_t, log, 64);
EXPECT_OFFSET(keel_host_api_t, kernel_register, 72);
static_assert(sizeof(keel_host_api_t) == 80);

// ---- keel_plugin.h: the plugin table, one pointer per slot ----
EXPECT_OFFSET(keel_plugin_api_t, struct_size, 0);
EXPECT_OFFSET(keel_plugin_api_t, next, 8);
EXPECT_OFFSET(keel_plugin_api_t, shutdown, 16);
EXPECT_OFFSET(keel_plugin_api_t, device_count, 24);
EXPECT_OFFSET(keel_plugin_api_t, device_get, 32);
EXPECT_OFFSET(keel_plugin_api_t, device_properties, 40);
EXPECT_OFFSET(keel_plugin_api_t, device_attributes, 48);
EXPECT_OFFSET(keel_plugin_api_t, memory_space_properties, 56);
EXPECT_OFFSET(keel_plugin_api_t, buffer_allocate, 64);
EXPECT_OFFSET(keel_plugin_api_t, buffer_release, 72);
EXPECT_OFFSET(keel_plugin_api_t, buffer_write, 80);
EXPECT_OFFSET(keel_plugin_api_t, buffer_read, 88);
EXPECT_OFFSET(keel_plugin_api_t, buffer_copy, 96);
EXPECT_OFFSET(keel_plugin_api_t, memory_stats, 104);
EXPECT_OFFSET(keel_plugin_api_t, memory_reset_peak, 112);
EXPECT_OFFSET(keel_plugin_api_t, queue_create, 120);
EXPECT_OFFSET(keel_plugin_api_t, queue_release, 128);
EXPECT_OFFSET(keel_plugin_api_t, queue_write, 136);
EXPECT_OFFSET(keel_plugin_api_t, queue_read, 144);
EXPECT_OFFSET(keel_plugin_api_t, queue_copy, 152);
EXPECT_OFFSET(keel_plugin_api_t, queue_fill, 160);
EXPECT_OFFSET(keel_plugin_api_t, queue_host_callback, 168);
EXPECT_OFFSET(keel_plugin_api_t, queue_signal, 176);
EXPECT_OFFSET(keel_plugin_api_t, queue_wait, 184);
EXPECT_OFFSET(keel_plugin_api_t, queue_synchronize, 192);
EXPECT_OFFSET(keel_plugin_api_t, event_create, 200);
EXPECT_OFFSET(keel_plugin_api_t, event_release, 208);
EXPECT_OFFSET(keel_plugin_api_t, event_signal, 216);
EXPECT_OFFSET(keel_plugin_api_t, event_query, 224);
EXPECT_OFFSET(keel_plugin_api_t, event_host_wait, 232);
EXPECT_OFFSET(keel_plugin_api_t, event_fail, 240);
EXPECT_OFFSET(keel_plugin_api_t, buffer_import_host, 248);
static_assert(KEEL_PLUGIN_API_SIZE_V1_0 == 256);
static_assert(sizeof(keel_plugin_api_t) == KEEL_PLUGIN_API_SIZE_V1_0, "update when a minor appends a slot");

EXPECT_OFFSET(keel_plugin_init_args_t, struct_size, 0);
EXPECT_OFFSET(keel_plugin_init_args_t, next, 8);
EXPECT_OFFSET(keel_plugin_init_args_t, host_abi_min, 16);
EXPECT_OFFSET(keel_plugin_init_args_t, host_abi_max, 20);
EXPECT_OFFSET(keel_plugin_init_args_t, plugin_abi_version, 24);
EXPECT_OFFSET(keel_plugin_init_args_t, plugin_name, 32);
EXPECT_OFFSET(keel_plugin_init_args_t, plugin_version, 40);
EXPECT_OFFSET(keel_plugin_init_args_t, plugin_ctx, 48);
EXPECT_OFFSET(keel_plugin_init_args_t, api, 56);
static_assert(sizeof(keel_plugin_init_args_t) == 64);

// ---- keel_runtime.h ----
EXPECT_OFFSET(keel_runtime_options_t, plugin_paths, 16);
EXPECT_OFFSET(keel_runtime_options_t, plugin_path_count, 24);
EXPECT_OFFSET(keel_runtime_options_t, skip_env_path, 32);
EXPECT_OFFSET(keel_runtime_options_t, skip_manifests, 33);
EXPECT_OFFSET(keel_runtime_options_t, manifest_dir, 40);
static_assert(sizeof(keel_runtime_options_t) == 48);

EXPECT_OFFSET(keel_loader_entry_t, path, 8);
EXPECT_OFFSET(keel_loader_entry_t, real_path, 16);
EXPECT_OFFSET(keel_loader_entry_t, origin, 24);
EXPECT_OFFSET(keel_loader_entry_t, outcome, 32);
EXPECT_OFFSET(keel_loader_entry_t, reason, 40);
EXPECT_OFFSET(keel_loader_entry_t, plugin_name, 48);
EXPECT_OFFSET(keel_loader_entry_t, plugin_version, 56);
EXPECT_OFFSET(keel_loader_entry_t, plugin_abi_version, 64);
EXPECT_OFFSET(keel_loader_entry_t, negotiated_abi_version, 68);
EXPECT_OFFSET(keel_loader_entry_t, probe_score, 72);
EXPECT_OFFSET(keel_loader_entry_t, load_time_ns, 80);
static_assert(sizeof(keel_loader_entry_t) == 88);

EXPECT_OFFSET(keel_plugin_info_t, name, 8);
EXPECT_OFFSET(keel_plugin_info_t, abi_version, 32);
EXPECT_OFFSET(keel_plugin_info_t, probe_score, 40);
EXPECT_OFFSET(keel_plugin_info_t, device_count, 48);
EXPECT_OFFSET(keel_plugin_info_t, kernel_count, 56);
static_assert(sizeof(keel_plugin_info_t) == 64);

EXPECT_OFFSET(keel_kernel_info_t, op_version_min, 24);
EXPECT_OFFSET(keel_kernel_info_t, priority, 32);
EXPECT_OFFSET(keel_kernel_info_t, dtypes, 40);
EXPECT_OFFSET(keel_kernel_info_t, layout_flags, 56);
static_assert(sizeof(keel_kernel_info_t) == 64);

EXPECT_OFFSET(keel_tensor_t, buffer, 0);
EXPECT_OFFSET(keel_tensor_t, dtype, 8);
EXPECT_OFFSET(keel_tensor_t, rank, 12);
EXPECT_OFFSET(keel_tensor_t, shape, 16);
EXPECT_OFFSET(keel_tensor_t, strides, 80);
EXPECT_OFFSET(keel_tensor_t, byte_offset, 144);
static_assert(sizeof(keel_tensor_t) == 152);

EXPECT_OFFSET(keel_op_info_t, version, 24);
EXPECT_OFFSET(keel_op_info_t, group, 32);
EXPECT_OFFSET(keel_op_info_t, input_count, 48);
EXPECT_OFFSET(keel_op_info_t, variadic_input, 64);
EXPECT_OFFSET(keel_op_info_t, differentiable, 65);

#undef EXPECT_OFFSET

// ---- Values that cross the ABI ----
static_assert(KEEL_STATUS_OK == 0 && KEEL_STATUS_CANCELLED == 1 && KEEL_STATUS_INVALID_ARGUMENT == 2 &&
              KEEL_STATUS_NOT_FOUND == 3 && KEEL_STATUS_ALREADY_EXISTS == 4 && KEEL_STATUS_PERMISSION_DENIED == 5 &&
              KEEL_STATUS_RESOURCE_EXHAUSTED == 6 && KEEL_STATUS_FAILED_PRECONDITION == 7 &&
              KEEL_STATUS_OUT_OF_RANGE == 8 && KEEL_STATUS_UNIMPLEMENTED == 9 && KEEL_STATUS_INTERNAL == 10 &&
              KEEL_STATUS_UNAVAILABLE == 11 && KEEL_STATUS_DEVICE_LOST == 12 && KEEL_STATUS_DATA_LOSS == 13);
static_assert(KEEL_DTYPE_BOOL == 1 && KEEL_DTYPE_I8 == 2 && KEEL_DTYPE_U8 == 3 && KEEL_DTYPE_I32 == 4 &&
              KEEL_DTYPE_I64 == 5 && KEEL_DTYPE_F16 == 6 && KEEL_DTYPE_BF16 == 7 && KEEL_DTYPE_F32 == 8 &&
              KEEL_DTYPE_F64 == 9);
static_assert(KEEL_DEVICE_TYPE_CPU == 1 && KEEL_DEVICE_TYPE_GPU == 2 && KEEL_DEVICE_TYPE_IGPU == 3 &&
              KEEL_DEVICE_TYPE_NPU == 4 && KEEL_DEVICE_TYPE_ACCEL == 5);
static_assert(KEEL_MEMORY_KIND_DEVICE == 0 && KEEL_MEMORY_KIND_HOST_PINNED == 1 && KEEL_MEMORY_KIND_UNIFIED == 2);
static_assert(KEEL_LOADER_ACCEPTED == 0 && KEEL_LOADER_REJECTED == 1 && KEEL_LOADER_DUPLICATE == 2 &&
              KEEL_LOADER_SUPERSEDED == 3);
static_assert(KEEL_LOG_ERROR == 0 && KEEL_LOG_WARNING == 1 && KEEL_LOG_INFO == 2 && KEEL_LOG_DEBUG == 3);
static_assert(KEEL_CAP_ASYNC == 1 && KEEL_CAP_HOST_PINNED == 2 && KEEL_CAP_UNIFIED == 4 &&
              KEEL_CAP_IMPORT_HOST_PTR == 8 && KEEL_CAP_GRAPHS == 16 && KEEL_CAP_COLLECTIVES == 32 &&
              KEEL_CAP_F16 == 64 && KEEL_CAP_BF16 == 128 && KEEL_CAP_F64 == 256 && KEEL_CAP_INT8 == 512);
static_assert(KEEL_ALLOCATE_ZERO_INIT == 1 && KEEL_KERNEL_CONTIGUOUS_ONLY == 1 && KEEL_KERNEL_ANY_STRIDES == 0);
static_assert(KEEL_WAIT_INFINITE == UINT64_MAX && KEEL_MAX_RANK == 8);

// ---- Version and struct-size macros ----
static_assert(KEEL_MAKE_VERSION(1, 7) == 0x00010007u);
static_assert(KEEL_MAKE_VERSION(1, 0x10005) == 0x00010005u, "the minor is masked to 16 bits");
static_assert(KEEL_VERSION_MAJOR(0x00020003u) == 2 && KEEL_VERSION_MINOR(0x00020003u) == 3);
static_assert(KEEL_ABI_VERSION == KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, KEEL_ABI_VERSION_MINOR));
static_assert(KEEL_STRUCT_SIZE_UNTIL(keel_plugin_api_t, event_fail) == 248);
static_assert(KEEL_STRUCT_HAS(KEEL_PLUGIN_API_SIZE_V1_0, keel_plugin_api_t, buffer_import_host));
static_assert(!KEEL_STRUCT_HAS(KEEL_STRUCT_SIZE_UNTIL(keel_plugin_api_t, event_fail), keel_plugin_api_t,
                               buffer_import_host));
static_assert(KEEL_STRUCT_HAS(KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, log), keel_host_api_t, log));
static_assert(!KEEL_STRUCT_HAS(KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, log), keel_host_api_t, kernel_register));

// ---- keel_abi_compatible ----
struct CompatibilityCase {
  uint32_t host_min;
  uint32_t host_max;
  uint32_t plugin;
  bool compatible;
};

constexpr uint32_t V(uint32_t major, uint32_t minor) { return KEEL_MAKE_VERSION(major, minor); }

// Each row: host [min, max], plugin version, whether they can talk.
// clang-format off
constexpr CompatibilityCase kCompatibilityCases[] = {
    {V(1, 0), V(1, 0), V(1, 0),      true},
    {V(1, 0), V(1, 0), V(1, 7),      true},   // a newer minor works at the host's 1.0
    {V(1, 0), V(1, 0), V(1, 0xffff), true},
    {V(1, 0), V(1, 3), V(1, 2),      true},   // an older minor inside the host's range
    {V(1, 2), V(1, 3), V(1, 2),      true},
    {V(1, 2), V(1, 3), V(1, 1),      false},  // older than the host still supports
    {V(1, 0), V(1, 0), V(2, 0),      false},  // another major, either way
    {V(1, 0), V(1, 0), V(0, 9),      false},
    {V(0, 1), V(0, 9), V(1, 0),      false},
    {V(2, 0), V(2, 3), V(1, 9),      false},
    {V(2, 0), V(2, 3), V(2, 5),      true},
    {V(1, 0), V(1, 0), 0,            false},  // a plugin that never said
};
// clang-format on

TEST(AbiCompatibleTest, TruthTable) {
  for (const CompatibilityCase& c : kCompatibilityCases) {
    EXPECT_EQ(keel_abi_compatible(c.host_min, c.host_max, c.plugin) != 0, c.compatible)
        << std::hex << "host [" << c.host_min << ", " << c.host_max << "], plugin " << c.plugin;
  }
}

TEST(AbiCompatibleTest, LibkeelImplementsTheHeadersVersion) {
  EXPECT_EQ(keel_abi_version(), static_cast<uint32_t>(KEEL_ABI_VERSION));
}

}  // namespace
