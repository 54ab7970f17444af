#include "harness.h"

#include <cmath>
#include <cstdio>
#include <memory>

namespace keel::opencl_test {
namespace {

Devices* g_devices = nullptr;

class DevicesEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    g_devices = new Devices;
    Devices& d = *g_devices;
    const Status created(keel::test::CreateRuntime({{opencl_plugin_path(), reference_plugin_path()}}, &d.runtime));
    ASSERT_TRUE(created.ok()) << created.to_string();
    keel_device_t* device = nullptr;
    ASSERT_TRUE(IsOk(keel_runtime_find_device(d.runtime.get(), "reference:0", &device)));
    d.reference = device;
    if (CodeOf(keel_runtime_find_device(d.runtime.get(), "opencl:0", &device)) == KEEL_STATUS_OK) {
      d.opencl = device;
    } else {
      for (const keel::test::LoaderEntry& entry : keel::test::LoaderReport(d.runtime.get())) {
        if (entry.path == opencl_plugin_path()) d.why_no_opencl = entry.reason;
      }
      if (d.why_no_opencl.empty()) d.why_no_opencl = "the plugin loaded but reported no device";
    }
    keel_queue_t* queue = nullptr;
    ASSERT_TRUE(IsOk(keel_queue_create(d.reference, nullptr, &queue)));
    d.reference_queue.reset(queue);
    if (d.opencl != nullptr) {
      ASSERT_TRUE(IsOk(keel_queue_create(d.opencl, nullptr, &queue)));
      d.opencl_queue.reset(queue);
    }
  }
  void TearDown() override {
    delete g_devices;
    g_devices = nullptr;
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new DevicesEnvironment);

std::vector<int64_t> row_major(const std::vector<int64_t>& shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t stride = 1;
  for (size_t k = shape.size(); k-- > 0;) {
    strides[k] = stride;
    stride *= shape[k];
  }
  return strides;
}

// Strides and element offset of a layout, and how many elements the buffer needs.
struct Geometry {
  std::vector<int64_t> strides;
  int64_t offset = 0;
  int64_t storage = 0;
};

Geometry geometry(const std::vector<int64_t>& shape, Layout layout) {
  const size_t rank = shape.size();
  Geometry g;
  g.strides = row_major(shape);
  switch (layout) {
    case Layout::kDense: break;
    case Layout::kTransposed: {
      int64_t stride = 1;
      for (size_t k = 0; k < rank; ++k) {
        g.strides[k] = stride;
        stride *= shape[k];
      }
      break;
    }
    case Layout::kPadded: {
      g.offset = 3;
      int64_t stride = 1;
      for (size_t k = rank; k-- > 0;) {
        g.strides[k] = stride;
        stride *= shape[k] + (k + 1 == rank ? 2 : 0);
      }
      break;
    }
    case Layout::kReversed:
      if (rank > 0) {
        g.offset = shape[0] > 0 ? (shape[0] - 1) * g.strides[0] : 0;
        g.strides[0] = -g.strides[0];
      }
      break;
  }
  int64_t count = 1;
  for (const int64_t dim : shape) count *= dim;
  int64_t highest = g.offset;
  if (count > 0) {
    for (size_t k = 0; k < rank; ++k) {
      if (g.strides[k] > 0) highest += (shape[k] - 1) * g.strides[k];
    }
  }
  g.storage = highest + 3;  // a little slack after the last element
  return g;
}

// The storage position of row-major element i.
int64_t position(const std::vector<int64_t>& shape, const Geometry& g, int64_t i) {
  int64_t at = g.offset;
  for (size_t k = shape.size(); k-- > 0;) {
    at += (i % shape[k]) * g.strides[k];
    i /= shape[k];
  }
  return at;
}

bool is_opencl(keel_device_t* device) { return device == Devices::get().opencl; }

// Writes `bytes` into `buffer`; for the OpenCL device through a reference buffer and keel_buffer_copy.
void upload(keel_device_t* device, keel_buffer_t* buffer, const std::vector<unsigned char>& bytes) {
  if (!is_opencl(device)) {
    ASSERT_TRUE(IsOk(keel_buffer_write(buffer, 0, bytes.data(), bytes.size())));
    return;
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = bytes.size();
  keel_buffer_t* staging = nullptr;
  ASSERT_TRUE(IsOk(keel_buffer_allocate(Devices::get().reference, &args, &staging)));
  const Buffer owned(staging);
  ASSERT_TRUE(IsOk(keel_buffer_write(staging, 0, bytes.data(), bytes.size())));
  ASSERT_TRUE(IsOk(keel_buffer_copy(staging, 0, buffer, 0, bytes.size())));
}

std::vector<unsigned char> download(keel_device_t* device, keel_buffer_t* buffer) {
  std::vector<unsigned char> bytes(keel_buffer_size(buffer));
  if (!is_opencl(device)) {
    EXPECT_TRUE(IsOk(keel_buffer_read(buffer, 0, bytes.data(), bytes.size())));
    return bytes;
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = bytes.size();
  keel_buffer_t* staging = nullptr;
  EXPECT_TRUE(IsOk(keel_buffer_allocate(Devices::get().reference, &args, &staging)));
  const Buffer owned(staging);
  EXPECT_TRUE(IsOk(keel_buffer_copy(buffer, 0, staging, 0, bytes.size())));
  EXPECT_TRUE(IsOk(keel_buffer_read(staging, 0, bytes.data(), bytes.size())));
  return bytes;
}

Placed allocate_view(keel_device_t* device, keel_dtype_t dtype, const std::vector<int64_t>& shape, Layout layout,
                     Geometry* out_geometry) {
  const Geometry g = geometry(shape, layout);
  const size_t size = keel_dtype_size(dtype);
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = static_cast<uint64_t>(g.storage) * size;
  keel_buffer_t* buffer = nullptr;
  EXPECT_TRUE(IsOk(keel_buffer_allocate(device, &args, &buffer)));
  Placed placed;
  placed.buffer.reset(buffer);
  placed.view.buffer = buffer;
  placed.view.dtype = dtype;
  placed.view.rank = static_cast<uint32_t>(shape.size());
  for (size_t k = 0; k < shape.size(); ++k) {
    placed.view.shape[k] = shape[k];
    placed.view.strides[k] = g.strides[k];
  }
  placed.view.byte_offset = static_cast<uint64_t>(g.offset) * size;
  *out_geometry = g;
  return placed;
}

}  // namespace

std::string opencl_plugin_path() { return std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_opencl.so"; }
std::string reference_plugin_path() { return std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_reference.so"; }

Devices& Devices::get() { return *g_devices; }

keel_queue_t* queue_of(keel_device_t* device) {
  return is_opencl(device) ? Devices::get().opencl_queue.get() : Devices::get().reference_queue.get();
}

int64_t Tensor::count() const {
  int64_t count = 1;
  for (const int64_t dim : shape) count *= dim;
  return count;
}

double Tensor::number(int64_t i) const {
  const unsigned char* at = bytes.data() + static_cast<size_t>(i) * element_size();
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return *at;
    case KEEL_DTYPE_I32: {
      int32_t v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    case KEEL_DTYPE_I64: {
      int64_t v;
      std::memcpy(&v, at, sizeof v);
      return static_cast<double>(v);
    }
    case KEEL_DTYPE_F32: {
      float v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    case KEEL_DTYPE_F64: {
      double v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    default: return NAN;
  }
}

uint64_t Tensor::bits(int64_t i) const {
  uint64_t value = 0;
  std::memcpy(&value, bytes.data() + static_cast<size_t>(i) * element_size(), element_size());
  return value;
}

std::string Tensor::text(int64_t i) const {
  char text[96];
  if (dtype == KEEL_DTYPE_I64) {
    int64_t v;
    std::memcpy(&v, bytes.data() + static_cast<size_t>(i) * 8, 8);
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(text, sizeof text, "%.17g (bits 0x%llx)", number(i), static_cast<unsigned long long>(bits(i)));
  }
  return text;
}

Tensor make_tensor(keel_dtype_t dtype, std::vector<int64_t> shape) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.bytes.assign(static_cast<size_t>(t.count()) * t.element_size(), 0);
  return t;
}

void set_number(Tensor& t, int64_t i, double value) {
  unsigned char* at = t.bytes.data() + static_cast<size_t>(i) * t.element_size();
  switch (t.dtype) {
    case KEEL_DTYPE_BOOL: *at = value != 0 ? 1 : 0; break;
    case KEEL_DTYPE_I32: {
      const auto v = static_cast<int32_t>(value);
      std::memcpy(at, &v, sizeof v);
      break;
    }
    case KEEL_DTYPE_I64: {
      const auto v = static_cast<int64_t>(value);
      std::memcpy(at, &v, sizeof v);
      break;
    }
    case KEEL_DTYPE_F32: {
      const auto v = static_cast<float>(value);
      std::memcpy(at, &v, sizeof v);
      break;
    }
    case KEEL_DTYPE_F64: std::memcpy(at, &value, sizeof value); break;
    default: break;
  }
}

void set_bits(Tensor& t, int64_t i, uint64_t bits) {
  std::memcpy(t.bytes.data() + static_cast<size_t>(i) * t.element_size(), &bits, t.element_size());
}

Tensor tensor_of(keel_dtype_t dtype, std::vector<int64_t> shape, const std::vector<double>& values) {
  Tensor t = make_tensor(dtype, std::move(shape));
  for (int64_t i = 0; i < t.count(); ++i) set_number(t, i, values[static_cast<size_t>(i) % values.size()]);
  return t;
}

Tensor widened(const Tensor& t) {
  if (t.dtype != KEEL_DTYPE_F32) return t;
  Tensor wide = make_tensor(KEEL_DTYPE_F64, t.shape);
  for (int64_t i = 0; i < t.count(); ++i) set_number(wide, i, t.number(i));
  return wide;
}

Tensor absolute(const Tensor& t) {
  Tensor result = t;
  for (int64_t i = 0; i < t.count(); ++i) set_number(result, i, std::fabs(t.number(i)));
  return result;
}

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::kDense: return "dense";
    case Layout::kTransposed: return "transposed";
    case Layout::kPadded: return "padded";
    case Layout::kReversed: return "reversed";
  }
  return "?";
}

Placed place(keel_device_t* device, const Tensor& t, Layout layout) {
  Geometry g;
  Placed placed = allocate_view(device, t.dtype, t.shape, layout, &g);
  const size_t size = t.element_size();
  std::vector<unsigned char> storage(static_cast<size_t>(g.storage) * size, 0xA5);
  for (int64_t i = 0; i < t.count(); ++i) {
    std::memcpy(storage.data() + static_cast<size_t>(position(t.shape, g, i)) * size,
                t.bytes.data() + static_cast<size_t>(i) * size, size);
  }
  upload(device, placed.buffer.get(), storage);
  return placed;
}

Placed place_output(keel_device_t* device, keel_dtype_t dtype, const std::vector<int64_t>& shape, Layout layout) {
  Geometry g;
  Placed placed = allocate_view(device, dtype, shape, layout, &g);
  upload(device, placed.buffer.get(), std::vector<unsigned char>(static_cast<size_t>(g.storage) * keel_dtype_size(dtype), 0xA5));
  return placed;
}

Tensor fetch(const Placed& placed) {
  std::vector<int64_t> shape(placed.view.shape, placed.view.shape + placed.view.rank);
  Tensor t = make_tensor(placed.view.dtype, shape);
  const keel_device_t* owner = keel_buffer_device(placed.buffer.get());
  const std::vector<unsigned char> storage = download(const_cast<keel_device_t*>(owner), placed.buffer.get());
  Geometry g;
  g.strides.assign(placed.view.strides, placed.view.strides + placed.view.rank);
  const size_t size = t.element_size();
  g.offset = static_cast<int64_t>(placed.view.byte_offset / size);
  for (int64_t i = 0; i < t.count(); ++i) {
    std::memcpy(t.bytes.data() + static_cast<size_t>(i) * size,
                storage.data() + static_cast<size_t>(position(shape, g, i)) * size, size);
  }
  return t;
}

Result run(keel_device_t* device, const std::string& op_name, const void* attrs, const std::vector<Tensor>& inputs,
           const std::vector<Layout>& layouts, Layout output_layout) {
  Result result;
  const keel_op_t* op = nullptr;
  {
    Status found(keel_op_find(op_name.c_str(), &op));
    if (!found.ok()) return {found.code(), found.message(), {}};
  }
  std::vector<Placed> placed;
  std::vector<keel_tensor_t> views;
  for (size_t i = 0; i < inputs.size(); ++i) {
    placed.push_back(place(device, inputs[i], layouts.empty() ? Layout::kDense : layouts[i]));
    views.push_back(placed.back().view);
  }
  keel_op_info_t info{};
  info.struct_size = sizeof info;
  EXPECT_TRUE(IsOk(keel_op_describe(op, &info)));
  std::vector<keel_tensor_t> inferred(info.output_count);
  {
    Status status(keel_op_infer(op, attrs, views.data(), views.size(), inferred.data(), inferred.size()));
    if (!status.ok()) return {status.code(), status.message(), {}};
  }
  std::vector<Placed> outputs;
  std::vector<keel_tensor_t> out_views;
  for (const keel_tensor_t& out : inferred) {
    outputs.push_back(place_output(device, out.dtype, std::vector<int64_t>(out.shape, out.shape + out.rank),
                                   output_layout));
    out_views.push_back(outputs.back().view);
  }
  keel_queue_t* queue = queue_of(device);
  {
    Status status(keel_op_run(queue, op, attrs, views.data(), views.size(), out_views.data(), out_views.size()));
    if (!status.ok()) return {status.code(), status.message(), {}};
  }
  {
    Status status(keel_queue_synchronize(queue));
    if (!status.ok()) return {status.code(), status.message(), {}};
  }
  for (const Placed& out : outputs) result.outputs.push_back(fetch(out));
  return result;
}

}  // namespace keel::opencl_test
