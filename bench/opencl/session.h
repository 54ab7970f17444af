// The Keel side of the benchmarks: a runtime with one plugin loaded from the build tree, a queue on its first
// device, and dense tensors allocated up front.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "keel/keel_runtime.h"

namespace keel::bench {

// Aborts the binary with the message when a Keel call fails: a benchmark of a failing call measures nothing.
void check(keel_status_t status, const char* what);

class Session {
 public:
  // Loads libkeel_<plugin>.so from the build tree; available() is false when it is missing or has no device.
  explicit Session(const std::string& plugin);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool available() const { return device_ != nullptr; }
  const std::string& why_unavailable() const { return why_; }
  keel_device_t* device() const { return device_; }
  keel_queue_t* queue() const { return queue_; }

 private:
  keel_runtime_t* runtime_ = nullptr;
  keel_device_t* device_ = nullptr;
  keel_queue_t* queue_ = nullptr;
  std::string why_;
};

// A dense f32 tensor on a session's device, filled with `value`.
class Tensor {
 public:
  Tensor(const Session& session, const std::vector<int64_t>& shape, float value);
  ~Tensor();
  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;
  const keel_tensor_t& view() const { return view_; }

 private:
  keel_tensor_t view_{};
};

// keel_op_run of `op` (looked up by name) on the session's queue; no synchronization.
void enqueue(const Session& session, const char* op, const void* attrs, std::initializer_list<const Tensor*> inputs,
             std::initializer_list<const Tensor*> outputs);
void synchronize(const Session& session);

}  // namespace keel::bench
