// What a case runs against, inside a worker process: a runtime holding the plugin under test and the
// reference plugin (the oracle), the device under test and the reference device.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "keel/keel.hpp"

namespace keel::conform {

struct WorkerOptions {
  std::string plugin_path;    // the plugin under test (a library path)
  std::string reference_path; // the reference plugin
  size_t device_index = 0;    // which device of the plugin under test
  bool quick = false;         // --quick: stress cases run fewer rounds
};

class WorkerContext {
 public:
  // Loads both plugins; throws keel::Error or std::runtime_error when either is missing or rejected.
  explicit WorkerContext(WorkerOptions options);
  WorkerContext(const WorkerContext&) = delete;
  WorkerContext& operator=(const WorkerContext&) = delete;

  const WorkerOptions& options() const { return options_; }
  const Runtime& runtime() const { return runtime_; }
  keel_plugin_t* dut_plugin() const { return dut_plugin_; }
  keel_plugin_t* reference_plugin() const { return reference_plugin_; }
  Device dut() const { return Device(dut_device_); }
  Device reference() const { return Device(reference_device_); }
  bool dut_is_reference() const { return dut_plugin_ == reference_plugin_; }
  // The real path of the plugin under test, as the loader resolved it.
  const std::string& dut_real_path() const { return dut_real_path_; }

  // Cases of one group run one after another on one worker; a layer may keep one object for the group in
  // progress here (inputs and references shared by its cases). Moving to another group drops it.
  std::shared_ptr<void>& group_slot(const std::string& group);

 private:
  WorkerOptions options_;
  Runtime runtime_;
  keel_plugin_t* dut_plugin_ = nullptr;
  keel_plugin_t* reference_plugin_ = nullptr;
  keel_device_t* dut_device_ = nullptr;
  keel_device_t* reference_device_ = nullptr;
  std::string dut_real_path_;
  std::string group_;
  std::shared_ptr<void> group_data_;
};

}  // namespace keel::conform
