#include "harness.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

namespace keel::onednn_test {

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::kDense: return "dense";
    case Layout::kTransposed: return "transposed";
    case Layout::kStrided: return "strided";
    case Layout::kReversed: return "reversed";
    case Layout::kOffset: return "offset";
    case Layout::kExpanded: return "expanded";
    case Layout::kChannelsLast: return "channels-last";
  }
  return "?";
}

keel_status_code_t consume(keel_status_t status, std::string* message) {
  const keel_status_code_t code = keel_status_code(status);
  if (message != nullptr) *message = keel_status_message(status);
  keel_status_release(status);
  return code;
}

namespace {

void check(keel_status_t status, const char* what) {
  std::string message;
  if (consume(status, &message) != KEEL_STATUS_OK) throw std::runtime_error(std::string(what) + ": " + message);
}

// Strides (in elements) and the element offset of element 0 for `layout`; *extent gets the number of
// elements the buffer needs.
void place(const Dims& shape, Layout layout, int64_t* strides, int64_t* first, int64_t* extent) {
  const size_t rank = shape.size();
  int64_t stride = 1;
  *first = 0;
  switch (layout) {
    case Layout::kDense:
    case Layout::kOffset:
    case Layout::kExpanded:
      for (size_t d = rank; d-- > 0;) {
        strides[d] = stride;
        stride *= shape[d];
      }
      if (layout == Layout::kOffset) *first = 5;
      if (layout == Layout::kExpanded && rank > 0) strides[0] = 0;
      break;
    case Layout::kTransposed:
      for (size_t d = 0; d < rank; ++d) {
        strides[d] = stride;
        stride *= shape[d];
      }
      break;
    case Layout::kChannelsLast:
      if (rank < 3) {
        place(shape, Layout::kDense, strides, first, extent);
        return;
      }
      strides[1] = 1;
      stride = shape[1];
      for (size_t d = rank; d-- > 2;) {
        strides[d] = stride;
        stride *= shape[d];
      }
      strides[0] = stride;
      break;
    case Layout::kStrided:
      stride = 2;
      for (size_t d = rank; d-- > 0;) {
        strides[d] = stride;
        stride *= shape[d] + 1;
      }
      *first = 3;
      break;
    case Layout::kReversed:
      for (size_t d = rank; d-- > 0;) {
        strides[d] = -stride;
        stride *= shape[d];
      }
      *first = stride - 1;
      if (count_of(shape) == 0) *first = 0;
      break;
  }
  int64_t high = 0;
  for (size_t d = 0; d < rank; ++d) {
    if (shape[d] == 0) {
      high = 0;
      break;
    }
    if (strides[d] > 0) high += (shape[d] - 1) * strides[d];
  }
  *extent = *first + high + 8;  // slack after the view holds guard bytes too
}

// Element offset (from buffer start) of row-major element `linear` of the view.
int64_t position(const keel_tensor_t& view, int64_t first, int64_t linear) {
  int64_t at = first;
  for (uint32_t d = view.rank; d-- > 0;) {
    at += (linear % view.shape[d]) * view.strides[d];
    linear /= view.shape[d];
  }
  return at;
}

}  // namespace

DeviceTensor::DeviceTensor(DeviceTensor&& other) noexcept
    : buffer_(std::exchange(other.buffer_, nullptr)), view_(other.view_), bytes_(other.bytes_) {}

DeviceTensor& DeviceTensor::operator=(DeviceTensor&& other) noexcept {
  if (this != &other) {
    keel_buffer_release(buffer_);
    buffer_ = std::exchange(other.buffer_, nullptr);
    view_ = other.view_;
    bytes_ = other.bytes_;
  }
  return *this;
}

DeviceTensor::~DeviceTensor() { keel_buffer_release(buffer_); }

Harness& Harness::get() {
  static Harness harness;
  return harness;
}

Harness::Harness() {
  const char* paths[] = {KEEL_BUILD_PLUGIN_DIR "/libkeel_onednn.so", KEEL_BUILD_PLUGIN_DIR "/libkeel_reference.so"};
  keel_runtime_options_t options{};
  options.struct_size = sizeof options;
  options.plugin_paths = paths;
  options.plugin_path_count = 2;
  options.skip_env_path = 1;
  options.skip_manifests = 1;
  check(keel_runtime_create(&options, &runtime_), "keel_runtime_create");
  check(keel_runtime_find_device(runtime_, "onednn", &onednn_), "find onednn");
  check(keel_runtime_find_device(runtime_, "reference", &reference_), "find reference");
  check(keel_queue_create(onednn_, nullptr, &onednn_queue_), "queue on onednn");
  check(keel_queue_create(reference_, nullptr, &reference_queue_), "queue on reference");
}

Harness::~Harness() {
  keel_queue_release(onednn_queue_);
  keel_queue_release(reference_queue_);
  keel_runtime_release(runtime_);
}

DeviceTensor Harness::allocate(keel_device_t* device, keel_dtype_t dtype, const Dims& shape, Layout layout) const {
  keel_tensor_t view{};
  view.dtype = dtype;
  view.rank = static_cast<uint32_t>(shape.size());
  int64_t first = 0;
  int64_t extent = 0;
  for (size_t d = 0; d < shape.size(); ++d) view.shape[d] = shape[d];
  place(shape, layout, view.strides, &first, &extent);
  const uint64_t element = size_of(dtype);
  view.byte_offset = static_cast<uint64_t>(first) * element;
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = static_cast<uint64_t>(extent) * element;
  keel_buffer_t* buffer = nullptr;
  check(keel_buffer_allocate(device, &args, &buffer), "keel_buffer_allocate");
  view.buffer = buffer;
  DeviceTensor tensor(buffer, view, args.size);
  const std::vector<unsigned char> guard(args.size, kGuardByte);
  check(keel_buffer_write(buffer, 0, guard.data(), guard.size()), "keel_buffer_write");
  return tensor;
}

DeviceTensor Harness::upload(keel_device_t* device, const HostTensor& host, Layout layout) const {
  if (host.is_absent()) return DeviceTensor(nullptr, keel_tensor_t{}, 0);  // an absent optional input
  DeviceTensor tensor = allocate(device, host.dtype, host.shape, layout);
  std::vector<std::byte> memory(tensor.bytes());
  check(keel_buffer_read(tensor.buffer(), 0, memory.data(), memory.size()), "keel_buffer_read");
  const size_t element = size_of(host.dtype);
  const int64_t first = static_cast<int64_t>(tensor.view().byte_offset / element);
  for (int64_t i = 0; i < host.count(); ++i) {
    const int64_t at = position(tensor.view(), first, i);
    std::memcpy(memory.data() + static_cast<size_t>(at) * element, host.bytes.data() + static_cast<size_t>(i) * element,
                element);
  }
  check(keel_buffer_write(tensor.buffer(), 0, memory.data(), memory.size()), "keel_buffer_write");
  return tensor;
}

HostTensor Harness::download(const DeviceTensor& tensor) const {
  const keel_tensor_t& view = tensor.view();
  HostTensor host = HostTensor::zeros(view.dtype, Dims(view.shape, view.shape + view.rank));
  std::vector<std::byte> memory(tensor.bytes());
  check(keel_buffer_read(tensor.buffer(), 0, memory.data(), memory.size()), "keel_buffer_read");
  const size_t element = size_of(view.dtype);
  const int64_t first = static_cast<int64_t>(view.byte_offset / element);
  for (int64_t i = 0; i < host.count(); ++i) {
    const int64_t at = position(view, first, i);
    std::memcpy(host.bytes.data() + static_cast<size_t>(i) * element, memory.data() + static_cast<size_t>(at) * element,
                element);
  }
  return host;
}

bool Harness::guard_bytes_intact(const DeviceTensor& tensor) const {
  const keel_tensor_t& view = tensor.view();
  std::vector<unsigned char> memory(tensor.bytes());
  check(keel_buffer_read(tensor.buffer(), 0, memory.data(), memory.size()), "keel_buffer_read");
  std::vector<bool> inside(memory.size(), false);
  const size_t element = size_of(view.dtype);
  const int64_t first = static_cast<int64_t>(view.byte_offset / element);
  const int64_t count = count_of(Dims(view.shape, view.shape + view.rank));
  for (int64_t i = 0; i < count; ++i) {
    const size_t at = static_cast<size_t>(position(view, first, i)) * element;
    for (size_t b = 0; b < element; ++b) inside[at + b] = true;
  }
  for (size_t b = 0; b < memory.size(); ++b) {
    if (!inside[b] && memory[b] != kGuardByte) return false;
  }
  return true;
}

keel_status_code_t Harness::run(keel_device_t* device, const char* op_name, const void* attrs,
                                const std::vector<const DeviceTensor*>& inputs,
                                const std::vector<const DeviceTensor*>& outputs, std::string* message) const {
  std::vector<keel_tensor_t> in, out;
  for (const DeviceTensor* t : inputs) in.push_back(t->view());
  for (const DeviceTensor* t : outputs) out.push_back(t->view());
  return run_views(device, op_name, attrs, in, out, message);
}

keel_status_code_t Harness::run_views(keel_device_t* device, const char* op_name, const void* attrs,
                                      const std::vector<keel_tensor_t>& in, const std::vector<keel_tensor_t>& out,
                                      std::string* message) const {
  const keel_op_t* op = nullptr;
  check(keel_op_find(op_name, &op), op_name);
  keel_queue_t* q = queue(device);
  const keel_status_code_t code =
      consume(keel_op_run(q, op, attrs, in.data(), in.size(), out.data(), out.size()), message);
  std::string sync_message;
  const keel_status_code_t sync = consume(keel_queue_synchronize(q), &sync_message);
  if (code == KEEL_STATUS_OK && sync != KEEL_STATUS_OK) {
    if (message != nullptr) *message = sync_message;
    return sync;
  }
  return code;
}

std::vector<std::pair<keel_dtype_t, Dims>> Harness::infer(const char* op_name, const void* attrs,
                                                         const std::vector<std::pair<keel_dtype_t, Dims>>& inputs,
                                                         std::string* message, size_t output_count) const {
  const keel_op_t* op = nullptr;
  check(keel_op_find(op_name, &op), op_name);
  keel_op_info_t info{};
  info.struct_size = sizeof info;
  check(keel_op_describe(op, &info), "keel_op_describe");
  std::vector<keel_tensor_t> in(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    in[i].dtype = inputs[i].first;
    in[i].rank = static_cast<uint32_t>(inputs[i].second.size());
    for (size_t d = 0; d < inputs[i].second.size(); ++d) in[i].shape[d] = inputs[i].second[d];
  }
  std::vector<keel_tensor_t> out(output_count > 0 ? output_count : info.output_count);
  if (consume(keel_op_infer(op, attrs, in.data(), in.size(), out.data(), out.size()), message) != KEEL_STATUS_OK) {
    return {};
  }
  std::vector<std::pair<keel_dtype_t, Dims>> result;
  for (const keel_tensor_t& t : out) result.emplace_back(t.dtype, Dims(t.shape, t.shape + t.rank));
  return result;
}

}  // namespace keel::onednn_test
