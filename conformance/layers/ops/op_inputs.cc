#include "layers/ops/op_inputs.h"

#include "layers/ops/data_sets.h"
#include "layers/ops/dtype_convert.h"
#include "layers/ops/random.h"
#include "layers/ops/tensor_layout.h"

namespace keel::conform {

std::string call_key(const OpCall& call) {
  return std::string(call.op->name) + "." + call.dtype_label + ".s" + std::to_string(call.sample);
}

std::optional<std::vector<HostTensor>> make_inputs(const OpCall& call, DataSet set, bool repeat_for_broadcast,
                                                   std::string* error) {
  const bool accumulating = call.op->tolerance.cls == spec::ToleranceClass::kAccumulation;
  const std::string key = call_key(call);
  std::vector<HostTensor> inputs;
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    const spec::TensorMeta& meta = call.inputs[i];
    if (call.absent(i)) {
      inputs.push_back({meta, {}});
      continue;
    }
    const size_t count = static_cast<size_t>(meta.element_count());
    const uint64_t seed = seed_of(key, (static_cast<uint64_t>(set) << 32) | i);
    const RangeOf range_of = [&](int64_t element) { return call.domain(i, element); };
    std::string why;
    std::optional<std::vector<double>> values = input_values(meta.dtype, range_of, set, count, seed, accumulating, &why);
    if (!values) {
      *error = "input " + std::to_string(i) + ": " + why;
      return std::nullopt;
    }
    HostTensor tensor{meta, std::vector<uint8_t>(count * dtype_bytes(meta.dtype))};
    for (size_t n = 0; n < count; ++n) write_value(meta.dtype, (*values)[n], tensor.bytes.data() + n * dtype_bytes(meta.dtype));
    if (repeat_for_broadcast) {
      repeat_along(meta, broadcast_dimension(make_layout(meta, ViewKind::kBroadcast, true)), tensor.bytes);
    }
    inputs.push_back(std::move(tensor));
  }
  return inputs;
}

}  // namespace keel::conform
