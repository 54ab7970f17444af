// One runtime with both plugins loaded (onednn and the reference oracle), and what the tests do with it:
// place host tensors on a device in a chosen layout, run an operator, and read results back.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host_tensor.h"
#include "keel/keel_ops.h"
#include "keel/keel_runtime.h"

namespace keel::onednn_test {

// How a tensor is laid out in its buffer.
enum class Layout {
  kDense,       // row-major from byte 0
  kTransposed,  // column-major (the reverse dimension order in memory)
  kStrided,     // row-major over a padded shape, innermost stride 2, starting 3 elements in
  kReversed,    // every stride negative (element 0 is the last in memory)
  kOffset,      // row-major, starting 5 elements into the buffer (not 64-byte aligned)
  kExpanded,    // inputs only: dimension 0 read with stride 0 (the test writes equal slices along it)
  kChannelsLast,  // rank >= 3: memory order N, spatial axes, C (an NCHW-shaped tensor stored NHWC)
};

const char* layout_name(Layout layout);

// A tensor on a device: the keel_tensor_t view plus the buffer, which it owns.
class DeviceTensor {
 public:
  DeviceTensor() = default;
  DeviceTensor(keel_buffer_t* buffer, keel_tensor_t view, uint64_t bytes) : buffer_(buffer), view_(view), bytes_(bytes) {}
  DeviceTensor(DeviceTensor&& other) noexcept;
  DeviceTensor& operator=(DeviceTensor&& other) noexcept;
  ~DeviceTensor();

  const keel_tensor_t& view() const { return view_; }
  keel_buffer_t* buffer() const { return buffer_; }
  uint64_t bytes() const { return bytes_; }

 private:
  keel_buffer_t* buffer_ = nullptr;
  keel_tensor_t view_{};
  uint64_t bytes_ = 0;
};

// The byte every buffer starts filled with, so that writes outside a view can be detected.
constexpr unsigned char kGuardByte = 0xA5;

class Harness {
 public:
  // The process-wide runtime (created on first use; GoogleTest fails the test if it cannot be created).
  static Harness& get();

  keel_runtime_t* runtime() const { return runtime_; }
  keel_device_t* onednn() const { return onednn_; }
  keel_device_t* reference() const { return reference_; }
  keel_queue_t* queue(keel_device_t* device) const { return device == onednn_ ? onednn_queue_ : reference_queue_; }

  // A tensor of `host`'s dtype and shape on `device`, laid out as asked, every other byte kGuardByte.
  DeviceTensor upload(keel_device_t* device, const HostTensor& host, Layout layout) const;
  // Room for a tensor of this dtype and shape (all guard bytes).
  DeviceTensor allocate(keel_device_t* device, keel_dtype_t dtype, const Dims& shape, Layout layout) const;
  HostTensor download(const DeviceTensor& tensor) const;
  // True when every byte of the buffer outside the view still holds kGuardByte.
  bool guard_bytes_intact(const DeviceTensor& tensor) const;

  // Runs `op` on the device's queue and synchronizes. Returns the code; *message gets the status text.
  keel_status_code_t run(keel_device_t* device, const char* op, const void* attrs,
                         const std::vector<const DeviceTensor*>& inputs,
                         const std::vector<const DeviceTensor*>& outputs, std::string* message = nullptr) const;

  // The same with raw views (several may share a buffer).
  keel_status_code_t run_views(keel_device_t* device, const char* op, const void* attrs,
                               const std::vector<keel_tensor_t>& inputs, const std::vector<keel_tensor_t>& outputs,
                               std::string* message = nullptr) const;

  // The inferred outputs (dtype, shape) of a call; empty with *message set when the call is invalid.
  // `output_count` is the number of outputs for an op with a variadic output (0: the declared count).
  std::vector<std::pair<keel_dtype_t, Dims>> infer(const char* op, const void* attrs,
                                                   const std::vector<std::pair<keel_dtype_t, Dims>>& inputs,
                                                   std::string* message = nullptr, size_t output_count = 0) const;

 private:
  Harness();
  ~Harness();
  keel_runtime_t* runtime_ = nullptr;
  keel_device_t* onednn_ = nullptr;
  keel_device_t* reference_ = nullptr;
  keel_queue_t* onednn_queue_ = nullptr;
  keel_queue_t* reference_queue_ = nullptr;
};

// Takes a status: its code, with the message in *message when given. Releases it.
keel_status_code_t consume(keel_status_t status, std::string* message = nullptr);

}  // namespace keel::onednn_test
