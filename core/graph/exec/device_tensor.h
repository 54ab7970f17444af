// Tensors the executor keeps on devices: a shared buffer (a value's own allocation, or the device's arena)
// plus an offset, dtype and dense shape.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "graph/ir/host_tensor.h"
#include "keel/keel_runtime.h"

namespace keel::graph {

// Owns one keel buffer.
class BufferHolder {
 public:
  explicit BufferHolder(keel_buffer_t* buffer) : buffer_(buffer) {}
  ~BufferHolder() { keel_buffer_release(buffer_); }
  BufferHolder(const BufferHolder&) = delete;
  BufferHolder& operator=(const BufferHolder&) = delete;
  keel_buffer_t* get() const { return buffer_; }

 private:
  keel_buffer_t* buffer_;
};

struct DeviceTensor {
  std::shared_ptr<BufferHolder> buffer;  // null: not materialized
  uint64_t offset = 0;                   // bytes into the buffer
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  std::vector<int64_t> shape;
  int32_t device = -1;  // index into the executor's devices

  bool defined() const { return buffer != nullptr; }
  int64_t numel() const { return element_count(shape); }
  uint64_t nbytes() const { return static_cast<uint64_t>(numel()) * dtype_bytes(dtype); }
  // The dense row-major view of it for the C API.
  keel_tensor_t view() const;
  spec::TensorMeta meta() const;
};

// Allocates `bytes` on `device` (a distinct empty buffer for 0 bytes). Throws keel::Error on failure.
std::shared_ptr<BufferHolder> allocate_buffer(keel_device_t* device, uint64_t bytes);

}  // namespace keel::graph
