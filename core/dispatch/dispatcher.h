// Operator dispatch: validate a call against the spec, infer its outputs, pick a kernel of the device's
// plugin in priority order (recording why each candidate was skipped) and enqueue it.
#pragma once

#include <cstddef>

#include "keel/keel_runtime.h"
#include "spec/op_schema.h"

struct keel_device_s;
struct keel_queue_s;

namespace keel::dispatch {

// keel_op_infer: outputs get the inferred dtype and shape with dense row-major strides and no buffer.
keel_status_t infer(const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                    size_t input_count, keel_tensor_t* out_outputs, size_t output_count);

// keel_op_run.
keel_status_t run(keel_queue_s& queue, const spec::OpSchema& op, const void* attrs,
                  const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                  size_t output_count);

// keel_device_supports_op: everything run() checks except the buffers, without running anything.
keel_status_t supports(const keel_device_s& device, const spec::OpSchema& op, const void* attrs,
                       const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                       size_t output_count);

}  // namespace keel::dispatch
