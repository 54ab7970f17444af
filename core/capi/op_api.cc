// C entry points: spec operators, shape inference and running operators.
#include <string>

#include "capi/capi_util.h"
#include "dispatch/dispatcher.h"
#include "keel/keel_runtime.h"
#include "runtime/queue.h"
#include "spec/op_schema.h"

using keel::capi::fill_sized;
using keel::capi::null_argument;

namespace {

const keel::spec::OpSchema* schema_of(const keel_op_t* op) { return reinterpret_cast<const keel::spec::OpSchema*>(op); }
const keel_op_t* handle_of(const keel::spec::OpSchema* op) { return reinterpret_cast<const keel_op_t*>(op); }

}  // namespace

extern "C" {

size_t keel_op_count(void) { return keel::spec::all_ops().size(); }

const keel_op_t* keel_op_at(size_t index) {
  const auto ops = keel::spec::all_ops();
  return index < ops.size() ? handle_of(&ops[index]) : nullptr;
}

keel_status_t keel_op_find(const char* name, const keel_op_t** out_op) {
  return keel::guarded("keel_op_find", [&]() -> keel_status_t {
    if (name == nullptr) return null_argument("keel_op_find", "name");
    if (out_op == nullptr) return null_argument("keel_op_find", "out_op");
    const keel::spec::OpSchema* op = keel::spec::find_op(name);
    *out_op = handle_of(op);
    if (op == nullptr) {
      return keel::make_status(KEEL_STATUS_NOT_FOUND, std::string("no operator named '") + name + "' in spec " +
                                                          keel::spec::spec_version());
    }
    return nullptr;
  });
}

keel_status_t keel_op_describe(const keel_op_t* op, keel_op_info_t* inout_info) {
  return keel::guarded("keel_op_describe", [&]() -> keel_status_t {
    if (op == nullptr) return null_argument("keel_op_describe", "op");
    const keel::spec::OpSchema& schema = *schema_of(op);
    keel_op_info_t value{};
    value.struct_size = sizeof(value);
    value.name = schema.name;
    value.domain = schema.domain;
    value.version = schema.version;
    value.group = schema.group;
    value.summary = schema.summary;
    value.input_count = schema.input_count;
    value.output_count = schema.output_count;
    value.variadic_input = schema.has_variadic_input() ? 1 : 0;
    value.differentiable = schema.differentiable ? 1 : 0;
    value.composite = schema.composite() ? 1 : 0;
    if (schema.type_var_count > 0) {
      value.dtypes = schema.type_vars[0].dtypes;
      value.dtype_count = schema.type_vars[0].dtype_count;
    }
    return fill_sized("keel_op_describe", "inout_info", inout_info, value);
  });
}

keel_status_t keel_op_infer(const keel_op_t* op, const void* attrs, const keel_tensor_t* inputs, size_t input_count,
                            keel_tensor_t* out_outputs, size_t output_count) {
  return keel::guarded("keel_op_infer", [&]() -> keel_status_t {
    if (op == nullptr) return null_argument("keel_op_infer", "op");
    return keel::dispatch::infer(*schema_of(op), attrs, inputs, input_count, out_outputs, output_count);
  });
}

keel_status_t keel_op_run(keel_queue_t* queue, const keel_op_t* op, const void* attrs, const keel_tensor_t* inputs,
                          size_t input_count, const keel_tensor_t* outputs, size_t output_count) {
  return keel::guarded("keel_op_run", [&]() -> keel_status_t {
    if (queue == nullptr) return null_argument("keel_op_run", "queue");
    if (op == nullptr) return null_argument("keel_op_run", "op");
    return keel::dispatch::run(*queue, *schema_of(op), attrs, inputs, input_count, outputs, output_count);
  });
}

keel_status_t keel_device_supports_op(const keel_device_t* device, const keel_op_t* op, const void* attrs,
                                      const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                                      size_t output_count) {
  return keel::guarded("keel_device_supports_op", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_device_supports_op", "device");
    if (op == nullptr) return null_argument("keel_device_supports_op", "op");
    return keel::dispatch::supports(*device, *schema_of(op), attrs, inputs, input_count, outputs, output_count);
  });
}

}  // extern "C"
