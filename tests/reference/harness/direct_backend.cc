// Backend over the plugin's own tables, with no libkeel in between. It does what the core would do before a
// kernel runs that matters here (pick the registration, filter on its dtype list, ask supports()), and no
// spec validation: calls must already be valid.
#include <map>
#include <stdexcept>

#include "backend.h"
#include "direct_plugin.h"

namespace keel::reference_test {
namespace {

void check(keel_status_t status, const char* what) {
  if (status == nullptr) return;
  const std::string message = TestHost::message_of(status);
  TestHost::release(status);
  throw std::runtime_error(std::string(what) + ": " + message);
}

Outcome outcome_of(keel_status_t status) {
  Outcome outcome;
  if (status != nullptr) {
    outcome.code = TestHost::code_of(status);
    outcome.message = TestHost::message_of(status);
    TestHost::release(status);
  }
  return outcome;
}

class DirectBackend final : public Backend {
 public:
  DirectBackend() : plugin_(reference_plugin_path()) {
    plugin_.initialize();
    check(api().device_get(plugin_.args.plugin_ctx, 0, &device_), "device_get");
    check(api().queue_create(device_, nullptr, &queue_), "queue_create");
  }
  ~DirectBackend() override { api().queue_release(queue_); }

  std::string name() const override { return "direct"; }

  void* allocate(uint64_t bytes) override {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = bytes;
    keel_plugin_buffer_t* buffer = nullptr;
    void* host = nullptr;
    check(api().buffer_allocate(device_, &args, &buffer, &host), "buffer_allocate");
    host_pointers_[buffer] = static_cast<std::byte*>(host);
    return buffer;
  }

  void release(void* buffer) override {
    host_pointers_.erase(static_cast<keel_plugin_buffer_t*>(buffer));
    api().buffer_release(static_cast<keel_plugin_buffer_t*>(buffer));
  }

  void write(void* buffer, const std::vector<std::byte>& bytes) override {
    check(api().buffer_write(static_cast<keel_plugin_buffer_t*>(buffer), 0, bytes.data(), bytes.size()),
          "buffer_write");
  }

  std::vector<std::byte> read(void* buffer, uint64_t size) override {
    std::vector<std::byte> bytes(size);
    check(api().buffer_read(static_cast<keel_plugin_buffer_t*>(buffer), 0, bytes.data(), size), "buffer_read");
    return bytes;
  }

  bool can_run(const std::string& op) const override { return plugin_.find_kernel(op) != nullptr; }

  Outcome run(const std::string& op, const void* attrs, const std::vector<DeviceTensor>& inputs,
              const std::vector<DeviceTensor>& outputs) override {
    const RegisteredKernel* found = plugin_.find_kernel(op);
    if (found == nullptr) return {KEEL_STATUS_UNIMPLEMENTED, "the plugin registers no kernel for " + op};
    const RegisteredKernel& kernel = *found;
    const std::vector<keel_tensor_desc_t> in = descriptors(inputs);
    const std::vector<keel_tensor_desc_t> out = descriptors(outputs);
    if (!dtype_registered(kernel, op, in, out)) {
      return {KEEL_STATUS_UNIMPLEMENTED, kernel.kernel_name + " is not registered for this dtype"};
    }
    keel_kernel_call_t call{};
    call.struct_size = sizeof call;
    call.device = device_;
    call.op_name = op.c_str();
    call.op_version = 1;
    call.attrs = attrs;
    call.inputs = in.data();
    call.input_count = in.size();
    call.outputs = out.data();
    call.output_count = out.size();
    const keel_kernel_api_t& kernel_api = *kernel.registration.api;
    if (kernel_api.supports != nullptr) {
      Outcome supported = outcome_of(kernel_api.supports(kernel.registration.kernel_ctx, &call));
      if (!supported.ok()) return supported;
    }
    Outcome computed = outcome_of(kernel_api.compute(kernel.registration.kernel_ctx, nullptr, queue_, &call));
    if (!computed.ok()) return computed;
    return outcome_of(api().queue_synchronize(queue_));
  }

 private:
  const keel_plugin_api_t& api() const { return plugin_.api(); }

  std::vector<keel_tensor_desc_t> descriptors(const std::vector<DeviceTensor>& tensors) {
    std::vector<keel_tensor_desc_t> descs;
    for (const DeviceTensor& tensor : tensors) {
      keel_tensor_desc_t desc{};
      desc.dtype = tensor.dtype;
      desc.rank = static_cast<uint32_t>(tensor.shape.size());
      for (size_t k = 0; k < tensor.shape.size(); ++k) {
        desc.shape[k] = tensor.shape[k];
        desc.strides[k] = tensor.strides[k];
      }
      desc.byte_offset = tensor.byte_offset;
      desc.buffer = static_cast<keel_plugin_buffer_t*>(tensor.buffer);
      desc.data = desc.buffer == nullptr ? nullptr : host_pointers_.at(desc.buffer) + tensor.byte_offset;
      descs.push_back(desc);
    }
    return descs;
  }

  // The registration's dtype list is about the op's primary type variable: the dtype of the first input for
  // most ops, of a for where, of the output for the ops without inputs (full, arange, rng_*).
  static bool dtype_registered(const RegisteredKernel& kernel, const std::string& op,
                               const std::vector<keel_tensor_desc_t>& in, const std::vector<keel_tensor_desc_t>& out) {
    if (kernel.dtypes.empty()) return true;
    keel_dtype_t primary = KEEL_DTYPE_INVALID;
    if (!in.empty()) primary = in[0].dtype;
    if (op == "where") primary = in.at(1).dtype;
    if (in.empty()) primary = out.at(0).dtype;
    for (const keel_dtype_t dtype : kernel.dtypes) {
      if (dtype == primary) return true;
    }
    return false;
  }

  DirectPlugin plugin_;
  keel_plugin_device_t* device_ = nullptr;
  keel_plugin_queue_t* queue_ = nullptr;
  std::map<keel_plugin_buffer_t*, std::byte*> host_pointers_;
};

}  // namespace

std::unique_ptr<Backend> make_direct_backend() { return std::make_unique<DirectBackend>(); }

}  // namespace keel::reference_test
