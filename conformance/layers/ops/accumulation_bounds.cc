#include "layers/ops/accumulation_bounds.h"

#include <cmath>

#include "layers/ops/dtype_convert.h"
#include "layers/ops/reduction_lengths.h"

namespace keel::conform {

std::vector<double> accumulation_bounds(const OpCall& call, std::span<const HostTensor> inputs, size_t output,
                                        const HostTensor& reference, const HostTensor* on_abs) {
  const spec::Tolerance& tolerance = call.op->tolerance;
  const keel_dtype_t dtype = call.outputs[output].dtype;
  const double epsilon = epsilon_of(dtype);
  const double floor = smallest_normal_of(dtype);
  const std::vector<double> lengths = reduction_lengths(call, inputs, output);
  std::vector<double> bounds(lengths.size());
  for (size_t i = 0; i < bounds.size(); ++i) {
    double magnitude = 1;
    const double absolute_reference =
        std::fabs(read_value(reference.meta.dtype, reference.bytes.data() + i * dtype_bytes(reference.meta.dtype)));
    if (tolerance.magnitude == spec::Magnitude::kOutput) {
      magnitude = absolute_reference;
    } else if (tolerance.magnitude == spec::Magnitude::kOutputPlusOne) {
      magnitude = absolute_reference + 1;
    } else if (tolerance.magnitude == spec::Magnitude::kInputsAndOutput) {
      magnitude = absolute_reference;
      for (const HostTensor& input : inputs) {
        if (input.bytes.size() != bounds.size() * dtype_bytes(input.meta.dtype)) continue;  // not output-shaped
        magnitude = std::fmax(magnitude, std::fabs(read_value(input.meta.dtype,
                                                               input.bytes.data() + i * dtype_bytes(input.meta.dtype))));
      }
    } else if (tolerance.magnitude == spec::Magnitude::kOpOnAbs && on_abs != nullptr) {
      // Never below |ref|: the operator on |inputs| can cancel where the operator itself does not.
      magnitude = std::fmax(absolute_reference, std::fabs(read_value(on_abs->meta.dtype, on_abs->bytes.data() +
                                                                                          i * dtype_bytes(on_abs->meta.dtype))));
    }
    bounds[i] = tolerance.c * lengths[i] * epsilon * magnitude + floor;
  }
  return bounds;
}

}  // namespace keel::conform
