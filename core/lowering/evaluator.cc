#include "lowering/evaluator.h"

#include <cstring>
#include <string>

#include "dispatch/dispatcher.h"
#include "lowering/scalar_bits.h"
#include "runtime/buffer.h"
#include "runtime/device.h"
#include "runtime/plugin.h"
#include "runtime/queue.h"
#include "status/status.h"

namespace keel::lowering {
namespace {

keel_tensor_t dense(keel_dtype_t dtype, std::span<const int64_t> shape) {
  keel_tensor_t tensor{};
  tensor.dtype = dtype;
  tensor.rank = static_cast<uint32_t>(shape.size());
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    tensor.shape[i] = shape[i];
    tensor.strides[i] = stride;
    stride *= shape[i];
  }
  return tensor;
}

spec::TensorMeta meta_of(const keel_tensor_t& tensor) {
  spec::TensorMeta meta;
  meta.dtype = tensor.dtype;
  meta.rank = tensor.rank;
  for (uint32_t i = 0; i < tensor.rank && i < KEEL_MAX_RANK; ++i) meta.dims[i] = tensor.shape[i];
  return meta;
}

bool same_meta(const keel_tensor_t& tensor, const spec::TensorMeta& meta) {
  if (tensor.dtype != meta.dtype || tensor.rank != meta.rank) return false;
  for (uint32_t i = 0; i < meta.rank; ++i) {
    if (tensor.shape[i] != meta.dims[i]) return false;
  }
  return true;
}

// "f32[2,3]", for messages.
std::string describe(const keel_tensor_t& tensor) {
  std::string text = std::string(spec::dtype_name(tensor.dtype)) + "[";
  for (uint32_t i = 0; i < tensor.rank && i < KEEL_MAX_RANK; ++i) {
    text += (i > 0 ? "," : "") + std::to_string(tensor.shape[i]);
  }
  return text + "]";
}

template <class T>
T read_field(const void* attrs, uint32_t offset) {
  T value;
  std::memcpy(&value, static_cast<const unsigned char*>(attrs) + offset, sizeof(T));
  return value;
}

template <class T>
void write_field(void* attrs, uint32_t offset, const T& value) {
  std::memcpy(static_cast<unsigned char*>(attrs) + offset, &value, sizeof(T));
}

// Releases temporaries once the queue has finished the work that uses them.
void release_temporaries(void* user_data) {
  auto* buffers = static_cast<std::vector<keel_buffer_s*>*>(user_data);
  for (keel_buffer_s* buffer : *buffers) delete buffer;
  delete buffers;
}

}  // namespace

Evaluator::Evaluator(keel_device_s& device, keel_queue_s* queue, const spec::OpSchema& op, const void* attrs,
                     std::span<const keel_tensor_t> inputs, int depth)
    : device_(device), queue_(queue), op_(op), attrs_(attrs), inputs_(inputs), depth_(depth) {
  lets_.resize(op.decomposition.let_count);
}

Evaluator::~Evaluator() {
  if (temporaries_.empty()) return;
  auto* pending = new std::vector<keel_buffer_s*>(std::move(temporaries_));
  const keel_plugin_api_t& api = *device_.plugin->api;
  if (keel_status_t refused = api.queue_host_callback(queue_->handle, release_temporaries, pending)) {
    // No callback: wait for the queue, then release here. Its errors stay for the caller's synchronize.
    release_status(refused);
    release_status(api.queue_synchronize(queue_->handle));
    release_temporaries(pending);
  }
}

keel_status_t Evaluator::error(const std::string& message) const {
  return make_status(KEEL_STATUS_INTERNAL, std::string("lowering ") + op_.name + " on " + device_.name + ": " + message);
}

keel_status_t Evaluator::evaluate(std::span<const keel_tensor_t> outputs) {
  const spec::DecompositionSchema& decomposition = op_.decomposition;
  if (decomposition.output_count != outputs.size()) {
    return error("the decomposition defines " + std::to_string(decomposition.output_count) + " outputs, the call has " +
                 std::to_string(outputs.size()));
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    Value result;
    wrote_destination_ = false;
    KEEL_RETURN_IF_ERROR(eval(*decomposition.outputs[i].expr, &result, &outputs[i]));
    if (result.kind != Value::Kind::kTensor) {
      return error(std::string("output '") + decomposition.outputs[i].name + "' is not a tensor");
    }
    if (!wrote_destination_) {
      // The formula did not end in a call that wrote the output itself (it names an input, say): move the
      // value over with a data-movement operator, which needs the output's dtype and shape.
      if (!same_meta(outputs[i], meta_of(result.tensor))) {
        return error(std::string("output '") + decomposition.outputs[i].name + "' evaluates to " +
                     describe(result.tensor) + ", the call's output is " + describe(outputs[i]));
      }
      Value unused;
      std::vector<std::pair<const char*, Value>> attrs;
      const bool has_copy = spec::find_op("copy") != nullptr;
      if (!has_copy) {
        attrs.emplace_back("shape", Value::of_ints(std::vector<int64_t>(outputs[i].shape, outputs[i].shape + outputs[i].rank)));
      }
      KEEL_RETURN_IF_ERROR(call(has_copy ? "copy" : "reshape", {&result.tensor, 1}, attrs, &unused, &outputs[i]));
    }
  }
  return nullptr;
}

keel_status_t Evaluator::eval(const spec::ExprNode& node, Value* out, const keel_tensor_t* destination) {
  switch (node.kind) {
    case spec::ExprKind::kOpCall: return eval_op_call(node, out, destination);
    case spec::ExprKind::kHelperCall:
      if (!is_lowering_helper(node.text)) {
        return error(std::string("helper '") + node.text + "' is not available to composite lowering");
      }
      return eval_helper(*this, node, out);
    case spec::ExprKind::kName: return eval_name(node, out);
    case spec::ExprKind::kNumber:
      *out = node.is_integer ? Value::of_int(node.integer) : Value::of_float(node.number);
      return nullptr;
    case spec::ExprKind::kBool: *out = Value::of_bool(node.boolean); return nullptr;
    case spec::ExprKind::kList: return eval_list(node, out);
  }
  return error("unknown formula node");
}

keel_status_t Evaluator::eval_tensor(const spec::ExprNode& node, keel_tensor_t* out) {
  Value value;
  KEEL_RETURN_IF_ERROR(eval(node, &value));
  if (value.kind != Value::Kind::kTensor) return error(std::string("'") + node.text + "' is not a tensor");
  *out = value.tensor;
  return nullptr;
}

keel_status_t Evaluator::eval_int(const spec::ExprNode& node, int64_t* out) {
  Value value;
  KEEL_RETURN_IF_ERROR(eval(node, &value));
  if (value.kind != Value::Kind::kInt) return error(std::string("'") + node.text + "' is not an integer");
  *out = value.integer;
  return nullptr;
}

Value Evaluator::attribute(size_t index) const {
  const spec::AttrSchema& attr = op_.attrs[index];
  Value value;
  switch (attr.type) {
    case spec::AttrType::kInt: return Value::of_int(read_field<int64_t>(attrs_, attr.offset));
    case spec::AttrType::kFloat: return Value::of_float(read_field<double>(attrs_, attr.offset));
    case spec::AttrType::kBool: return Value::of_bool(read_field<uint8_t>(attrs_, attr.offset) != 0);
    case spec::AttrType::kInts: {
      const auto* values = read_field<const int64_t*>(attrs_, attr.offset);
      const auto count = read_field<size_t>(attrs_, attr.count_offset);
      return Value::of_ints(std::vector<int64_t>(values, values + count));
    }
    case spec::AttrType::kFloats: {
      const auto* values = read_field<const double*>(attrs_, attr.offset);
      const auto count = read_field<size_t>(attrs_, attr.count_offset);
      value.kind = Value::Kind::kFloats;
      value.floats.assign(values, values + count);
      return value;
    }
    case spec::AttrType::kDtype:
      value.kind = Value::Kind::kDtype;
      value.dtype = read_field<keel_dtype_t>(attrs_, attr.offset);
      return value;
    case spec::AttrType::kEnum: {
      const auto index_of_value = read_field<uint32_t>(attrs_, attr.offset);
      value.kind = Value::Kind::kEnum;
      value.text = index_of_value < attr.enum_value_count ? attr.enum_values[index_of_value] : "";
      return value;
    }
  }
  return value;
}

keel_status_t Evaluator::eval_name(const spec::ExprNode& node, Value* out) {
  switch (node.name_kind) {
    case spec::NameKind::kInput: {
      const size_t index = static_cast<size_t>(node.index);
      if (op_.has_variadic_input() && index + 1 == op_.input_count) {
        out->kind = Value::Kind::kTensors;
        out->tensors.assign(inputs_.begin() + static_cast<std::ptrdiff_t>(index), inputs_.end());
        return nullptr;
      }
      if (index >= inputs_.size()) return error(std::string("input '") + node.text + "' was not passed");
      if (inputs_[index].dtype == KEEL_DTYPE_INVALID) {
        *out = Value();  // absent optional input
        return nullptr;
      }
      *out = Value::of_tensor(inputs_[index]);
      return nullptr;
    }
    case spec::NameKind::kAttr: *out = attribute(static_cast<size_t>(node.index)); return nullptr;
    case spec::NameKind::kLet: {
      std::optional<Value>& let = lets_[static_cast<size_t>(node.index)];
      if (!let) {
        Value value;
        KEEL_RETURN_IF_ERROR(eval(*op_.decomposition.let[node.index].expr, &value));
        let = std::move(value);
      }
      *out = *let;
      return nullptr;
    }
    case spec::NameKind::kEnumValue:
      out->kind = Value::Kind::kEnum;
      out->text = node.text;
      return nullptr;
    case spec::NameKind::kDtype:
      out->kind = Value::Kind::kDtype;
      out->dtype = spec::all_dtypes()[static_cast<size_t>(node.index)].dtype;
      return nullptr;
    default: return error(std::string("'") + node.text + "' cannot appear in a decomposition");
  }
}

keel_status_t Evaluator::eval_list(const spec::ExprNode& node, Value* out) {
  std::vector<Value> items(node.arg_count);
  bool all_ints = true;
  for (uint32_t i = 0; i < node.arg_count; ++i) {
    KEEL_RETURN_IF_ERROR(eval(node.args[i], &items[i]));
    if (items[i].kind != Value::Kind::kInt && items[i].kind != Value::Kind::kFloat) {
      return error("a list holds something other than numbers");
    }
    all_ints = all_ints && items[i].kind == Value::Kind::kInt;
  }
  out->kind = all_ints ? Value::Kind::kInts : Value::Kind::kFloats;
  for (const Value& item : items) {
    if (all_ints) {
      out->ints.push_back(item.integer);
    } else {
      out->floats.push_back(item.number);
    }
  }
  return nullptr;
}

keel_status_t Evaluator::eval_op_call(const spec::ExprNode& node, Value* out, const keel_tensor_t* destination) {
  const spec::OpSchema& callee = spec::all_ops()[static_cast<size_t>(node.index)];
  spec::AttrsBuffer attrs;
  if (callee.attrs_size > 0) std::memcpy(attrs.bytes, callee.default_attrs, callee.attrs_size);
  std::vector<keel_tensor_t> inputs;
  for (uint32_t i = 0; i < node.arg_count; ++i) {
    Value value;
    KEEL_RETURN_IF_ERROR(eval(node.args[i], &value));
    const char* key = node.keys != nullptr ? node.keys[i] : "";
    if (*key != '\0') {
      size_t index = 0;
      while (index < callee.attr_count && std::strcmp(callee.attrs[index].name, key) != 0) ++index;
      if (index == callee.attr_count) return error(std::string(callee.name) + " has no attribute '" + key + "'");
      KEEL_RETURN_IF_ERROR(set_attr(callee, index, value, attrs.bytes));
    } else if (value.kind == Value::Kind::kTensor) {
      inputs.push_back(value.tensor);
    } else if (value.kind == Value::Kind::kTensors) {
      inputs.insert(inputs.end(), value.tensors.begin(), value.tensors.end());
    } else if (value.kind == Value::Kind::kAbsent) {
      inputs.push_back(keel_tensor_t{});  // dtype KEEL_DTYPE_INVALID: an absent optional input
    } else {
      return error(std::string("argument ") + std::to_string(i) + " of " + callee.name + " is not a tensor");
    }
  }
  // Trailing optional inputs a formula leaves out are absent.
  while (inputs.size() < callee.input_count && callee.inputs[inputs.size()].optional) {
    inputs.push_back(keel_tensor_t{});
  }
  return run_call(callee, attrs, inputs, out, destination);
}

keel_status_t Evaluator::set_attr(const spec::OpSchema& callee, size_t index, const Value& value, void* attrs) {
  const spec::AttrSchema& attr = callee.attrs[index];
  const auto mismatch = [&] {
    return error(std::string(callee.name) + " attribute '" + attr.name + "' gets a value of the wrong kind");
  };
  switch (attr.type) {
    case spec::AttrType::kInt:
      if (value.kind != Value::Kind::kInt && value.kind != Value::Kind::kBool) return mismatch();
      write_field<int64_t>(attrs, attr.offset, value.kind == Value::Kind::kBool ? value.boolean : value.integer);
      return nullptr;
    case spec::AttrType::kFloat:
      if (value.kind != Value::Kind::kInt && value.kind != Value::Kind::kFloat) return mismatch();
      write_field<double>(attrs, attr.offset, value.number);
      return nullptr;
    case spec::AttrType::kBool:
      if (value.kind != Value::Kind::kBool && value.kind != Value::Kind::kInt) return mismatch();
      write_field<uint8_t>(attrs, attr.offset, value.kind == Value::Kind::kBool ? value.boolean : value.integer != 0);
      return nullptr;
    case spec::AttrType::kInts: {
      if (value.kind == Value::Kind::kInt) {
        int_lists_.push_back({value.integer});
      } else if (value.kind == Value::Kind::kInts) {
        int_lists_.push_back(value.ints);
      } else {
        return mismatch();
      }
      write_field<const int64_t*>(attrs, attr.offset, int_lists_.back().data());
      write_field<size_t>(attrs, attr.count_offset, int_lists_.back().size());
      return nullptr;
    }
    case spec::AttrType::kFloats: {
      if (value.kind == Value::Kind::kFloats) {
        float_lists_.push_back(value.floats);
      } else if (value.kind == Value::Kind::kInts) {
        float_lists_.push_back(std::vector<double>(value.ints.begin(), value.ints.end()));
      } else {
        return mismatch();
      }
      write_field<const double*>(attrs, attr.offset, float_lists_.back().data());
      write_field<size_t>(attrs, attr.count_offset, float_lists_.back().size());
      return nullptr;
    }
    case spec::AttrType::kDtype:
      if (value.kind != Value::Kind::kDtype) return mismatch();
      write_field<keel_dtype_t>(attrs, attr.offset, value.dtype);
      return nullptr;
    case spec::AttrType::kEnum:
      if (value.kind != Value::Kind::kEnum) return mismatch();
      for (uint32_t v = 0; v < attr.enum_value_count; ++v) {
        if (std::strcmp(attr.enum_values[v], value.text) == 0) {
          write_field<uint32_t>(attrs, attr.offset, v);
          return nullptr;
        }
      }
      return error(std::string(callee.name) + " attribute '" + attr.name + "' has no value '" + value.text + "'");
  }
  return mismatch();
}

keel_status_t Evaluator::run_call(const spec::OpSchema& callee, spec::AttrsBuffer& attrs,
                                  std::span<const keel_tensor_t> inputs, Value* out, const keel_tensor_t* destination) {
  const void* attrs_ptr = callee.attr_count > 0 ? attrs.bytes : nullptr;
  std::vector<spec::TensorMeta> metas;
  for (const keel_tensor_t& input : inputs) metas.push_back(meta_of(input));
  if (std::optional<spec::Violation> violation = spec::check(callee, attrs_ptr, metas)) {
    return error("its decomposition calls " + std::string(callee.name) + " badly: " + violation->message);
  }
  std::vector<spec::TensorMeta> output_metas(spec::output_count(callee, attrs_ptr, metas));
  spec::infer(callee, attrs_ptr, metas, output_metas);
  std::vector<keel_tensor_t> outputs(output_metas.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs.size() == 1 && destination != nullptr && same_meta(*destination, output_metas[0])) {
      outputs[0] = *destination;
      wrote_destination_ = true;
      continue;
    }
    KEEL_RETURN_IF_ERROR(temporary(output_metas[i].dtype, output_metas[i].shape(), &outputs[i]));
  }
  if (dry_run()) {
    KEEL_RETURN_IF_ERROR(dispatch::supports(device_, callee, attrs_ptr, inputs.data(), inputs.size(), outputs.data(),
                                            outputs.size()));
  } else {
    KEEL_RETURN_IF_ERROR(
        dispatch::run(*queue_, callee, attrs_ptr, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
  }
  const bool single = callee.output_count == 1 && !callee.outputs[0].variadic;
  if (single) {
    *out = Value::of_tensor(outputs[0]);
  } else {
    out->kind = Value::Kind::kTensors;
    out->tensors = std::move(outputs);
  }
  return nullptr;
}

keel_status_t Evaluator::call(const char* name, std::span<const keel_tensor_t> inputs,
                              const std::vector<std::pair<const char*, Value>>& attrs, Value* out,
                              const keel_tensor_t* destination) {
  const spec::OpSchema* callee = spec::find_op(name);
  if (callee == nullptr) return error(std::string("the spec has no operator '") + name + "'");
  spec::AttrsBuffer buffer;
  if (callee->attrs_size > 0) std::memcpy(buffer.bytes, callee->default_attrs, callee->attrs_size);
  for (const auto& [key, value] : attrs) {
    size_t index = 0;
    while (index < callee->attr_count && std::strcmp(callee->attrs[index].name, key) != 0) ++index;
    if (index == callee->attr_count) return error(std::string(name) + " has no attribute '" + key + "'");
    KEEL_RETURN_IF_ERROR(set_attr(*callee, index, value, buffer.bytes));
  }
  return run_call(*callee, buffer, inputs, out, destination);
}

keel_status_t Evaluator::temporary(keel_dtype_t dtype, std::span<const int64_t> shape, keel_tensor_t* out) {
  *out = dense(dtype, shape);
  if (dry_run()) return nullptr;
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof(args);
  args.size = static_cast<uint64_t>(count) * keel_dtype_size(dtype);
  keel_buffer_t* buffer = nullptr;
  KEEL_RETURN_IF_ERROR(keel_buffer_allocate(&device_, &args, &buffer));
  temporaries_.push_back(buffer);
  out->buffer = buffer;
  return nullptr;
}

keel_status_t Evaluator::constant(double value, keel_dtype_t dtype, keel_tensor_t* out) {
  KEEL_RETURN_IF_ERROR(temporary(dtype, {}, out));
  if (dry_run()) return nullptr;
  unsigned char bits[8];
  if (!scalar_bits(value, dtype, bits)) return error("a constant of an unknown dtype");
  // A fresh buffer nothing has touched yet: a synchronous write is ordered before every later queue call.
  return keel_buffer_write(out->buffer, 0, bits, keel_dtype_size(dtype));
}

keel_status_t Evaluator::zeros(keel_dtype_t dtype, std::span<const int64_t> shape, keel_tensor_t* out) {
  KEEL_RETURN_IF_ERROR(temporary(dtype, shape, out));
  if (dry_run() || keel_buffer_size(out->buffer) == 0) return nullptr;
  const unsigned char zero = 0;
  return keel_queue_fill(queue_, out->buffer, 0, keel_buffer_size(out->buffer), &zero, 1);
}

}  // namespace keel::lowering
