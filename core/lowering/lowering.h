// Composite lowering: a composite operator (one whose spec carries a decomposition) that a device has no
// kernel for runs as its decomposition into other operators, so a plugin may implement fewer operators.
#pragma once

#include <cstddef>

#include "keel/keel_runtime.h"
#include "spec/op_schema.h"

struct keel_device_s;
struct keel_queue_s;

namespace keel::lowering {

// Runs composite `op` on `queue`. `attrs` is normalized; the call has passed validation and its outputs
// match the inferred shapes.
keel_status_t run(keel_queue_s& queue, const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                  size_t input_count, const keel_tensor_t* outputs, size_t output_count);

// Whether run() would find a kernel for every call of the decomposition on `device`; nothing runs.
keel_status_t supports(const keel_device_s& device, const spec::OpSchema& op, const void* attrs,
                       const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                       size_t output_count);

}  // namespace keel::lowering
