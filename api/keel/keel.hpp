// Keel: header-only C++ RAII wrapper over the C runtime API (keel_runtime.h).
//
// Owning types (Runtime, Buffer, Queue, Event) release their handle on destruction and are move-only.
// Device and Op are borrowed views. Errors are thrown as keel::Error, carrying the status code, message and
// source; the C ABI underneath never throws.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "keel/keel_runtime.h"

namespace keel {

// ---- Errors ---------------------------------------------------------------------------------------------

class Error : public std::runtime_error {
 public:
  Error(keel_status_code_t code, const std::string& message, std::string source)
      : std::runtime_error(std::string(keel_status_code_name(code)) + ": " + message),
        code_(code),
        source_(std::move(source)) {}
  keel_status_code_t code() const { return code_; }
  const std::string& source() const { return source_; }

 private:
  keel_status_code_t code_;
  std::string source_;
};

// Throws Error for a non-OK status (and releases it).
inline void check(keel_status_t status) {
  if (status == nullptr) {
    return;
  }
  Error error(keel_status_code(status), keel_status_message(status), keel_status_source(status));
  keel_status_release(status);
  throw error;
}

// ---- Ownership helper -------------------------------------------------------------------------------------

template <class T, void (*Release)(T*)>
class Owned {
 public:
  Owned() = default;
  explicit Owned(T* handle) : handle_(handle) {}
  ~Owned() { reset(); }
  Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;

  T* get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }
  void reset() {
    if (handle_ != nullptr) {
      Release(handle_);
      handle_ = nullptr;
    }
  }

 private:
  T* handle_ = nullptr;
};

// ---- Tensors ----------------------------------------------------------------------------------------------

// A dense row-major tensor view of `buffer` (borrowed).
inline keel_tensor_t make_tensor(keel_buffer_t* buffer, keel_dtype_t dtype, std::span<const int64_t> shape,
                                 uint64_t byte_offset = 0) {
  if (shape.size() > KEEL_MAX_RANK) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, "make_tensor: rank above KEEL_MAX_RANK", "keel");
  }
  keel_tensor_t tensor{};
  tensor.buffer = buffer;
  tensor.dtype = dtype;
  tensor.rank = static_cast<uint32_t>(shape.size());
  tensor.byte_offset = byte_offset;
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    tensor.shape[i] = shape[i];
    tensor.strides[i] = stride;
    stride *= shape[i];
  }
  return tensor;
}

inline keel_tensor_t make_tensor(keel_buffer_t* buffer, keel_dtype_t dtype, std::initializer_list<int64_t> shape,
                                 uint64_t byte_offset = 0) {
  return make_tensor(buffer, dtype, std::span<const int64_t>(shape.begin(), shape.size()), byte_offset);
}

inline int64_t element_count(const keel_tensor_t& tensor) {
  int64_t count = 1;
  for (uint32_t i = 0; i < tensor.rank; ++i) count *= tensor.shape[i];
  return count;
}

// ---- Operators --------------------------------------------------------------------------------------------

class Op {
 public:
  explicit Op(const keel_op_t* op) : op_(op) {}
  static Op find(const char* name) {
    const keel_op_t* op = nullptr;
    check(keel_op_find(name, &op));
    return Op(op);
  }
  static std::vector<Op> all() {
    std::vector<Op> ops;
    for (size_t i = 0; i < keel_op_count(); ++i) ops.emplace_back(keel_op_at(i));
    return ops;
  }
  const keel_op_t* get() const { return op_; }
  keel_op_info_t info() const {
    keel_op_info_t info{};
    info.struct_size = sizeof(info);
    check(keel_op_describe(op_, &info));
    return info;
  }
  // Output dtypes and shapes for these inputs (dense strides, no buffers).
  std::vector<keel_tensor_t> infer(const void* attrs, std::span<const keel_tensor_t> inputs) const {
    std::vector<keel_tensor_t> outputs(info().output_count);
    check(keel_op_infer(op_, attrs, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
    return outputs;
  }

 private:
  const keel_op_t* op_;
};

// ---- Devices, buffers, queues, events ------------------------------------------------------------------------

class Device {
 public:
  explicit Device(keel_device_t* device) : device_(device) {}
  keel_device_t* get() const { return device_; }
  std::string name() const { return keel_device_name(device_); }
  keel_device_properties_t properties() const {
    keel_device_properties_t props{};
    props.struct_size = sizeof(props);
    check(keel_device_properties(device_, &props));
    return props;
  }
  std::vector<keel_attribute_t> attributes() const {
    size_t count = 0;
    check(keel_device_attributes(device_, nullptr, &count));
    std::vector<keel_attribute_t> attributes(count);
    check(keel_device_attributes(device_, attributes.data(), &count));
    attributes.resize(count);
    return attributes;
  }
  keel_memory_space_properties_t memory_space(uint32_t index) const {
    keel_memory_space_properties_t props{};
    props.struct_size = sizeof(props);
    check(keel_device_memory_space_properties(device_, index, &props));
    return props;
  }
  keel_memory_stats_t memory_stats(uint32_t memory_space = 0) const {
    keel_memory_stats_t stats{};
    stats.struct_size = sizeof(stats);
    check(keel_device_memory_stats(device_, memory_space, &stats));
    return stats;
  }

 private:
  keel_device_t* device_;
};

class Buffer {
 public:
  Buffer() = default;
  static Buffer allocate(const Device& device, uint64_t size, uint32_t memory_space = 0, uint32_t flags = 0) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof(args);
    args.memory_space = memory_space;
    args.flags = flags;
    args.size = size;
    keel_buffer_t* buffer = nullptr;
    check(keel_buffer_allocate(device.get(), &args, &buffer));
    return Buffer(buffer);
  }
  keel_buffer_t* get() const { return buffer_.get(); }
  uint64_t size() const { return keel_buffer_size(buffer_.get()); }
  void* host_pointer() const { return keel_buffer_host_pointer(buffer_.get()); }
  void write(const void* src, uint64_t size, uint64_t offset = 0) { check(keel_buffer_write(get(), offset, src, size)); }
  void read(void* dst, uint64_t size, uint64_t offset = 0) const { check(keel_buffer_read(get(), offset, dst, size)); }
  template <class T>
  void write(std::span<const T> values, uint64_t offset = 0) { write(values.data(), values.size_bytes(), offset); }
  template <class T>
  std::vector<T> read_all() const {
    std::vector<T> values(size() / sizeof(T));
    read(values.data(), values.size() * sizeof(T));
    return values;
  }

 private:
  explicit Buffer(keel_buffer_t* buffer) : buffer_(buffer) {}
  Owned<keel_buffer_t, keel_buffer_release> buffer_;
};

class Event {
 public:
  Event() = default;
  static Event create(const Device& device, uint64_t initial_value = 0) {
    keel_event_t* event = nullptr;
    check(keel_event_create(device.get(), initial_value, &event));
    return Event(event);
  }
  keel_event_t* get() const { return event_.get(); }
  void signal(uint64_t value) { check(keel_event_signal(get(), value)); }
  uint64_t query() const {
    uint64_t value = 0;
    check(keel_event_query(get(), &value));
    return value;
  }
  // True when the value was reached, false on timeout.
  bool wait(uint64_t value, uint64_t timeout_ns = KEEL_WAIT_INFINITE) const {
    uint8_t reached = 0;
    check(keel_event_host_wait(get(), value, timeout_ns, &reached));
    return reached != 0;
  }

 private:
  explicit Event(keel_event_t* event) : event_(event) {}
  Owned<keel_event_t, keel_event_release> event_;
};

class Queue {
 public:
  Queue() = default;
  static Queue create(const Device& device) {
    keel_queue_t* queue = nullptr;
    check(keel_queue_create(device.get(), nullptr, &queue));
    return Queue(queue);
  }
  keel_queue_t* get() const { return queue_.get(); }
  void write(Buffer& buffer, const void* src, uint64_t size, uint64_t offset = 0) {
    check(keel_queue_write(get(), buffer.get(), offset, src, size));
  }
  void read(const Buffer& buffer, void* dst, uint64_t size, uint64_t offset = 0) {
    check(keel_queue_read(get(), buffer.get(), offset, dst, size));
  }
  void signal(Event& event, uint64_t value) { check(keel_queue_signal(get(), event.get(), value)); }
  void wait(Event& event, uint64_t value) { check(keel_queue_wait(get(), event.get(), value)); }
  void synchronize() { check(keel_queue_synchronize(get())); }
  void run(const Op& op, const void* attrs, std::span<const keel_tensor_t> inputs,
           std::span<const keel_tensor_t> outputs) {
    check(keel_op_run(get(), op.get(), attrs, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
  }

 private:
  explicit Queue(keel_queue_t* queue) : queue_(queue) {}
  Owned<keel_queue_t, keel_queue_release> queue_;
};

// ---- Runtime ----------------------------------------------------------------------------------------------

struct RuntimeOptions {
  std::vector<std::string> plugin_paths; // searched first
  bool use_env_path = true;              // KEEL_PLUGIN_PATH
  bool use_manifests = true;             // <prefix>/share/keel/plugins.d
  std::string manifest_dir;              // empty: default
};

class Runtime {
 public:
  Runtime() = default;
  static Runtime create(const RuntimeOptions& options = {}) {
    std::vector<const char*> paths;
    for (const std::string& path : options.plugin_paths) paths.push_back(path.c_str());
    keel_runtime_options_t c_options{};
    c_options.struct_size = sizeof(c_options);
    c_options.plugin_paths = paths.data();
    c_options.plugin_path_count = paths.size();
    c_options.skip_env_path = options.use_env_path ? 0 : 1;
    c_options.skip_manifests = options.use_manifests ? 0 : 1;
    c_options.manifest_dir = options.manifest_dir.empty() ? nullptr : options.manifest_dir.c_str();
    keel_runtime_t* runtime = nullptr;
    check(keel_runtime_create(&c_options, &runtime));
    return Runtime(runtime);
  }
  keel_runtime_t* get() const { return runtime_.get(); }

  std::vector<Device> devices() const {
    std::vector<Device> devices;
    for (size_t i = 0; i < keel_runtime_device_count(get()); ++i) devices.emplace_back(keel_runtime_device(get(), i));
    return devices;
  }
  Device find_device(const std::string& name) const {
    keel_device_t* device = nullptr;
    check(keel_runtime_find_device(get(), name.c_str(), &device));
    return Device(device);
  }
  std::vector<keel_loader_entry_t> loader_report() const {
    std::vector<keel_loader_entry_t> entries(keel_runtime_loader_entry_count(get()));
    for (size_t i = 0; i < entries.size(); ++i) {
      entries[i].struct_size = sizeof(keel_loader_entry_t);
      check(keel_runtime_loader_entry(get(), i, &entries[i]));
    }
    return entries;
  }
  std::vector<keel_plugin_t*> plugins() const {
    std::vector<keel_plugin_t*> plugins;
    for (size_t i = 0; i < keel_runtime_plugin_count(get()); ++i) plugins.push_back(keel_runtime_plugin(get(), i));
    return plugins;
  }

 private:
  explicit Runtime(keel_runtime_t* runtime) : runtime_(runtime) {}
  Owned<keel_runtime_t, keel_runtime_release> runtime_;
};

inline keel_plugin_info_t plugin_info(const keel_plugin_t* plugin) {
  keel_plugin_info_t info{};
  info.struct_size = sizeof(info);
  check(keel_plugin_info(plugin, &info));
  return info;
}

inline std::string version_text(uint32_t version) {
  return std::to_string(KEEL_VERSION_MAJOR(version)) + "." + std::to_string(KEEL_VERSION_MINOR(version));
}

}  // namespace keel
