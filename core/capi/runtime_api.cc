// C entry points: runtime creation, the loader report, plugins and their kernels.
#include <memory>
#include <string>

#include "capi/capi_util.h"
#include "keel/keel_runtime.h"
#include "loader/loader.h"
#include "runtime/runtime.h"

using keel::capi::fill_sized;
using keel::capi::null_argument;

extern "C" {

keel_status_t keel_runtime_create(const keel_runtime_options_t* options, keel_runtime_t** out_runtime) {
  return keel::guarded("keel_runtime_create", [&]() -> keel_status_t {
    if (out_runtime == nullptr) {
      return null_argument("keel_runtime_create", "out_runtime");
    }
    *out_runtime = nullptr;
    keel::loader::DiscoveryOptions discovery;
    if (options != nullptr) {
      if (options->struct_size < KEEL_STRUCT_SIZE_UNTIL(keel_runtime_options_t, plugin_path_count)) {
        return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_runtime_create: options->struct_size is too small");
      }
      if (options->plugin_path_count > 0 && options->plugin_paths == nullptr) {
        return null_argument("keel_runtime_create", "options->plugin_paths");
      }
      for (size_t i = 0; i < options->plugin_path_count; ++i) {
        if (options->plugin_paths[i] == nullptr) {
          return null_argument("keel_runtime_create", "options->plugin_paths[i]");
        }
        discovery.application_paths.emplace_back(options->plugin_paths[i]);
      }
      const size_t size = options->struct_size;
      if (KEEL_STRUCT_HAS(size, keel_runtime_options_t, skip_env_path)) discovery.use_env_path = !options->skip_env_path;
      if (KEEL_STRUCT_HAS(size, keel_runtime_options_t, skip_manifests)) discovery.use_manifests = !options->skip_manifests;
      if (KEEL_STRUCT_HAS(size, keel_runtime_options_t, manifest_dir) && options->manifest_dir != nullptr) {
        discovery.manifest_dir = options->manifest_dir;
      }
    }
    auto runtime = std::make_unique<keel_runtime_s>();
    keel::loader::load_plugins(discovery, *runtime);
    *out_runtime = runtime.release();
    return nullptr;
  });
}

void keel_runtime_release(keel_runtime_t* runtime) {
  if (runtime != nullptr) {
    runtime->release();
  }
}

size_t keel_runtime_loader_entry_count(const keel_runtime_t* runtime) {
  return runtime == nullptr ? 0 : runtime->report.size();
}

keel_status_t keel_runtime_loader_entry(const keel_runtime_t* runtime, size_t index, keel_loader_entry_t* inout_entry) {
  return keel::guarded("keel_runtime_loader_entry", [&]() -> keel_status_t {
    if (runtime == nullptr) {
      return null_argument("keel_runtime_loader_entry", "runtime");
    }
    if (index >= runtime->report.size()) {
      return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, "keel_runtime_loader_entry: index " + std::to_string(index) +
                                                             " is past the " + std::to_string(runtime->report.size()) +
                                                             " entries");
    }
    const keel::LoaderEntry& entry = runtime->report[index];
    keel_loader_entry_t value{};
    value.struct_size = sizeof(value);
    value.path = entry.path.c_str();
    value.real_path = entry.real_path.c_str();
    value.origin = entry.origin.c_str();
    value.outcome = entry.outcome;
    value.reason = entry.reason.c_str();
    value.plugin_name = entry.plugin_name.c_str();
    value.plugin_version = entry.plugin_version.c_str();
    value.plugin_abi_version = entry.plugin_abi_version;
    value.negotiated_abi_version = entry.negotiated_abi_version;
    value.probe_score = entry.probe_score;
    value.load_time_ns = entry.load_time_ns;
    return fill_sized("keel_runtime_loader_entry", "inout_entry", inout_entry, value);
  });
}

size_t keel_runtime_plugin_count(const keel_runtime_t* runtime) {
  return runtime == nullptr ? 0 : runtime->plugins.size();
}

keel_plugin_t* keel_runtime_plugin(const keel_runtime_t* runtime, size_t index) {
  return runtime == nullptr || index >= runtime->plugins.size() ? nullptr : runtime->plugins[index].get();
}

keel_status_t keel_plugin_info(const keel_plugin_t* plugin, keel_plugin_info_t* inout_info) {
  return keel::guarded("keel_plugin_info", [&]() -> keel_status_t {
    if (plugin == nullptr) {
      return null_argument("keel_plugin_info", "plugin");
    }
    keel_plugin_info_t value{};
    value.struct_size = sizeof(value);
    value.name = plugin->name.c_str();
    value.version = plugin->version.c_str();
    value.path = plugin->path.c_str();
    value.abi_version = plugin->abi_version;
    value.negotiated_abi_version = plugin->negotiated_abi_version;
    value.probe_score = plugin->probe_score;
    value.device_count = plugin->devices.size();
    value.kernel_count = plugin->kernels.size();
    return fill_sized("keel_plugin_info", "inout_info", inout_info, value);
  });
}

keel_status_t keel_plugin_kernel_info(const keel_plugin_t* plugin, size_t index, keel_kernel_info_t* inout_info) {
  return keel::guarded("keel_plugin_kernel_info", [&]() -> keel_status_t {
    if (plugin == nullptr) {
      return null_argument("keel_plugin_kernel_info", "plugin");
    }
    if (index >= plugin->kernels.size()) {
      return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, "keel_plugin_kernel_info: index " + std::to_string(index) +
                                                             " is past the plugin's " +
                                                             std::to_string(plugin->kernels.size()) + " kernels");
    }
    const keel::KernelEntry& kernel = plugin->kernels[index];
    keel_kernel_info_t value{};
    value.struct_size = sizeof(value);
    value.op_name = kernel.op_name.c_str();
    value.kernel_name = kernel.kernel_name.c_str();
    value.op_version_min = kernel.op_version_min;
    value.op_version_max = kernel.op_version_max;
    value.priority = kernel.priority;
    value.dtypes = kernel.dtypes.data();
    value.dtype_count = kernel.dtypes.size();
    value.layout_flags = kernel.layout_flags;
    return fill_sized("keel_plugin_kernel_info", "inout_info", inout_info, value);
  });
}

uint8_t keel_plugin_implements_op(const keel_plugin_t* plugin, const keel_op_t* op) {
  if (plugin == nullptr || op == nullptr) {
    return 0;
  }
  const auto* schema = reinterpret_cast<const keel::spec::OpSchema*>(op);
  for (const keel::KernelEntry& kernel : plugin->kernels) {
    if (kernel.op == schema && schema->version >= kernel.op_version_min && schema->version <= kernel.op_version_max) {
      return 1;
    }
  }
  return 0;
}

}  // extern "C"
