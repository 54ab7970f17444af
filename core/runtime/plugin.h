// A loaded plugin: its library, its function table, its kernels and devices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"
#include "keel/keel_runtime.h"
#include "loader/plugin_library.h"
#include "spec/op_schema.h"

namespace keel {

// One kernel a plugin registered (copied from keel_kernel_registration_t).
struct KernelEntry {
  const spec::OpSchema* op = nullptr;
  std::string op_name;
  std::string kernel_name;
  uint32_t op_version_min = 0;
  uint32_t op_version_max = 0;
  int32_t priority = 0;
  std::vector<keel_dtype_t> dtypes; // empty: every dtype the spec allows
  uint32_t layout_flags = 0;
  keel_kernel_api_t api{};          // copied slot by slot; slots beyond the plugin's struct_size are NULL
  void* ctx = nullptr;
  size_t order = 0;                 // registration order, breaks priority ties

  bool accepts_dtype(keel_dtype_t dtype) const;
};

namespace loader {
struct HostContext;
}

}  // namespace keel

struct keel_device_s;

struct keel_plugin_s {
  std::string name;
  std::string version;
  std::string path; // real path of the library
  uint32_t abi_version = 0;
  uint32_t negotiated_abi_version = 0;
  int32_t probe_score = 0;

  std::unique_ptr<keel::loader::PluginLibrary> library;
  std::unique_ptr<keel::loader::HostContext> host; // the host table handed to the plugin; outlives it
  void* ctx = nullptr;
  const keel_plugin_api_t* api = nullptr;
  std::vector<keel::KernelEntry> kernels;
  // kernels_by_op[op index in spec::all_ops()] = kernels for that op, best first.
  std::vector<std::vector<const keel::KernelEntry*>> kernels_by_op;
  std::vector<keel_device_s*> devices; // owned by the runtime

  keel_plugin_s();
  ~keel_plugin_s();

  // The slot when the plugin's table is large enough to hold it, else nullptr.
  template <class Fn>
  Fn slot(Fn keel_plugin_api_t::*member) const {
    static const keel_plugin_api_t layout{};
    const size_t offset = static_cast<size_t>(reinterpret_cast<const char*>(&(layout.*member)) -
                                              reinterpret_cast<const char*>(&layout));
    return api != nullptr && api->struct_size >= offset + sizeof(Fn) ? api->*member : nullptr;
  }

  // Groups and orders `kernels` into kernels_by_op.
  void index_kernels();
  // Calls the plugin's shutdown (once), guarding against exceptions.
  void shutdown();

 private:
  bool shut_down_ = false;
};
