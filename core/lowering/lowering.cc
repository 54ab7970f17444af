#include "lowering/lowering.h"

#include <span>
#include <vector>

#include "lowering/evaluator.h"
#include "runtime/device.h"
#include "runtime/queue.h"
#include "status/status.h"

namespace keel::lowering {
namespace {

// Decompositions may use composites; a cycle in the spec would otherwise recurse forever.
constexpr int kMaxDepth = 16;
thread_local int depth = 0;

struct DepthGuard {
  DepthGuard() { ++depth; }
  ~DepthGuard() { --depth; }
};

keel_status_t too_deep(const spec::OpSchema& op) {
  return make_status(KEEL_STATUS_INTERNAL, std::string("lowering ") + op.name + ": decompositions nest deeper than " +
                                               std::to_string(kMaxDepth) + " levels");
}

bool is_half(keel_dtype_t dtype) { return dtype == KEEL_DTYPE_F16 || dtype == KEEL_DTYPE_BF16; }

// f16 and bf16 are computed in f32 and rounded once (the dtype profiles of docs/ops.md): a decomposition run
// step by step in the narrow dtype would round, and overflow, at every step. Exact operators only move or
// compare values, so they run as they are (and keep NaN payloads).
bool widens_to_f32(const spec::OpSchema& op, std::span<const keel_tensor_t> inputs,
                   std::span<const keel_tensor_t> outputs) {
  if (op.tolerance.cls == spec::ToleranceClass::kExact) return false;
  for (const keel_tensor_t& t : inputs) {
    if (is_half(t.dtype)) return true;
  }
  for (const keel_tensor_t& t : outputs) {
    if (is_half(t.dtype)) return true;
  }
  return false;
}

// Casts the f16/bf16 inputs to f32, evaluates the decomposition into f32 temporaries and casts those into
// the caller's outputs. `workspace` owns the temporaries and issues the casts (in dry-run mode it only asks
// the device whether it supports them).
keel_status_t evaluate_in_f32(keel_device_s& device, keel_queue_s* queue, const spec::OpSchema& op, const void* attrs,
                              std::span<const keel_tensor_t> inputs, std::span<const keel_tensor_t> outputs) {
  Evaluator workspace(device, queue, op, attrs, inputs, depth);
  Value f32;
  f32.kind = Value::Kind::kDtype;
  f32.dtype = KEEL_DTYPE_F32;
  std::vector<keel_tensor_t> wide_inputs(inputs.begin(), inputs.end());
  for (keel_tensor_t& input : wide_inputs) {
    if (!is_half(input.dtype)) continue;
    keel_tensor_t wide;
    KEEL_RETURN_IF_ERROR(workspace.temporary(KEEL_DTYPE_F32, {input.shape, input.rank}, &wide));
    Value unused;
    KEEL_RETURN_IF_ERROR(workspace.call("cast", {&input, 1}, {{"to", f32}}, &unused, &wide));
    input = wide;
  }
  std::vector<keel_tensor_t> wide_outputs(outputs.begin(), outputs.end());
  for (keel_tensor_t& output : wide_outputs) {
    if (is_half(output.dtype)) {
      KEEL_RETURN_IF_ERROR(workspace.temporary(KEEL_DTYPE_F32, {output.shape, output.rank}, &output));
    }
  }
  {
    Evaluator inner(device, queue, op, attrs, wide_inputs, depth);
    KEEL_RETURN_IF_ERROR(inner.evaluate(wide_outputs));
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!is_half(outputs[i].dtype)) continue;
    Value narrow;
    narrow.kind = Value::Kind::kDtype;
    narrow.dtype = outputs[i].dtype;
    Value unused;
    KEEL_RETURN_IF_ERROR(workspace.call("cast", {&wide_outputs[i], 1}, {{"to", narrow}}, &unused, &outputs[i]));
  }
  return nullptr;
}

}  // namespace

keel_status_t run(keel_queue_s& queue, const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                  size_t input_count, const keel_tensor_t* outputs, size_t output_count) {
  if (depth >= kMaxDepth) return too_deep(op);
  DepthGuard guard;
  if (widens_to_f32(op, {inputs, input_count}, {outputs, output_count})) {
    return evaluate_in_f32(*queue.device, &queue, op, attrs, {inputs, input_count}, {outputs, output_count});
  }
  Evaluator evaluator(*queue.device, &queue, op, attrs, {inputs, input_count}, depth);
  return evaluator.evaluate({outputs, output_count});
}

keel_status_t supports(const keel_device_s& device, const spec::OpSchema& op, const void* attrs,
                       const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                       size_t output_count) {
  if (depth >= kMaxDepth) return too_deep(op);
  DepthGuard guard;
  auto& writable = const_cast<keel_device_s&>(device);  // a dry run neither allocates nor runs
  if (widens_to_f32(op, {inputs, input_count}, {outputs, output_count})) {
    return evaluate_in_f32(writable, nullptr, op, attrs, {inputs, input_count}, {outputs, output_count});
  }
  // Dry run: the evaluator neither allocates nor runs, so the device is not modified.
  Evaluator evaluator(writable, nullptr, op, attrs, {inputs, input_count}, depth);
  return evaluator.evaluate({outputs, output_count});
}

}  // namespace keel::lowering
