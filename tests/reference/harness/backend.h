// What the reference tests need from "something that runs operators on the reference plugin". Two
// implementations: libkeel's C API (keel_runtime.h), the path frameworks take, and DirectPlugin, which loads
// the library itself with a test host table (so the plugin is also checked without libkeel in between).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keel/keel_status.h"
#include "keel/keel_types.h"

namespace keel::reference_test {

// How a call ended: code OK, or the code and message of the status it returned.
struct Outcome {
  keel_status_code_t code = KEEL_STATUS_OK;
  std::string message;
  bool ok() const { return code == KEEL_STATUS_OK; }
};

// A strided view into a buffer that a Backend allocated.
struct DeviceTensor {
  void* buffer = nullptr;  // the backend's buffer handle
  uint64_t buffer_size = 0;
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;  // in elements
  uint64_t byte_offset = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;

  // Failures of these throw std::runtime_error (the test fails with the message).
  virtual void* allocate(uint64_t bytes) = 0;
  virtual void release(void* buffer) = 0;
  virtual void write(void* buffer, const std::vector<std::byte>& bytes) = 0;
  virtual std::vector<std::byte> read(void* buffer, uint64_t size) = 0;

  // Whether run() can execute `op` at all: the direct backend reaches only the plugin's own kernels, libkeel
  // also runs composites through the core's lowering.
  virtual bool can_run(const std::string& op) const = 0;

  // Runs a spec operator and waits for it.
  virtual Outcome run(const std::string& op, const void* attrs, const std::vector<DeviceTensor>& inputs,
                      const std::vector<DeviceTensor>& outputs) = 0;
};

// "libkeel" or "direct".
std::unique_ptr<Backend> make_backend(const std::string& kind);

// Where the build put the plugin.
std::string reference_plugin_path();

}  // namespace keel::reference_test
