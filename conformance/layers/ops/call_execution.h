// Running an operator call on a device with host data: buffers laid out for a view kind, the call through
// keel_op_run, results gathered back to dense row-major order, and the padding around output views checked.
// Also the reference computation: the same call on the reference plugin, promoted to f64 where the spec
// allows it (inputs widened exactly, NaN payloads kept).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "keel/keel.hpp"
#include "model/case.h"

namespace keel::conform {

// A dense row-major tensor on the host.
struct HostTensor {
  spec::TensorMeta meta;
  std::vector<uint8_t> bytes;
};

struct DeviceRun {
  std::vector<HostTensor> outputs;
  std::string padding_error;  // non-empty when the device wrote outside an output view
};

// Runs `call` (with these inputs, which must match call.inputs) on `device`, laying every tensor out for
// `view`. Throws keel::Error for a failed call.
DeviceRun run_on_device(const Device& device, const OpCall& call, std::span<const HostTensor> inputs, ViewKind view);

// The call the reference plugin runs for `call`: each type variable bound to f16, bf16 or f32 moves to f64
// when the spec allows f64 for it (else to f32 for f16/bf16, when allowed), dtype attributes included.
OpCall promoted_call(const OpCall& call);

// How the reference plugin computes a call.
enum class ReferenceMode {
  kSameDtype,  // the call as it is
  kPromoted,   // promoted_call()
  kOnAbs,      // promoted, with every float input and float attribute replaced by its absolute value (the
               // "operator applied to |inputs|" magnitude of the accumulation bound; scale attributes such
               // as gemm's alpha and beta enter as |alpha| and |beta|, as gemm's semantics state)
};

// Runs the call on the reference device in `mode`. Throws keel::Error when the reference plugin cannot.
std::vector<HostTensor> reference_outputs(const Device& reference, const OpCall& call,
                                          std::span<const HostTensor> inputs, ReferenceMode mode);

// Calls whose results depend on the precision of their dtype beyond one final rounding, so that their
// reference is never promoted: rng_uniform (it draws as many bits as the dtype's significand holds) and any
// call with a `rounding` attribute other than none (div floors or truncates the quotient after rounding it
// to the dtype, so a quotient that rounds onto an integer floors differently in f64).
bool promotion_changes_meaning(const OpCall& call);

}  // namespace keel::conform
