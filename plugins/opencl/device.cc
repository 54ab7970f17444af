#include "device.h"

#include <utility>

#include "cl/error.h"
#include "handles.h"
#include "kernels/programs.h"
#include "slots.h"

namespace keel::opencl {
namespace {

ClRef<cl_context> create_context(const DeviceInfo& info) {
  const cl_context_properties properties[] = {CL_CONTEXT_PLATFORM,
                                              reinterpret_cast<cl_context_properties>(info.platform), 0};
  cl_int error = CL_SUCCESS;
  ClRef<cl_context> context(clCreateContext(properties, 1, &info.device, nullptr, nullptr, &error));
  check(error, "clCreateContext");
  return context;
}

ClRef<cl_command_queue> create_queue(cl_context context, cl_device_id device) {
  cl_int error = CL_SUCCESS;
  ClRef<cl_command_queue> queue(clCreateCommandQueue(context, device, 0, &error));
  check(error, "clCreateCommandQueue");
  return queue;
}

const char* yes_no(bool value) { return value ? "yes" : "no"; }

std::string milliseconds_text(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", ms);
  return text;
}

}  // namespace

Device::Device(const Host& host, Worker& worker, DeviceInfo info)
    : host_(host),
      worker_(worker),
      info_(std::move(info)),
      context_(create_context(info_)),
      transfer_queue_(create_queue(context_.get(), info_.device)),
      memory_(info_.global_memory, info_.max_allocation, info_.base_alignment),
      programs_(info_, context_.get(), DiskCache::from_environment()) {}

void Device::properties(keel_device_properties_t& inout) const {
  using P = keel_device_properties_t;
  const size_t size = inout.struct_size;
  uint64_t capabilities = KEEL_CAP_ASYNC;
  if (info_.fp64) capabilities |= KEEL_CAP_F64;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = info_.name.c_str();
  if (KEEL_STRUCT_HAS(size, P, vendor)) inout.vendor = info_.vendor.c_str();
  if (KEEL_STRUCT_HAS(size, P, type)) inout.type = info_.type;
  if (KEEL_STRUCT_HAS(size, P, uuid)) {
    for (size_t i = 0; i < 16; ++i) inout.uuid[i] = info_.uuid ? (*info_.uuid)[i] : 0;
  }
  if (KEEL_STRUCT_HAS(size, P, uuid_is_set)) inout.uuid_is_set = info_.uuid ? 1 : 0;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id_is_set)) inout.pci_bus_id_is_set = info_.pci_bus_id ? 1 : 0;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id)) {
    const std::string id = info_.pci_bus_id.value_or("");
    const size_t length = id.size() < sizeof inout.pci_bus_id ? id.size() : sizeof inout.pci_bus_id - 1;
    for (size_t i = 0; i < length; ++i) inout.pci_bus_id[i] = id[i];
    inout.pci_bus_id[length] = '\0';
  }
  if (KEEL_STRUCT_HAS(size, P, memory_bytes)) inout.memory_bytes = info_.global_memory;
  if (KEEL_STRUCT_HAS(size, P, capabilities)) inout.capabilities = capabilities;
  if (KEEL_STRUCT_HAS(size, P, compute_units)) inout.compute_units = info_.compute_units;
  if (KEEL_STRUCT_HAS(size, P, memory_space_count)) inout.memory_space_count = 1;
}

const char* Device::keep(std::string text) {
  const std::lock_guard lock(strings_mutex_);
  return strings_.insert(std::move(text)).first->c_str();
}

void Device::attributes(keel_attribute_t* out, size_t* inout_count) {
  const ProgramCache::Stats stats = programs_.stats();
  const std::vector<ProgramSpec> all = all_programs(info_);
  const keel_attribute_t attributes[] = {
      {"execution", "asynchronous: one in-order cl_command_queue per Keel queue"},
      {"platform", keep(info_.platform_name + " (" + info_.platform_version + ")")},
      {"device_version", keep(info_.device_version)},
      {"driver_version", keep(info_.driver_version)},
      {"opencl_c_version", keep(info_.c_version)},
      {"max_allocation_bytes", keep(std::to_string(info_.max_allocation))},
      {"max_work_group_size", keep(std::to_string(info_.max_work_group))},
      {"local_memory_bytes", keep(std::to_string(info_.local_memory))},
      {"cl_khr_fp64", yes_no(info_.fp64)},
      {"cl_khr_fp16", yes_no(info_.fp16)},
      {"f32_division", info_.correctly_rounded_divide ? "correctly rounded (-cl-fp32-correctly-rounded-divide-sqrt)"
                       : info_.fp64                   ? "correctly rounded (through f64)"
                                                      : "OpenCL default (2.5 ulp)"},
      {"program_build", "lazy: each program is built (or loaded from the cache) on first use"},
      {"program_cache_dir", programs_.disk().enabled() ? keep(programs_.disk().directory()) : "(none)"},
      {"programs_on_disk", keep(concat(programs_.count_on_disk(all), " of ", all.size()))},
      {"programs_built", keep(std::to_string(stats.built))},
      {"programs_loaded_from_cache", keep(std::to_string(stats.loaded))},
      {"programs_rebuilt_after_bad_binary", keep(std::to_string(stats.rebuilt))},
      {"program_build_ms", keep(milliseconds_text(stats.build_ms))},
      {"program_load_ms", keep(milliseconds_text(stats.load_ms))},
  };
  constexpr size_t kCount = sizeof attributes / sizeof attributes[0];
  if (out == nullptr) {
    *inout_count = kCount;
    return;
  }
  const size_t filled = *inout_count < kCount ? *inout_count : kCount;
  for (size_t i = 0; i < filled; ++i) out[i] = attributes[i];
  *inout_count = filled;
}

void Device::keep_until_shutdown(std::shared_ptr<void> object) {
  const std::lock_guard lock(kept_mutex_);
  kept_.push_back(std::move(object));
}

MemorySpace& Device::memory_space(uint32_t index) {
  if (index != 0) fail(KEEL_STATUS_OUT_OF_RANGE, "memory space ", index, " does not exist (the device has 1)");
  return memory_;
}

}  // namespace keel::opencl

using keel::opencl::Device;
using keel::opencl::fail;
using keel::opencl::from_handle;

extern "C" keel_status_t opencl_device_properties(keel_plugin_device_t* handle,
                                                  keel_device_properties_t* inout_properties) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.properties(*inout_properties);
  });
}

extern "C" keel_status_t opencl_device_attributes(keel_plugin_device_t* handle, keel_attribute_t* out_attributes,
                                                  size_t* inout_count) {
  Device& device = *from_handle(handle);
  return device.host().guard("device_attributes", [&] {
    if (inout_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_count is NULL");
    device.attributes(out_attributes, inout_count);
  });
}

extern "C" keel_status_t opencl_memory_space_properties(keel_plugin_device_t* handle, uint32_t memory_space,
                                                        keel_memory_space_properties_t* inout_properties) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_space_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.memory_space(memory_space).properties(*inout_properties);
  });
}

extern "C" keel_status_t opencl_memory_stats(keel_plugin_device_t* handle, uint32_t memory_space,
                                             keel_memory_stats_t* inout_stats) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_stats", [&] {
    if (inout_stats == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_stats is NULL");
    device.memory_space(memory_space).stats(*inout_stats);
  });
}

extern "C" keel_status_t opencl_memory_reset_peak(keel_plugin_device_t* handle, uint32_t memory_space) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_reset_peak", [&] { device.memory_space(memory_space).reset_peak(); });
}
