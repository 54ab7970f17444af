#include "dispatch/dispatcher.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "common/log.h"
#include "dispatch/inline_array.h"
#include "dispatch/state_cache.h"
#include "lowering/lowering.h"
#include "runtime/buffer.h"
#include "runtime/device.h"
#include "runtime/plugin.h"
#include "runtime/queue.h"
#include "spec/validate.h"
#include "status/status.h"

namespace keel::dispatch {
namespace {

constexpr size_t kInlineTensors = 8;
using MetaArray = InlineArray<spec::TensorMeta, kInlineTensors>;
using DescArray = InlineArray<keel_tensor_desc_t, kInlineTensors>;

keel_status_t invalid(const std::string& message) { return make_status(KEEL_STATUS_INVALID_ARGUMENT, message); }

std::string shape_text(const spec::TensorMeta& meta) {
  std::string text = std::string(keel_dtype_name(meta.dtype)) + "[";
  for (uint32_t i = 0; i < meta.rank; ++i) {
    text += (i ? "," : "") + std::to_string(meta.dims[i]);
  }
  return text + "]";
}

// Name of input or output `index` as the spec calls it ("x", "x[2]" for a variadic input).
std::string tensor_label(const spec::OpSchema& op, bool is_input, size_t index) {
  if (!is_input) {
    const spec::TensorSchema& output = op.outputs[std::min(index, op.output_count - 1)];
    return std::string("output '") + output.name + (output.variadic ? "[" + std::to_string(index - (op.output_count - 1)) + "]" : "") +
           "'";
  }
  if (index + 1 >= op.input_count && op.has_variadic_input()) {
    const size_t first = op.input_count - 1;
    return std::string("input '") + op.inputs[first].name + "[" + std::to_string(index - first) + "]'";
  }
  return std::string("input '") + op.inputs[index].name + "'";
}

keel_status_t to_meta(const spec::OpSchema& op, bool is_input, size_t index, const keel_tensor_t& tensor,
                      spec::TensorMeta* out) {
  if (is_input && tensor.dtype == KEEL_DTYPE_INVALID && index < op.input_count && op.inputs[index].optional) {
    *out = spec::TensorMeta{};  // an absent optional input
    return nullptr;
  }
  if (keel_dtype_size(tensor.dtype) == 0) {
    return invalid(std::string(op.name) + ": " + tensor_label(op, is_input, index) + " has an invalid dtype (" +
                   std::to_string(tensor.dtype) + ")");
  }
  if (tensor.rank > KEEL_MAX_RANK) {
    return invalid(std::string(op.name) + ": " + tensor_label(op, is_input, index) + " has rank " +
                   std::to_string(tensor.rank) + ", above KEEL_MAX_RANK (" + std::to_string(KEEL_MAX_RANK) + ")");
  }
  out->dtype = tensor.dtype;
  out->rank = tensor.rank;
  for (uint32_t i = 0; i < tensor.rank; ++i) {
    if (tensor.shape[i] < 0) {
      return invalid(std::string(op.name) + ": " + tensor_label(op, is_input, index) + " has a negative dimension");
    }
    out->dims[i] = tensor.shape[i];
  }
  return nullptr;
}

// A validated call: normalized attributes plus the metas of inputs and inferred outputs.
struct PreparedCall {
  spec::AttrsBuffer attrs;
  const void* attrs_ptr = nullptr;
  MetaArray inputs;
  MetaArray outputs;
};

keel_status_t normalize(const spec::OpSchema& op, const void* attrs, PreparedCall& call) {
  std::string why;
  if (!spec::normalize_attrs(op, attrs, call.attrs.bytes, &why)) {
    return invalid(std::string(op.name) + ": attrs: " + why);
  }
  call.attrs_ptr = op.attr_count > 0 ? call.attrs.bytes : nullptr;
  return nullptr;
}

// Checks the inputs against the spec and infers the outputs; attributes are already normalized.
keel_status_t validate(const spec::OpSchema& op, const keel_tensor_t* inputs, size_t input_count,
                       size_t output_count, PreparedCall& call) {
  if (input_count > 0 && inputs == nullptr) {
    return invalid(std::string(op.name) + ": inputs is NULL but input_count is " + std::to_string(input_count));
  }
  call.inputs.resize(input_count);
  for (size_t i = 0; i < input_count; ++i) {
    KEEL_RETURN_IF_ERROR(to_meta(op, true, i, inputs[i], &call.inputs[i]));
  }
  if (std::optional<spec::Violation> violation = spec::check(op, call.attrs_ptr, call.inputs.span())) {
    return make_status(violation->code, violation->message);
  }
  const size_t expected = spec::output_count(op, call.attrs_ptr, call.inputs.span());
  if (output_count != expected) {
    return invalid(std::string(op.name) + ": expects " + std::to_string(expected) + " output(s), got " +
                   std::to_string(output_count));
  }
  call.outputs.resize(output_count);
  spec::infer(op, call.attrs_ptr, call.inputs.span(), call.outputs.span());
  return nullptr;
}

keel_status_t prepare(const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                      size_t input_count, size_t output_count, PreparedCall& call) {
  KEEL_RETURN_IF_ERROR(normalize(op, attrs, call));
  return validate(op, inputs, input_count, output_count, call);
}

keel_status_t check_outputs(const spec::OpSchema& op, const PreparedCall& call, const keel_tensor_t* outputs) {
  if (call.outputs.size() > 0 && outputs == nullptr) {
    return invalid(std::string(op.name) + ": outputs is NULL");
  }
  for (size_t i = 0; i < call.outputs.size(); ++i) {
    spec::TensorMeta given;
    KEEL_RETURN_IF_ERROR(to_meta(op, false, i, outputs[i], &given));
    const spec::TensorMeta& expected = call.outputs[i];
    const bool same = given.dtype == expected.dtype && given.rank == expected.rank &&
                      std::equal(given.dims, given.dims + given.rank, expected.dims);
    if (!same) {
      return invalid(std::string(op.name) + ": " + tensor_label(op, false, i) + " is " + shape_text(given) +
                     " but the inputs give " + shape_text(expected));
    }
  }
  return nullptr;
}

// The buffer must be on `device` and hold every element of the view. Messages are built only on failure:
// this runs for every tensor of every call.
keel_status_t check_buffer(const spec::OpSchema& op, const keel_device_s& device, bool is_input, size_t index,
                           const keel_tensor_t& tensor) {
  const auto label = [&] { return std::string(op.name) + ": " + tensor_label(op, is_input, index); };
  if (is_input && tensor.dtype == KEEL_DTYPE_INVALID) {
    return nullptr;  // an absent optional input (validation checked that it may be absent)
  }
  if (tensor.buffer == nullptr) {
    return invalid(label() + " has a NULL buffer");
  }
  if (tensor.buffer->device != &device) {
    return invalid(label() + " lives on " + tensor.buffer->device->name + ", not on " + device.name);
  }
  const int64_t element = static_cast<int64_t>(keel_dtype_size(tensor.dtype));
  if (tensor.byte_offset % static_cast<uint64_t>(element) != 0) {
    return invalid(label() + " has byte_offset " + std::to_string(tensor.byte_offset) +
                   ", not a multiple of its element size");
  }
  int64_t lowest = 0;
  int64_t highest = 0;
  bool overflow = tensor.byte_offset > static_cast<uint64_t>(INT64_MAX);
  for (uint32_t i = 0; i < tensor.rank; ++i) {
    if (tensor.shape[i] == 0) {
      return nullptr;  // no element is touched
    }
    int64_t reach = 0;
    overflow = overflow || __builtin_mul_overflow(tensor.shape[i] - 1, tensor.strides[i], &reach);
    overflow = overflow || __builtin_add_overflow(reach < 0 ? lowest : highest, reach, reach < 0 ? &lowest : &highest);
  }
  const int64_t offset = static_cast<int64_t>(tensor.byte_offset);
  int64_t first = 0;
  int64_t end = 0;
  overflow = overflow || __builtin_mul_overflow(lowest, element, &first) ||
             __builtin_add_overflow(first, offset, &first) || __builtin_add_overflow(highest, 1, &end) ||
             __builtin_mul_overflow(end, element, &end) || __builtin_add_overflow(end, offset, &end);
  if (overflow || first < 0 || static_cast<uint64_t>(end) > tensor.buffer->size) {
    return make_status(KEEL_STATUS_OUT_OF_RANGE, label() + " reaches outside its buffer of " +
                                                     std::to_string(tensor.buffer->size) + " bytes");
  }
  return nullptr;
}

// Writes every field of `desc`.
void fill_desc(const keel_tensor_t& tensor, bool with_buffer, keel_tensor_desc_t* desc) {
  desc->dtype = tensor.dtype;
  desc->rank = tensor.rank;
  std::memcpy(desc->shape, tensor.shape, sizeof(desc->shape));
  std::memcpy(desc->strides, tensor.strides, sizeof(desc->strides));
  desc->byte_offset = tensor.byte_offset;
  desc->buffer = with_buffer && tensor.buffer != nullptr ? tensor.buffer->handle : nullptr;
  desc->data = with_buffer && tensor.buffer != nullptr && tensor.buffer->host_ptr != nullptr
                   ? static_cast<char*>(tensor.buffer->host_ptr) + tensor.byte_offset
                   : nullptr;
}

bool is_contiguous(const keel_tensor_desc_t& desc) {
  int64_t expected = 1;
  for (uint32_t i = desc.rank; i-- > 0;) {
    if (desc.shape[i] != 1 && desc.strides[i] != expected) {
      return false;
    }
    expected *= desc.shape[i];
  }
  return true;
}

// The dtype of the op's primary type variable in this call (what kernels register dtypes for).
keel_dtype_t primary_dtype(const spec::OpSchema& op, const PreparedCall& call) {
  return spec::bound_dtype(op, call.attrs_ptr, call.inputs.span(), 0);
}

void push_attrs(const spec::OpSchema& op, const void* attrs, SignatureKey& key) {
  const auto* bytes = static_cast<const unsigned char*>(attrs);
  for (size_t i = 0; i < op.attr_count; ++i) {
    const spec::AttrSchema& attr = op.attrs[i];
    const unsigned char* field = bytes + attr.offset;
    switch (attr.type) {
      case spec::AttrType::kInt:
      case spec::AttrType::kFloat: {
        int64_t word;
        std::memcpy(&word, field, sizeof(word));
        key.push(word);
        break;
      }
      case spec::AttrType::kBool: key.push(*field); break;
      case spec::AttrType::kDtype:
      case spec::AttrType::kEnum: {
        uint32_t value;
        std::memcpy(&value, field, sizeof(value));
        key.push(value);
        break;
      }
      case spec::AttrType::kInts:
      case spec::AttrType::kFloats: {
        // Both are 8-byte elements behind a pointer: the key holds their bits.
        const unsigned char* values;
        size_t count;
        std::memcpy(&values, field, sizeof(values));
        std::memcpy(&count, bytes + attr.count_offset, sizeof(count));
        key.push(static_cast<int64_t>(count));
        for (size_t j = 0; j < count; ++j) {
          int64_t word;
          std::memcpy(&word, values + 8 * j, sizeof(word));
          key.push(word);
        }
        break;
      }
    }
  }
}

// False when a tensor cannot be described (a rank above KEEL_MAX_RANK): such calls are never cached.
bool push_tensors(const keel_tensor_t* tensors, size_t count, SignatureKey& key) {
  key.push(static_cast<int64_t>(count));
  for (size_t i = 0; i < count; ++i) {
    if (tensors[i].rank > KEEL_MAX_RANK) {
      return false;
    }
    key.push(static_cast<int64_t>(tensors[i].dtype) << 8 | tensors[i].rank);
    for (uint32_t d = 0; d < tensors[i].rank; ++d) {
      key.push(tensors[i].shape[d]);
      key.push(tensors[i].strides[d]);
    }
  }
  return true;
}

// The signature of a call: the op, its normalized attributes and every tensor's dtype, shape and strides.
// Everything validation and kernel choice depend on, so a cached signature was validated before. False when
// the call cannot be keyed (it then takes the full path, which reports what is wrong).
bool make_key(const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs, size_t input_count,
              const keel_tensor_t* outputs, size_t output_count, SignatureKey& key) {
  const bool variadic_output = op.output_count > 0 && op.outputs[op.output_count - 1].variadic;
  if ((input_count > 0 && inputs == nullptr) || (output_count > 0 && outputs == nullptr) ||
      (!variadic_output && output_count != op.output_count)) {
    return false;
  }
  key.push(static_cast<int64_t>(&op - spec::all_ops().data()));
  if (attrs != nullptr) {
    push_attrs(op, attrs, key);
  }
  return push_tensors(inputs, input_count, key) && push_tensors(outputs, output_count, key) && key.fits();
}

// Why `kernel` cannot take `call`, or "" when it can.
std::string rejection(const KernelEntry& kernel, const spec::OpSchema& op, keel_dtype_t dtype,
                      const keel_kernel_call_t& call) {
  if (op.version < kernel.op_version_min || op.version > kernel.op_version_max) {
    return "implements versions " + std::to_string(kernel.op_version_min) + "-" +
           std::to_string(kernel.op_version_max) + ", the spec's is " + std::to_string(op.version);
  }
  if (dtype != KEEL_DTYPE_INVALID && !kernel.accepts_dtype(dtype)) {
    std::string accepted;
    for (keel_dtype_t d : kernel.dtypes) {
      accepted += (accepted.empty() ? "" : ", ") + std::string(keel_dtype_name(d));
    }
    return std::string("dtype ") + keel_dtype_name(dtype) + " not accepted (" + accepted + ")";
  }
  if (kernel.layout_flags & KEEL_KERNEL_CONTIGUOUS_ONLY) {
    for (size_t i = 0; i < call.input_count + call.output_count; ++i) {
      const keel_tensor_desc_t& desc = i < call.input_count ? call.inputs[i] : call.outputs[i - call.input_count];
      if (!is_contiguous(desc)) {
        return "needs contiguous tensors";
      }
    }
  }
  if (kernel.api.supports != nullptr) {
    StatusPtr answer(kernel.api.supports(kernel.ctx, &call));
    if (answer) {
      return std::string(answer->message.empty() ? code_name(answer->code) : answer->message);
    }
  }
  return "";
}

// Picks the first kernel that accepts the call and makes its state. UNIMPLEMENTED with every kernel's
// reason when none does.
keel_status_t select(const keel_device_s& device, const spec::OpSchema& op, keel_dtype_t dtype,
                     const keel_kernel_call_t& call, CachedKernel* chosen) {
  const keel_plugin_s& plugin = *device.plugin;
  const auto& kernels = plugin.kernels_by_op[static_cast<size_t>(&op - spec::all_ops().data())];
  std::string reasons;
  for (const KernelEntry* kernel : kernels) {
    std::string why = rejection(*kernel, op, dtype, call);
    if (why.empty()) {
      chosen->kernel = kernel;
      chosen->state = nullptr;
      if (kernel->api.create != nullptr) {
        KEEL_RETURN_IF_ERROR(annotate(kernel->api.create(kernel->ctx, &call, &chosen->state),
                                      std::string(op.name) + " on " + device.name + ": " + kernel->kernel_name +
                                          " create"));
      }
      if (log::verbose()) {
        log::trace("dispatch", std::string(op.name) + " on " + device.name + " -> " + kernel->kernel_name +
                                   (reasons.empty() ? "" : " (skipped:" + reasons + ")"));
      }
      return nullptr;
    }
    reasons += " " + kernel->kernel_name + ": " + why + ";";
  }
  if (kernels.empty()) {
    reasons = " plugin '" + plugin.name + "' registers no kernel for it";
  }
  log::trace("dispatch", std::string(op.name) + " on " + device.name + ": no kernel;" + reasons);
  return make_status(KEEL_STATUS_UNIMPLEMENTED,
                     std::string(op.name) + ": no kernel on " + device.name + " accepts this call:" + reasons);
}

// Builds the kernel call for `device`; buffers are included only when `with_buffers`.
void build_call(const keel_device_s& device, const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                size_t input_count, const keel_tensor_t* outputs, size_t output_count, bool with_buffers,
                DescArray& in_descs, DescArray& out_descs, keel_kernel_call_t* call) {
  in_descs.resize_for_overwrite(input_count);  // fill_desc writes every field
  out_descs.resize_for_overwrite(output_count);
  for (size_t i = 0; i < input_count; ++i) {
    fill_desc(inputs[i], with_buffers, &in_descs[i]);
  }
  for (size_t i = 0; i < output_count; ++i) {
    fill_desc(outputs[i], with_buffers, &out_descs[i]);
  }
  // Field by field rather than `*call = {}` first: this runs for every call.
  call->struct_size = sizeof(keel_kernel_call_t);
  call->next = nullptr;
  call->device = device.handle;
  call->op_name = op.name;
  call->op_version = op.version;
  call->attrs = attrs;
  call->inputs = in_descs.data();
  call->input_count = input_count;
  call->outputs = out_descs.data();
  call->output_count = output_count;
}

struct ReleaseLater {
  const KernelEntry* kernel;
  void* state;
};

void release_later(void* user_data) {
  auto* pending = static_cast<ReleaseLater*>(user_data);
  pending->kernel->api.release_state(pending->kernel->ctx, pending->state);
  delete pending;
}

}  // namespace

keel_status_t infer(const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                    size_t input_count, keel_tensor_t* out_outputs, size_t output_count) {
  if (output_count > 0 && out_outputs == nullptr) {
    return invalid(std::string(op.name) + ": out_outputs is NULL");
  }
  PreparedCall call;
  KEEL_RETURN_IF_ERROR(prepare(op, attrs, inputs, input_count, output_count, call));
  for (size_t i = 0; i < output_count; ++i) {
    keel_tensor_t& out = out_outputs[i];
    out = {};
    out.dtype = call.outputs[i].dtype;
    out.rank = call.outputs[i].rank;
    int64_t stride = 1;
    for (uint32_t d = out.rank; d-- > 0;) {
      out.shape[d] = call.outputs[i].dims[d];
      out.strides[d] = stride;
      stride *= out.shape[d];
    }
  }
  return nullptr;
}

keel_status_t supports(const keel_device_s& device, const spec::OpSchema& op, const void* attrs,
                       const keel_tensor_t* inputs, size_t input_count, const keel_tensor_t* outputs,
                       size_t output_count) {
  PreparedCall prepared;
  KEEL_RETURN_IF_ERROR(prepare(op, attrs, inputs, input_count, output_count, prepared));
  KEEL_RETURN_IF_ERROR(check_outputs(op, prepared, outputs));
  DescArray in_descs, out_descs;
  keel_kernel_call_t call;
  build_call(device, op, prepared.attrs_ptr, inputs, input_count, outputs, output_count, /*with_buffers=*/false,
             in_descs, out_descs, &call);
  const keel_dtype_t dtype = primary_dtype(op, prepared);
  for (const KernelEntry* kernel : device.plugin->kernels_by_op[static_cast<size_t>(&op - spec::all_ops().data())]) {
    if (rejection(*kernel, op, dtype, call).empty()) {
      return nullptr;
    }
  }
  if (op.composite()) {
    return lowering::supports(device, op, prepared.attrs_ptr, inputs, input_count, outputs, output_count);
  }
  CachedKernel unused;
  return select(device, op, dtype, call, &unused);  // builds the UNIMPLEMENTED status with every reason
}

keel_status_t run(keel_queue_s& queue, const spec::OpSchema& op, const void* attrs, const keel_tensor_t* inputs,
                  size_t input_count, const keel_tensor_t* outputs, size_t output_count) {
  keel_device_s& device = *queue.device;
  PreparedCall prepared;
  KEEL_RETURN_IF_ERROR(normalize(op, attrs, prepared));

  // A signature seen before was validated then and has its kernel chosen: only the buffers are new.
  SignatureKey key;
  const bool keyed = make_key(op, prepared.attrs_ptr, inputs, input_count, outputs, output_count, key);
  CachedKernel chosen;
  bool cached = keyed && device.states.find(key, &chosen);
  if (!cached) {
    KEEL_RETURN_IF_ERROR(validate(op, inputs, input_count, output_count, prepared));
    KEEL_RETURN_IF_ERROR(check_outputs(op, prepared, outputs));
  }
  for (size_t i = 0; i < input_count; ++i) {
    KEEL_RETURN_IF_ERROR(check_buffer(op, device, true, i, inputs[i]));
  }
  for (size_t i = 0; i < output_count; ++i) {
    KEEL_RETURN_IF_ERROR(check_buffer(op, device, false, i, outputs[i]));
  }
  DescArray in_descs, out_descs;
  keel_kernel_call_t call;
  build_call(device, op, prepared.attrs_ptr, inputs, input_count, outputs, output_count, /*with_buffers=*/true,
             in_descs, out_descs, &call);

  if (cached) {
    if (log::verbose()) {
      log::trace("dispatch", std::string(op.name) + " on " + device.name + " -> " +
                                 (chosen.kernel != nullptr ? chosen.kernel->kernel_name : "its decomposition") +
                                 " (cached choice)");
    }
  } else {
    // Selection may call supports() and create(), which must not see the buffers.
    DescArray query_in, query_out;
    keel_kernel_call_t query;
    build_call(device, op, prepared.attrs_ptr, inputs, input_count, outputs, output_count, /*with_buffers=*/false,
               query_in, query_out, &query);
    if (keel_status_t none = select(device, op, primary_dtype(op, prepared), query, &chosen)) {
      if (!op.composite() || none->code != KEEL_STATUS_UNIMPLEMENTED) {
        return none;
      }
      // A composite without a kernel runs as its decomposition (chosen.kernel stays NULL to say so).
      log::trace("dispatch", std::string(op.name) + " on " + device.name + " -> its decomposition");
      release_status(none);
      chosen = CachedKernel{};
    }
    cached = keyed && device.states.insert(key, chosen);
  }
  if (chosen.kernel == nullptr) {
    return annotate(lowering::run(queue, op, prepared.attrs_ptr, inputs, input_count, outputs, output_count),
                    std::string(op.name) + " on " + device.name + " (no kernel; as its decomposition)");
  }
  keel_status_t status = chosen.kernel->api.compute(chosen.kernel->ctx, chosen.state, queue.handle, &call);
  if (!cached && chosen.state != nullptr) {
    // Not kept in the cache: release the state once the queue has finished this computation.
    auto* pending = new ReleaseLater{chosen.kernel, chosen.state};
    if (keel_status_t refused = device.plugin->api->queue_host_callback(queue.handle, release_later, pending)) {
      // The queue took no callback: wait for the computation, then release the state here.
      release_status(refused);
      keel_status_t drained = device.plugin->api->queue_synchronize(queue.handle);
      release_later(pending);
      if (status == nullptr) {
        status = drained;
      } else {
        release_status(drained);
      }
    }
  }
  if (status != nullptr) {
    return annotate(status, std::string(op.name) + " on " + device.name + " (" + chosen.kernel->kernel_name + ")");
  }
  return nullptr;
}

}  // namespace keel::dispatch
