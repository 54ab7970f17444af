// A host table written by hand, standing in for a libkeel of another ABI version: the ABI layer dlopens
// the plugin itself and calls keel_plugin_init with the version range and table size of an older or newer
// host, then checks what the plugin did (which host slots it called, whether it leaked statuses, what it
// registered).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::conform {

// A plugin library opened with dlopen(RTLD_NOW | RTLD_LOCAL), as the loader opens it.
class PluginLibrary {
 public:
  // nullptr with *error set when the file cannot be opened or lacks an entry point.
  static std::unique_ptr<PluginLibrary> open(const std::string& path, std::string* error);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  keel_plugin_probe_fn probe() const { return probe_; }
  keel_plugin_init_fn init() const { return init_; }

 private:
  PluginLibrary(void* handle, keel_plugin_probe_fn probe_fn, keel_plugin_init_fn init_fn)
      : handle_(handle), probe_(probe_fn), init_(init_fn) {}
  void* handle_;
  keel_plugin_probe_fn probe_;
  keel_plugin_init_fn init_;
};

struct EmulatedHostOptions {
  uint32_t abi_min = KEEL_ABI_VERSION;  // what the init args say the host accepts
  uint32_t abi_max = KEEL_ABI_VERSION;
  // host->struct_size. Every slot is filled regardless, so a plugin that calls a slot beyond the size it
  // was given is caught. May exceed sizeof(keel_host_api_t) by up to kSpareBytes (a newer host).
  size_t table_size = sizeof(keel_host_api_t);
};

// One kernel_register call as the emulated host saw it.
struct SeenRegistration {
  std::string op_name;
  std::string kernel_name;
  uint32_t op_version_min = 0;
  uint32_t op_version_max = 0;
  std::vector<keel_dtype_t> dtypes;
};

class EmulatedHost {
 public:
  static constexpr size_t kSpareBytes = 64;

  explicit EmulatedHost(const EmulatedHostOptions& options);
  EmulatedHost(const EmulatedHost&) = delete;
  EmulatedHost& operator=(const EmulatedHost&) = delete;

  const keel_host_api_t* table() const { return &storage_.table; }

  // Prepares `args` (struct_size, host range) and calls `init` with this host's table. kernel_register is
  // accepted only during this call. The caller releases the returned status with release().
  keel_status_t init(keel_plugin_init_fn init, keel_plugin_init_args_t* args);

  static keel_status_code_t code(keel_status_t status);
  static std::string message(keel_status_t status);
  static void release(keel_status_t status);

  int statuses_live() const { return statuses_created_.load() - statuses_released_.load(); }
  std::vector<SeenRegistration> registrations() const;
  // Rule breaches seen so far: slots called beyond the table's size, malformed registrations,
  // registrations outside init, bad log levels.
  std::vector<std::string> problems() const;

 private:
  struct Storage {
    keel_host_api_t table;
    unsigned char future_slots[kSpareBytes];  // zero: what a newer host's unknown slots look like here
  };

  static keel_status_t status_create(void* host_ctx, keel_status_code_t code, const char* message);
  static keel_status_code_t status_code(keel_status_t status);
  static const char* status_message(keel_status_t status);
  static void status_release(keel_status_t status);
  static void log(void* host_ctx, uint32_t level, const char* message);
  static keel_status_t kernel_register(void* host_ctx, const keel_kernel_registration_t* registration);

  bool covers(size_t slot_end) const { return options_.table_size >= slot_end; }
  void add_problem(std::string problem);

  EmulatedHostOptions options_;
  Storage storage_{};
  std::atomic<bool> in_init_{false};
  std::atomic<int> statuses_created_{0};
  std::atomic<int> statuses_released_{0};
  mutable std::mutex mutex_;  // guards the vectors below
  std::vector<SeenRegistration> registrations_;
  std::vector<std::string> problems_;
};

}  // namespace keel::conform
