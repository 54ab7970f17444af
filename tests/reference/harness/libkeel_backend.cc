// Backend over libkeel's C API: the runtime loads only the reference plugin (no KEEL_PLUGIN_PATH, no
// manifests) and every operator goes through keel_op_run on a queue of device "reference:0".
#include <stdexcept>

#include "backend.h"
#include "keel/keel_runtime.h"

namespace keel::reference_test {
namespace {

void check(keel_status_t status, const char* what) {
  if (status == nullptr) return;
  const std::string message = keel_status_message(status);
  keel_status_release(status);
  throw std::runtime_error(std::string(what) + ": " + message);
}

Outcome outcome_of(keel_status_t status) {
  Outcome outcome;
  if (status != nullptr) {
    outcome.code = keel_status_code(status);
    outcome.message = keel_status_message(status);
    keel_status_release(status);
  }
  return outcome;
}

class LibkeelBackend final : public Backend {
 public:
  LibkeelBackend() {
    const std::string path = reference_plugin_path();
    const char* paths[] = {path.c_str()};
    keel_runtime_options_t options{};
    options.struct_size = sizeof options;
    options.plugin_paths = paths;
    options.plugin_path_count = 1;
    options.skip_env_path = 1;
    options.skip_manifests = 1;
    check(keel_runtime_create(&options, &runtime_), "keel_runtime_create");
    check(keel_runtime_find_device(runtime_, "reference:0", &device_), "keel_runtime_find_device");
    check(keel_queue_create(device_, nullptr, &queue_), "keel_queue_create");
  }

  ~LibkeelBackend() override {
    keel_queue_release(queue_);
    keel_runtime_release(runtime_);
  }

  std::string name() const override { return "libkeel"; }

  void* allocate(uint64_t bytes) override {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = bytes;
    keel_buffer_t* buffer = nullptr;
    check(keel_buffer_allocate(device_, &args, &buffer), "keel_buffer_allocate");
    return buffer;
  }

  void release(void* buffer) override { keel_buffer_release(static_cast<keel_buffer_t*>(buffer)); }

  void write(void* buffer, const std::vector<std::byte>& bytes) override {
    check(keel_buffer_write(static_cast<keel_buffer_t*>(buffer), 0, bytes.data(), bytes.size()), "keel_buffer_write");
  }

  std::vector<std::byte> read(void* buffer, uint64_t size) override {
    std::vector<std::byte> bytes(size);
    check(keel_buffer_read(static_cast<keel_buffer_t*>(buffer), 0, bytes.data(), size), "keel_buffer_read");
    return bytes;
  }

  bool can_run(const std::string&) const override { return true; }

  Outcome run(const std::string& op_name, const void* attrs, const std::vector<DeviceTensor>& inputs,
              const std::vector<DeviceTensor>& outputs) override {
    const keel_op_t* op = nullptr;
    Outcome found = outcome_of(keel_op_find(op_name.c_str(), &op));
    if (!found.ok()) return found;
    const std::vector<keel_tensor_t> in = tensors(inputs);
    const std::vector<keel_tensor_t> out = tensors(outputs);
    Outcome ran = outcome_of(keel_op_run(queue_, op, attrs, in.data(), in.size(), out.data(), out.size()));
    if (!ran.ok()) return ran;
    return outcome_of(keel_queue_synchronize(queue_));
  }

 private:
  static std::vector<keel_tensor_t> tensors(const std::vector<DeviceTensor>& views) {
    std::vector<keel_tensor_t> result;
    for (const DeviceTensor& view : views) {
      keel_tensor_t tensor{};
      tensor.buffer = static_cast<keel_buffer_t*>(view.buffer);
      tensor.dtype = view.dtype;
      tensor.rank = static_cast<uint32_t>(view.shape.size());
      for (size_t k = 0; k < view.shape.size(); ++k) {
        tensor.shape[k] = view.shape[k];
        tensor.strides[k] = view.strides[k];
      }
      tensor.byte_offset = view.byte_offset;
      result.push_back(tensor);
    }
    return result;
  }

  keel_runtime_t* runtime_ = nullptr;
  keel_device_t* device_ = nullptr;
  keel_queue_t* queue_ = nullptr;
};

}  // namespace

std::unique_ptr<Backend> make_libkeel_backend() { return std::make_unique<LibkeelBackend>(); }

}  // namespace keel::reference_test
