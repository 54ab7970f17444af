// Loads libkeel_reference.so without libkeel: dlopen, probe, init with a test host table that records
// statuses, log lines and kernel registrations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/keel_plugin.h"

namespace keel::reference_test {

// A kernel registration as the test host copied it.
struct RegisteredKernel {
  std::string op_name;
  std::string kernel_name;
  std::vector<keel_dtype_t> dtypes;
  keel_kernel_registration_t registration;  // its pointers refer to the strings above or the plugin
};

class TestHost {
 public:
  TestHost();
  const keel_host_api_t* table() const { return &table_; }
  keel_host_api_t& mutable_table() { return table_; }

  std::vector<RegisteredKernel> kernels;
  std::vector<std::string> log_lines;

  // Reads and releases a status the plugin returned.
  static keel_status_code_t code_of(keel_status_t status);
  static std::string message_of(keel_status_t status);
  static void release(keel_status_t status);
  // How many statuses the test host created and has not seen released.
  static int64_t live_statuses();

 private:
  keel_host_api_t table_;
};

class DirectPlugin {
 public:
  // Loads the library (throws std::runtime_error when it cannot).
  explicit DirectPlugin(const std::string& path);
  ~DirectPlugin();
  DirectPlugin(const DirectPlugin&) = delete;
  DirectPlugin& operator=(const DirectPlugin&) = delete;

  keel_plugin_probe_fn probe = nullptr;
  keel_plugin_init_fn init = nullptr;

  // Runs init with a full host table and the host's ABI range [KEEL_ABI_VERSION, KEEL_ABI_VERSION]; throws
  // when it fails. Afterwards `args` and `host` describe the plugin.
  void initialize();
  const keel_plugin_api_t& api() const { return *args.api; }
  // The registration of `op` (throws when there is none).
  const RegisteredKernel& kernel(const std::string& op) const;
  // The registration of `op`, or nullptr.
  const RegisteredKernel* find_kernel(const std::string& op) const;

  TestHost host;
  keel_plugin_init_args_t args{};

 private:
  void* library_ = nullptr;
  bool initialized_ = false;
};

}  // namespace keel::reference_test
