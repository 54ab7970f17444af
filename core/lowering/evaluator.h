// Evaluates a composite operator's decomposition (its spec formula tree) with the kernels of one device.
//
// Execute mode (a queue is given): intermediates live in temporary buffers on the device, each call is
// dispatched like any other (so a composite may use composites), and the result of each output's formula is
// written straight into the caller's output when the formula ends in an operator call. Temporaries are
// released once the queue has finished with them.
// Dry-run mode (no queue): every intermediate shape is inferred and the device is asked whether it supports
// each call; nothing is allocated or run. keel_device_supports_op uses it.
#pragma once

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/keel_runtime.h"
#include "lowering/value.h"
#include "spec/op_schema.h"
#include "spec/validate.h"

struct keel_device_s;
struct keel_queue_s;
struct keel_buffer_s;

namespace keel::lowering {

class Evaluator {
 public:
  // `attrs` is the operator's normalized attribute struct (nullptr without attributes). Everything is
  // borrowed for the evaluator's lifetime.
  Evaluator(keel_device_s& device, keel_queue_s* queue, const spec::OpSchema& op, const void* attrs,
            std::span<const keel_tensor_t> inputs, int depth);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Evaluates every output formula into `outputs` (already checked against the inferred shapes).
  keel_status_t evaluate(std::span<const keel_tensor_t> outputs);

  // ---- Used by the helpers (helpers.cc) ----
  bool dry_run() const { return queue_ == nullptr; }
  keel_status_t eval(const spec::ExprNode& node, Value* out, const keel_tensor_t* destination = nullptr);
  keel_status_t eval_tensor(const spec::ExprNode& node, keel_tensor_t* out);
  keel_status_t eval_int(const spec::ExprNode& node, int64_t* out);
  // A new dense tensor on the device (a buffer-less view in dry-run mode).
  keel_status_t temporary(keel_dtype_t dtype, std::span<const int64_t> shape, keel_tensor_t* out);
  // A temporary 0-D tensor holding `value` converted to `dtype` with the spec's cast rules.
  keel_status_t constant(double value, keel_dtype_t dtype, keel_tensor_t* out);
  keel_status_t zeros(keel_dtype_t dtype, std::span<const int64_t> shape, keel_tensor_t* out);
  // Runs operator `name` with attributes set by `set_attrs` on the default struct.
  keel_status_t call(const char* name, std::span<const keel_tensor_t> inputs, const std::vector<std::pair<const char*, Value>>& attrs,
                     Value* out, const keel_tensor_t* destination = nullptr);
  keel_status_t error(const std::string& message) const;

 private:
  keel_status_t eval_name(const spec::ExprNode& node, Value* out);
  keel_status_t eval_op_call(const spec::ExprNode& node, Value* out, const keel_tensor_t* destination);
  keel_status_t eval_list(const spec::ExprNode& node, Value* out);
  keel_status_t run_call(const spec::OpSchema& callee, spec::AttrsBuffer& attrs, std::span<const keel_tensor_t> inputs,
                         Value* out, const keel_tensor_t* destination);
  keel_status_t set_attr(const spec::OpSchema& callee, size_t index, const Value& value, void* attrs);
  Value attribute(size_t index) const;

  keel_device_s& device_;
  keel_queue_s* queue_;
  const spec::OpSchema& op_;
  const void* attrs_;
  std::span<const keel_tensor_t> inputs_;
  int depth_;
  std::vector<std::optional<Value>> lets_;
  std::deque<std::vector<int64_t>> int_lists_;  // storage behind ints attributes of calls in flight
  std::deque<std::vector<double>> float_lists_;
  std::vector<keel_buffer_s*> temporaries_;
  bool wrote_destination_ = false; // the last evaluated call wrote the caller's output directly
};

// The lowering helpers of spec.yaml (`lowering: true`); false when `name` is not one of them.
bool is_lowering_helper(const char* name);
keel_status_t eval_helper(Evaluator& evaluator, const spec::ExprNode& node, Value* out);

}  // namespace keel::lowering
