// The Keel side of the benchmarks: a runtime that loads only the oneDNN plugin, one queue on its device,
// and tensors allocated up front, so a timed iteration is exactly keel_op_run + keel_queue_synchronize.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/keel_ops.h"
#include "keel/keel_runtime.h"

namespace keel::bench {

// Aborts the benchmark binary with the status message when a Keel call fails (a benchmark of a failing
// call would measure nothing).
void check(keel_status_t status, const char* what);

// A dense tensor in a buffer of the session's device; releases the buffer.
class Tensor {
 public:
  Tensor(keel_device_t* device, keel_dtype_t dtype, const std::vector<int64_t>& shape);
  ~Tensor();
  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;

  const keel_tensor_t& view() const { return view_; }
  float* floats() const { return static_cast<float*>(keel_buffer_host_pointer(view_.buffer)); }
  int64_t count() const;

 private:
  keel_tensor_t view_{};
};

class Session {
 public:
  Session();  // loads the plugin built next to this binary (KEEL_BENCH_PLUGIN)
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  keel_device_t* device() const { return device_; }
  keel_queue_t* queue() const { return queue_; }
  const keel_op_t* op(const char* name) const;  // NULL when the spec has no such operator
  bool implements(const char* name) const;      // the plugin has a kernel for it

  // keel_op_run on the queue, then synchronize.
  void run(const keel_op_t* op, const void* attrs, std::initializer_list<const Tensor*> inputs,
           std::initializer_list<const Tensor*> outputs) const;

 private:
  keel_runtime_t* runtime_ = nullptr;
  keel_device_t* device_ = nullptr;
  keel_queue_t* queue_ = nullptr;
};

// Creates a runtime with only the oneDNN plugin and returns the nanoseconds keel_runtime_create took (and,
// through *loader_ns, what the loader recorded for dlopen + probe + init).
int64_t time_runtime_create(int64_t* loader_ns);

}  // namespace keel::bench
