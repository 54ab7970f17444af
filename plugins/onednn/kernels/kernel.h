// What an operator implementation provides: a KernelDef (the op it serves, the dtypes it accepts, and the
// supports/create functions) and the Kernel objects create() returns. A Kernel is prepared for one call
// signature (op, attributes, dtypes, shapes, strides) and then run for every call with that signature, so
// all the planning (oneDNN primitive creation, loop plans) happens once.
#pragma once

#include <atomic>
#include <span>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "error.h"
#include "keel/keel_plugin.h"
#include "tensor.h"

namespace keel::onednn {

class Device;
class Queue;
class SignatureKey;

// The call as supports() and create() see it: shapes and strides, no data (buffers are NULL there).
class CallInfo {
 public:
  CallInfo(const keel_kernel_call_t& raw, Device& device) : raw_(raw), device_(device) {}

  Device& device() const { return device_; }
  const void* attrs() const { return raw_.attrs; }
  size_t input_count() const { return raw_.input_count; }
  size_t output_count() const { return raw_.output_count; }
  const keel_tensor_desc_t& input(size_t i) const { return raw_.inputs[i]; }
  const keel_tensor_desc_t& output(size_t i) const { return raw_.outputs[i]; }
  std::span<const keel_tensor_desc_t> inputs() const { return {raw_.inputs, raw_.input_count}; }
  std::span<const keel_tensor_desc_t> outputs() const { return {raw_.outputs, raw_.output_count}; }
  const keel_kernel_call_t& raw() const { return raw_; }

 private:
  const keel_kernel_call_t& raw_;
  Device& device_;
};

// A prepared signature. Immutable once built: the host may run one state from several queues (threads) at
// once. Reference counted, because the plugin's own cache and the host's state cache share it.
class Kernel {
 public:
  virtual ~Kernel() = default;

  // Runs one call with this kernel's signature; the call's tensors have data. Throws Error on failure.
  virtual void run(Queue& queue, const keel_kernel_call_t& call) const = 0;

  // True when an output may be the very same view as an input (same address, shape and strides): the
  // kernel reads each element before it writes the element at the same place (elementwise kernels).
  // Otherwise an output that overlaps an input is computed into scratch memory first.
  virtual bool tolerates_identical_alias() const { return false; }

  // How this signature is computed, for debug logs ("oneDNN matmul brg:avx512_core", "loop").
  virtual std::string describe() const = 0;

  // Recorded by the registry once the kernel is built: the byte range of every tensor of the signature
  // relative to its element 0 (inputs, then outputs), so that each call checks for overlapping inputs and
  // outputs with a few pointer comparisons.
  void record_extents(const keel_kernel_call_t& call);
  std::span<const ByteExtent> extents() const { return {extents_.get(), extent_count_}; }
  size_t extent_inputs() const { return extent_inputs_; }
  bool outputs_empty() const { return outputs_empty_; }

  void retain() const { references_.fetch_add(1, std::memory_order_relaxed); }
  void release() const {
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

 private:
  mutable std::atomic<int64_t> references_{1};
  std::unique_ptr<ByteExtent[]> extents_;
  size_t extent_count_ = 0;
  size_t extent_inputs_ = 0;
  bool outputs_empty_ = false;
};

// Declines the call (UNIMPLEMENTED with the reason) or returns normally.
using SupportsFn = void (*)(const CallInfo& call);
using CreateFn = std::unique_ptr<Kernel> (*)(const CallInfo& call);
// Appends the values of the op's attributes that the kernel depends on to a cache key.
using AttrKeyFn = void (*)(const void* attrs, SignatureKey& key);

struct KernelDef {
  const char* op;                        // spec operator name
  uint32_t version;                      // spec version implemented
  std::span<const keel_dtype_t> dtypes;  // accepted for the op's primary type variable
  SupportsFn supports;                   // NULL: the dtype list is the whole answer
  CreateFn create;
  AttrKeyFn attr_key;                    // NULL for ops without attributes
};

}  // namespace keel::onednn
