#include "harness/gpu_env.h"

#include <cstdlib>
#include <cstring>
#include <numeric>

namespace keel::cuda_test {
namespace {

using keel::test::IsOk;

struct ViewLayout {
  int64_t storage = 0;  // elements
  int64_t offset = 0;   // elements before element (0, ..., 0)
  std::vector<int64_t> strides;
};

ViewLayout view_of(const Dims& shape, Layout layout) {
  const size_t rank = shape.size();
  ViewLayout view;
  view.strides.assign(rank, 0);
  const int64_t count = count_of(shape);
  int64_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    view.strides[d] = stride;
    stride *= std::max<int64_t>(shape[d], 1);
  }
  view.storage = count;
  switch (layout) {
    case Layout::kDense: break;
    case Layout::kOffset:
      view.offset = 3;
      view.storage = count + 5;
      break;
    case Layout::kTransposed:  // column-major
      stride = 1;
      for (size_t d = 0; d < rank; ++d) {
        view.strides[d] = stride;
        stride *= std::max<int64_t>(shape[d], 1);
      }
      break;
    case Layout::kStrided:  // every other element
      for (int64_t& s : view.strides) s *= 2;
      view.storage = 2 * count;
      break;
    case Layout::kReversed:  // every axis runs backwards
      for (size_t d = 0; d < rank; ++d) {
        if (shape[d] > 0) view.offset += (shape[d] - 1) * view.strides[d];
        view.strides[d] = -view.strides[d];
      }
      break;
  }
  if (count == 0) view.offset = 0;
  return view;
}

// Byte position (in elements) of row-major element `linear` of the view.
int64_t position(const Dims& shape, const ViewLayout& view, int64_t linear) {
  int64_t at = view.offset;
  for (size_t d = shape.size(); d-- > 0;) {
    at += (linear % shape[d]) * view.strides[d];
    linear /= shape[d];
  }
  return at;
}

keel_tensor_t describe(keel_buffer_t* buffer, keel_dtype_t dtype, const Dims& shape, const ViewLayout& view) {
  keel_tensor_t tensor{};
  tensor.buffer = buffer;
  tensor.dtype = dtype;
  tensor.rank = static_cast<uint32_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    tensor.shape[d] = shape[d];
    tensor.strides[d] = view.strides[d];
  }
  tensor.byte_offset = static_cast<uint64_t>(view.offset) * size_of(dtype);
  return tensor;
}

Buffer make_buffer(keel_device_t* device, uint64_t bytes) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = bytes;
  keel_buffer_t* raw = nullptr;
  EXPECT_TRUE(IsOk(keel_buffer_allocate(device, &args, &raw)));
  return Buffer(raw);
}

Dims dims_of(const keel_tensor_t& tensor) { return Dims(tensor.shape, tensor.shape + tensor.rank); }

ViewLayout view_from(const keel_tensor_t& tensor) {
  ViewLayout view;
  view.offset = static_cast<int64_t>(tensor.byte_offset / size_of(tensor.dtype));
  view.strides.assign(tensor.strides, tensor.strides + tensor.rank);
  return view;
}

const keel_op_t* find_op(const char* name) {
  const keel_op_t* op = nullptr;
  EXPECT_TRUE(IsOk(keel_op_find(name, &op))) << name;
  return op;
}

std::vector<keel_tensor_t> tensors_of(const std::vector<DeviceTensor*>& inputs) {
  std::vector<keel_tensor_t> tensors;
  for (const DeviceTensor* input : inputs) tensors.push_back(input->tensor);
  return tensors;
}

}  // namespace

GpuEnvironment::GpuEnvironment() {
  const char* chosen = std::getenv("KEEL_CUDA_TEST_DEVICE");
  device_plugin_ = chosen != nullptr && *chosen != '\0' ? chosen : "cuda";
  const std::string dir = KEEL_BUILD_PLUGIN_DIR;
  keel::test::RuntimeConfig config;
  config.plugin_paths = {dir + "/libkeel_reference.so"};
  if (device_plugin_ != "reference") config.plugin_paths.push_back(dir + "/libkeel_" + device_plugin_ + ".so");
  keel::test::Status created(keel::test::CreateRuntime(config, &runtime_));
  if (!created.ok()) {
    unavailable_ = "cannot create a runtime: " + created.to_string();
    return;
  }
  keel::test::Status found(keel_runtime_find_device(runtime_.get(), "reference", &oracle_));
  if (!found.ok()) {
    unavailable_ = "the reference plugin did not load: " + found.to_string();
    return;
  }
  keel::test::Status tested(keel_runtime_find_device(runtime_.get(), device_plugin_.c_str(), &device_));
  if (tested.ok()) return;
  device_ = nullptr;
  unavailable_ = "no " + device_plugin_ + " device";
  for (const keel::test::LoaderEntry& entry : keel::test::LoaderReport(runtime_.get())) {
    if (entry.plugin_name == device_plugin_ || entry.path.find("libkeel_" + device_plugin_) != std::string::npos) {
      unavailable_ += ": " + entry.reason;
    }
  }
}

GpuEnvironment& GpuEnvironment::get() {
  static GpuEnvironment environment;
  return environment;
}

void GpuTest::SetUp() {
  if (env().device() == nullptr) GTEST_SKIP() << env().unavailable() << " (these tests need a GPU)";
}

const char* name_of(Layout layout) {
  switch (layout) {
    case Layout::kDense: return "dense";
    case Layout::kOffset: return "offset";
    case Layout::kTransposed: return "transposed";
    case Layout::kStrided: return "strided";
    case Layout::kReversed: return "reversed";
  }
  return "?";
}

DeviceTensor upload(keel_device_t* device, keel_dtype_t dtype, const HostValues& values, Layout layout) {
  const ViewLayout view = view_of(values.shape, layout);
  const size_t element = size_of(dtype);
  std::vector<std::byte> bytes(std::max<int64_t>(view.storage, 1) * element, std::byte{0xa5});
  for (int64_t i = 0; i < values.count(); ++i) {
    encode(dtype, values.values[i], bytes.data() + position(values.shape, view, i) * element);
  }
  DeviceTensor tensor;
  tensor.buffer = make_buffer(device, bytes.size());
  EXPECT_TRUE(IsOk(keel_buffer_write(tensor.buffer.get(), 0, bytes.data(), bytes.size())));
  tensor.tensor = describe(tensor.buffer.get(), dtype, values.shape, view);
  return tensor;
}

DeviceTensor allocate(keel_device_t* device, keel_dtype_t dtype, const Dims& shape, Layout layout) {
  const ViewLayout view = view_of(shape, layout);
  const std::vector<std::byte> bytes(std::max<int64_t>(view.storage, 1) * size_of(dtype), std::byte{0xa5});
  DeviceTensor tensor;
  tensor.buffer = make_buffer(device, bytes.size());
  EXPECT_TRUE(IsOk(keel_buffer_write(tensor.buffer.get(), 0, bytes.data(), bytes.size())));
  tensor.tensor = describe(tensor.buffer.get(), dtype, shape, view);
  return tensor;
}

std::vector<std::byte> download_bytes(const DeviceTensor& tensor) {
  keel_buffer_t* source = tensor.buffer.get();
  const uint64_t size = keel_buffer_size(source);
  std::vector<std::byte> storage(size);
  keel_device_t* oracle = GpuEnvironment::get().oracle();
  if (keel_buffer_device(source) != oracle) {
    Buffer staged = make_buffer(oracle, size);
    EXPECT_TRUE(IsOk(keel_buffer_copy(source, 0, staged.get(), 0, size)));
    EXPECT_TRUE(IsOk(keel_buffer_read(staged.get(), 0, storage.data(), size)));
  } else {
    EXPECT_TRUE(IsOk(keel_buffer_read(source, 0, storage.data(), size)));
  }
  const Dims shape = dims_of(tensor.tensor);
  const ViewLayout view = view_from(tensor.tensor);
  const size_t element = size_of(tensor.tensor.dtype);
  std::vector<std::byte> elements(count_of(shape) * element);
  for (int64_t i = 0; i < count_of(shape); ++i) {
    std::memcpy(elements.data() + i * element, storage.data() + position(shape, view, i) * element, element);
  }
  return elements;
}

HostValues download(const DeviceTensor& tensor) {
  const std::vector<std::byte> bytes = download_bytes(tensor);
  HostValues values{tensor.tensor.dtype, dims_of(tensor.tensor), {}};
  const size_t element = size_of(values.dtype);
  for (int64_t i = 0; i < values.count(); ++i) values.values.push_back(decode(values.dtype, bytes.data() + i * element));
  return values;
}

std::vector<DeviceTensor> run_op(keel_device_t* device, const char* op_name, const void* attrs,
                                 const std::vector<DeviceTensor*>& inputs, Layout out_layout) {
  const keel_op_t* op = find_op(op_name);
  keel_op_info_t info{};
  info.struct_size = sizeof info;
  EXPECT_TRUE(IsOk(keel_op_describe(op, &info)));
  const std::vector<keel_tensor_t> in = tensors_of(inputs);
  std::vector<keel_tensor_t> inferred(info.output_count);
  EXPECT_TRUE(IsOk(keel_op_infer(op, attrs, in.data(), in.size(), inferred.data(), inferred.size())));
  std::vector<DeviceTensor> outputs;
  std::vector<keel_tensor_t> out;
  for (const keel_tensor_t& meta : inferred) {
    outputs.push_back(allocate(device, meta.dtype, dims_of(meta), out_layout));
    out.push_back(outputs.back().tensor);
  }
  keel_queue_t* raw = nullptr;
  EXPECT_TRUE(IsOk(keel_queue_create(device, nullptr, &raw)));
  const Queue queue(raw);
  EXPECT_TRUE(IsOk(keel_op_run(queue.get(), op, attrs, in.data(), in.size(), out.data(), out.size()))) << op_name;
  EXPECT_TRUE(IsOk(keel_queue_synchronize(queue.get()))) << op_name;
  return outputs;
}

keel::test::Status supports(keel_device_t* device, const char* op_name, const void* attrs,
                            const std::vector<DeviceTensor*>& inputs) {
  const keel_op_t* op = find_op(op_name);
  keel_op_info_t info{};
  info.struct_size = sizeof info;
  EXPECT_TRUE(IsOk(keel_op_describe(op, &info)));
  const std::vector<keel_tensor_t> in = tensors_of(inputs);
  std::vector<keel_tensor_t> out(info.output_count);
  keel::test::Status inferred(keel_op_infer(op, attrs, in.data(), in.size(), out.data(), out.size()));
  if (!inferred.ok()) return inferred;
  return keel::test::Status(keel_device_supports_op(device, op, attrs, in.data(), in.size(), out.data(), out.size()));
}

}  // namespace keel::cuda_test
