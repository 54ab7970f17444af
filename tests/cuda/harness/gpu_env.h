// The environment of the GPU tests: one runtime holding the CUDA plugin (the device under test) and the
// reference plugin (the oracle). Without a usable CUDA device every test skips and says why.
//
// KEEL_CUDA_TEST_DEVICE=<plugin> puts another plugin's device under test instead (the operator suites use
// it with "reference" to check the harness itself on machines without a GPU).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/host_values.h"
#include "keel_test_support.h"

namespace keel::cuda_test {

using keel::test::Buffer;
using keel::test::Event;
using keel::test::Queue;
using keel::test::Runtime;

class GpuEnvironment {
 public:
  static GpuEnvironment& get();

  keel_runtime_t* runtime() const { return runtime_.get(); }
  keel_device_t* device() const { return device_; }  // NULL when unavailable
  keel_device_t* oracle() const { return oracle_; }
  const std::string& unavailable() const { return unavailable_; }
  const std::string& device_plugin() const { return device_plugin_; }
  bool testing_cuda() const { return device_plugin_ == "cuda"; }

 private:
  GpuEnvironment();
  Runtime runtime_;
  keel_device_t* device_ = nullptr;
  keel_device_t* oracle_ = nullptr;
  std::string device_plugin_;
  std::string unavailable_;
};

// Skips (with the reason) when there is no device to test.
class GpuTest : public ::testing::Test {
 protected:
  void SetUp() override;
  GpuEnvironment& env() const { return GpuEnvironment::get(); }
  keel_device_t* device() const { return env().device(); }
  keel_device_t* oracle() const { return env().oracle(); }
};

// How a tensor is laid out in its buffer.
enum class Layout { kDense, kOffset, kTransposed, kStrided, kReversed };
const char* name_of(Layout layout);

// A tensor in a buffer of some device.
struct DeviceTensor {
  Buffer buffer;
  keel_tensor_t tensor{};
};

// Allocates a buffer for `shape` laid out as `layout` and writes `values` (converted to `dtype`) into the
// view's elements; the other bytes of the buffer hold 0xa5.
DeviceTensor upload(keel_device_t* device, keel_dtype_t dtype, const HostValues& values, Layout layout);
// An output of `dtype` and `shape` laid out as `layout`, every byte 0xa5.
DeviceTensor allocate(keel_device_t* device, keel_dtype_t dtype, const Dims& shape, Layout layout);
// The view's elements in row-major order. A tensor on another plugin's device is first copied to the oracle's
// device with keel_buffer_copy, so results travel the way frameworks move them between plugins.
HostValues download(const DeviceTensor& tensor);
// The view's raw element bytes in row-major order.
std::vector<std::byte> download_bytes(const DeviceTensor& tensor);

// Runs `op` on `device` (a fresh queue, synchronized) with outputs shaped as keel_op_infer says, laid out as
// `out_layout`. Fails the test on error.
std::vector<DeviceTensor> run_op(keel_device_t* device, const char* op, const void* attrs,
                                 const std::vector<DeviceTensor*>& inputs, Layout out_layout);
// NULL when `device` accepts the call (buffers may be absent), else its status.
keel::test::Status supports(keel_device_t* device, const char* op, const void* attrs,
                            const std::vector<DeviceTensor*>& inputs);

}  // namespace keel::cuda_test
