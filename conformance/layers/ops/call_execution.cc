#include "layers/ops/call_execution.h"

#include <cmath>
#include <cstring>
#include <string_view>

#include "layers/ops/dtype_convert.h"
#include "layers/ops/tensor_layout.h"
#include "spec/validate.h"

namespace keel::conform {
namespace {

constexpr uint8_t kInputPad = 0xFF;   // a NaN in every float width: reading a gap shows in the result
constexpr uint8_t kOutputPad = 0xA5;  // a device writing outside an output view changes these

keel_tensor_t tensor_for(const TensorLayout& layout, keel_buffer_t* buffer) {
  keel_tensor_t tensor{};
  tensor.buffer = buffer;
  tensor.dtype = layout.dtype;
  tensor.rank = layout.rank;
  for (uint32_t i = 0; i < layout.rank; ++i) {
    tensor.shape[i] = layout.shape[i];
    tensor.strides[i] = layout.strides[i];
  }
  tensor.byte_offset = layout.offset_elements * dtype_bytes(layout.dtype);
  return tensor;
}

bool allows(const spec::TypeVar& var, keel_dtype_t dtype) {
  for (size_t i = 0; i < var.dtype_count; ++i) {
    if (var.dtypes[i] == dtype) return true;
  }
  return false;
}

keel_dtype_t promote(const spec::TypeVar& var, keel_dtype_t dtype) {
  if (dtype != KEEL_DTYPE_F16 && dtype != KEEL_DTYPE_BF16 && dtype != KEEL_DTYPE_F32) return dtype;
  if (allows(var, KEEL_DTYPE_F64)) return KEEL_DTYPE_F64;
  if (dtype != KEEL_DTYPE_F32 && allows(var, KEEL_DTYPE_F32)) return KEEL_DTYPE_F32;
  return dtype;
}

const spec::TensorSchema& input_schema(const spec::OpSchema& op, size_t position) {
  return op.inputs[std::min(position, op.input_count - 1)];
}

}  // namespace

DeviceRun run_on_device(const Device& device, const OpCall& call, std::span<const HostTensor> inputs, ViewKind view) {
  const Op op = Op::find(call.op->name);
  std::vector<Buffer> buffers;
  std::vector<keel_tensor_t> in_tensors, out_tensors;
  for (const HostTensor& input : inputs) {
    if (input.meta.dtype == KEEL_DTYPE_INVALID) {  // an absent optional input: no buffer, no elements
      keel_tensor_t absent{};
      absent.dtype = KEEL_DTYPE_INVALID;
      in_tensors.push_back(absent);
      buffers.emplace_back();
      continue;
    }
    const TensorLayout layout = make_layout(input.meta, view, true);
    buffers.push_back(Buffer::allocate(device, layout.buffer_bytes()));
    const std::vector<uint8_t> image = scatter(layout, input.bytes, kInputPad);
    if (!image.empty()) buffers.back().write(image.data(), image.size());
    in_tensors.push_back(tensor_for(layout, buffers.back().get()));
  }
  std::vector<TensorLayout> out_layouts;
  for (const spec::TensorMeta& meta : call.outputs) {
    out_layouts.push_back(make_layout(meta, view, false));
    buffers.push_back(Buffer::allocate(device, out_layouts.back().buffer_bytes()));
    const std::vector<uint8_t> image(out_layouts.back().buffer_bytes(), kOutputPad);
    if (!image.empty()) buffers.back().write(image.data(), image.size());
    out_tensors.push_back(tensor_for(out_layouts.back(), buffers.back().get()));
  }
  Queue queue = Queue::create(device);
  queue.run(op, call.attrs_ptr(), in_tensors, out_tensors);
  queue.synchronize();

  DeviceRun run;
  for (size_t i = 0; i < call.outputs.size(); ++i) {
    const Buffer& buffer = buffers[inputs.size() + i];
    std::vector<uint8_t> image(out_layouts[i].buffer_bytes());
    if (!image.empty()) buffer.read(image.data(), image.size());
    uint64_t first_bad = 0;
    if (run.padding_error.empty() && !padding_intact(out_layouts[i], image, kOutputPad, &first_bad)) {
      run.padding_error = "output " + std::to_string(i) + ": byte " + std::to_string(first_bad) +
                          " of its buffer, outside the view, was written";
    }
    run.outputs.push_back({call.outputs[i], gather(out_layouts[i], image)});
  }
  return run;
}

OpCall promoted_call(const OpCall& call) {
  const spec::OpSchema& op = *call.op;
  OpCall promoted = call;
  std::vector<keel_dtype_t> to(op.type_var_count, KEEL_DTYPE_INVALID);
  for (size_t v = 0; v < op.type_var_count; ++v) {
    const keel_dtype_t bound = spec::bound_dtype(op, call.attrs_ptr(), call.inputs, static_cast<int32_t>(v));
    to[v] = bound == KEEL_DTYPE_INVALID ? bound : promote(op.type_vars[v], bound);
  }
  for (size_t i = 0; i < promoted.inputs.size(); ++i) {
    const int32_t var = input_schema(op, i).type_var;
    if (var >= 0 && !call.absent(i)) promoted.inputs[i].dtype = to[static_cast<size_t>(var)];
  }
  if (call.attrs) {
    auto attrs = std::make_shared<spec::AttrsBuffer>(*call.attrs);
    for (size_t a = 0; a < op.attr_count; ++a) {
      const spec::AttrSchema& attr = op.attrs[a];
      if (attr.type != spec::AttrType::kDtype || attr.type_var < 0) continue;
      keel_dtype_t value;
      std::memcpy(&value, attrs->bytes + attr.offset, sizeof value);
      value = promote(op.type_vars[static_cast<size_t>(attr.type_var)], value);
      std::memcpy(attrs->bytes + attr.offset, &value, sizeof value);
    }
    promoted.attrs = attrs;
  }
  promoted.outputs.assign(call.outputs.size(), spec::TensorMeta{});
  spec::infer(op, promoted.attrs_ptr(), promoted.inputs, promoted.outputs);
  return promoted;
}

bool promotion_changes_meaning(const OpCall& call) {
  const spec::OpSchema& op = *call.op;
  if (std::string_view(op.name) == "rng_uniform") return true;
  for (size_t a = 0; a < op.attr_count && call.attrs; ++a) {
    const spec::AttrSchema& attr = op.attrs[a];
    if (attr.type != spec::AttrType::kEnum || std::string_view(attr.name) != "rounding") continue;
    uint32_t value;
    std::memcpy(&value, call.attrs->bytes + attr.offset, sizeof value);
    if (value < attr.enum_value_count && std::string_view(attr.enum_values[value]) != "none") return true;
  }
  return false;
}

std::vector<HostTensor> reference_outputs(const Device& reference, const OpCall& call,
                                          std::span<const HostTensor> inputs, ReferenceMode mode) {
  const bool absolute = mode == ReferenceMode::kOnAbs;
  OpCall target = mode == ReferenceMode::kSameDtype ? call : promoted_call(call);
  if (absolute && target.attrs) {
    auto attrs = std::make_shared<spec::AttrsBuffer>(*target.attrs);
    for (size_t a = 0; a < call.op->attr_count; ++a) {
      const spec::AttrSchema& attr = call.op->attrs[a];
      if (attr.type != spec::AttrType::kFloat) continue;
      double value;
      std::memcpy(&value, attrs->bytes + attr.offset, sizeof value);
      value = std::fabs(value);
      std::memcpy(attrs->bytes + attr.offset, &value, sizeof value);
    }
    target.attrs = attrs;
  }
  std::vector<HostTensor> widened;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const keel_dtype_t from = inputs[i].meta.dtype;
    const keel_dtype_t to = target.inputs[i].dtype;
    HostTensor tensor{target.inputs[i], {}};
    if (from == KEEL_DTYPE_INVALID) {
      widened.push_back(std::move(tensor));
      continue;
    }
    const size_t count = static_cast<size_t>(inputs[i].meta.element_count());
    tensor.bytes.resize(count * dtype_bytes(to));
    for (size_t n = 0; n < count; ++n) {
      const uint8_t* source = inputs[i].bytes.data() + n * dtype_bytes(from);
      uint8_t* destination = tensor.bytes.data() + n * dtype_bytes(to);
      if (is_float_dtype(from)) {
        uint64_t bits = widen_to_f64_bits(from, source);
        if (absolute) bits &= ~(uint64_t{1} << 63);
        narrow_from_f64_bits(to, bits, destination);
      } else {
        std::memcpy(destination, source, dtype_bytes(from));
      }
    }
    widened.push_back(std::move(tensor));
  }
  return run_on_device(reference, target, widened, ViewKind::kDense).outputs;
}

}  // namespace keel::conform
