// The harness of the OpenCL plugin tests: one runtime holding both the OpenCL and the reference plugin,
// host tensors, placing them on a device in dense and strided layouts, and running an operator on either
// device. Data reaches the OpenCL device through the reference plugin and keel_buffer_copy, so every
// transfer also exercises the cross-plugin copy path.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "keel/keel_ops.h"
#include "keel/keel_runtime.h"
#include "keel_test_support.h"

namespace keel::opencl_test {

using keel::test::Buffer;
using keel::test::CodeOf;
using keel::test::Event;
using keel::test::IsOk;
using keel::test::Queue;
using keel::test::Runtime;
using keel::test::Status;

std::string opencl_plugin_path();
std::string reference_plugin_path();

// The runtime shared by the tests of a process: created before the first test, released after the last.
struct Devices {
  Runtime runtime;
  keel_device_t* opencl = nullptr;     // "opencl:0", or NULL when the plugin found no device
  keel_device_t* reference = nullptr;  // "reference:0"
  Queue opencl_queue;
  Queue reference_queue;
  std::string why_no_opencl;  // the loader's reason when opencl is NULL

  static Devices& get();
};

// Skips the test, with the loader's reason, when there is no OpenCL device.
#define KEEL_REQUIRE_OPENCL()                                                                       \
  do {                                                                                             \
    if (::keel::opencl_test::Devices::get().opencl == nullptr) {                                   \
      GTEST_SKIP() << "no OpenCL device: " << ::keel::opencl_test::Devices::get().why_no_opencl; \
    }                                                                                              \
  } while (0)

// A dense row-major tensor in host memory.
struct Tensor {
  keel_dtype_t dtype = KEEL_DTYPE_F32;
  std::vector<int64_t> shape;
  std::vector<unsigned char> bytes;

  int64_t count() const;
  size_t element_size() const { return keel_dtype_size(dtype); }
  // Element i converted to double (bool and integers exactly as far as double can).
  double number(int64_t i) const;
  // The raw bits of element i (zero-extended).
  uint64_t bits(int64_t i) const;
  std::string text(int64_t i) const;  // for messages
};

Tensor make_tensor(keel_dtype_t dtype, std::vector<int64_t> shape);
// Every element from `values` (converted with C++ rules, which the callers keep in range).
Tensor tensor_of(keel_dtype_t dtype, std::vector<int64_t> shape, const std::vector<double>& values);
// Element i set from a double (with C++ conversion) or raw bits.
void set_number(Tensor& t, int64_t i, double value);
void set_bits(Tensor& t, int64_t i, uint64_t bits);
// f32 → f64 (exact) for the f64 oracle; other dtypes unchanged.
Tensor widened(const Tensor& t);
Tensor absolute(const Tensor& t);  // |x| elementwise (floats and integers)

// How a tensor sits in its device buffer.
enum class Layout {
  kDense,       // row-major
  kTransposed,  // column-major: strides in reversed order
  kPadded,      // row-major rows with a gap after each, starting a few elements into the buffer
  kReversed,    // axis 0 walked backwards (negative stride)
};
const char* layout_name(Layout layout);

// A tensor placed on a device: its buffer and the view the operator sees.
struct Placed {
  Buffer buffer;
  keel_tensor_t view{};
};

Placed place(keel_device_t* device, const Tensor& t, Layout layout);
// An output view of the given dtype and shape; its buffer starts filled with 0xA5 bytes.
Placed place_output(keel_device_t* device, keel_dtype_t dtype, const std::vector<int64_t>& shape, Layout layout);
Tensor fetch(const Placed& placed);

// How a run ended, and what it produced.
struct Result {
  keel_status_code_t code = KEEL_STATUS_OK;
  std::string message;
  std::vector<Tensor> outputs;
  bool ok() const { return code == KEEL_STATUS_OK; }
};

// Runs `op` on `device` (its queue from Devices) with the inputs in `layouts` (one per input, or empty for
// dense) and the outputs in `output_layout`, then synchronizes and reads the outputs back.
Result run(keel_device_t* device, const std::string& op, const void* attrs, const std::vector<Tensor>& inputs,
           const std::vector<Layout>& layouts = {}, Layout output_layout = Layout::kDense);

keel_queue_t* queue_of(keel_device_t* device);

}  // namespace keel::opencl_test
