// Moving data between host memory and tensors, element conversion, and Tensor::to(device).
#include <cmath>
#include <cstring>

#include "autograd/graph.h"
#include "keel/autograd.hpp"
#include "runtime/context.h"
#include "tensor/make.h"

namespace keel {
namespace detail {
namespace {

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  const uint32_t mantissa = h & 0x3FFu;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa != 0 ? NAN : INFINITY;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
  }
  return sign != 0 ? -value : value;
}

// Round to nearest, ties to even.
uint16_t float_to_half(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  if (std::isnan(f)) return static_cast<uint16_t>(sign | 0x7E00u);
  const float a = std::fabs(f);
  if (a >= 65520.0f) return static_cast<uint16_t>(sign | 0x7C00u);
  if (a < std::ldexp(1.0f, -14)) {  // subnormal: a multiple of 2^-24
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(std::ldexp(a, 24))));
  }
  int e;
  const float m = std::frexp(a, &e);  // a = m · 2^e, m in [0.5, 1)
  uint32_t mantissa = static_cast<uint32_t>(std::nearbyint(std::ldexp(m, 11)));  // 11 significant bits
  if (mantissa == 2048) {
    mantissa = 1024;
    ++e;
  }
  return static_cast<uint16_t>(sign | static_cast<uint16_t>((e + 14) << 10) | (mantissa & 0x3FFu));
}

float bf16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

uint16_t float_to_bf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  if (std::isnan(f)) return static_cast<uint16_t>((bits >> 16) | 0x40u);
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

template <class T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <class T>
void store(unsigned char* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

double element_to_double(Dtype dtype, const unsigned char* p) {
  switch (dtype) {
    case Dtype::boolean: return *p != 0 ? 1.0 : 0.0;
    case Dtype::i8: return static_cast<int8_t>(*p);
    case Dtype::u8: return *p;
    case Dtype::i32: return load<int32_t>(p);
    case Dtype::i64: return static_cast<double>(load<int64_t>(p));
    case Dtype::f16: return half_to_float(load<uint16_t>(p));
    case Dtype::bf16: return bf16_to_float(load<uint16_t>(p));
    case Dtype::f32: return load<float>(p);
    case Dtype::f64: return load<double>(p);
    case Dtype::invalid: break;
  }
  return 0;
}

int64_t element_to_int64(Dtype dtype, const unsigned char* p) {
  switch (dtype) {
    case Dtype::i32: return load<int32_t>(p);
    case Dtype::i64: return load<int64_t>(p);
    default: return static_cast<int64_t>(element_to_double(dtype, p));
  }
}

void double_to_element(Dtype dtype, double v, unsigned char* p) {
  switch (dtype) {
    case Dtype::boolean: *p = v != 0 ? 1 : 0; break;
    case Dtype::i8: store<int8_t>(p, static_cast<int8_t>(v)); break;
    case Dtype::u8: *p = static_cast<uint8_t>(v); break;
    case Dtype::i32: store<int32_t>(p, static_cast<int32_t>(v)); break;
    case Dtype::i64: store<int64_t>(p, static_cast<int64_t>(v)); break;
    case Dtype::f16: store<uint16_t>(p, float_to_half(static_cast<float>(v))); break;
    case Dtype::bf16: store<uint16_t>(p, float_to_bf16(static_cast<float>(v))); break;
    case Dtype::f32: store<float>(p, static_cast<float>(v)); break;
    case Dtype::f64: store<double>(p, v); break;
    case Dtype::invalid: break;
  }
}

std::vector<unsigned char> read_all(const Tensor& tensor) {
  std::vector<unsigned char> bytes(static_cast<size_t>(tensor.numel()) * dtype_size(tensor.dtype()));
  read_bytes(tensor, bytes.data());
  return bytes;
}

}  // namespace

void read_bytes(const Tensor& tensor, void* dst) {
  const Tensor dense = tensor.contiguous();
  const uint64_t bytes = static_cast<uint64_t>(dense.numel()) * dtype_size(dense.dtype());
  if (bytes == 0) return;
  DeviceState& device = device_of(dense);
  device.synchronize();
  check(keel_buffer_read(dense.impl()->storage->buffer(), dense.byte_offset(), dst, bytes));
}

Tensor upload(const void* data, Dtype dtype, Shape shape, const TensorOptions& options) {
  DeviceState& device = state_of(options.device);
  Tensor t = empty_on(device, dtype, shape);
  const uint64_t bytes = static_cast<uint64_t>(t.numel()) * dtype_size(dtype);
  if (bytes > 0) {
    device.synchronize();  // the block may be a cached one that queued work still reads
    check(keel_buffer_write(t.impl()->storage->buffer(), 0, data, bytes));
  }
  if (options.requires_grad) t.requires_grad_();
  return t;
}

std::vector<double> to_doubles(const Tensor& tensor) {
  const std::vector<unsigned char> bytes = read_all(tensor);
  const size_t size = dtype_size(tensor.dtype());
  std::vector<double> values(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = element_to_double(tensor.dtype(), bytes.data() + i * size);
  return values;
}

std::vector<int64_t> to_int64s(const Tensor& tensor) {
  const std::vector<unsigned char> bytes = read_all(tensor);
  const size_t size = dtype_size(tensor.dtype());
  std::vector<int64_t> values(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = element_to_int64(tensor.dtype(), bytes.data() + i * size);
  return values;
}

// A copy of `tensor` (contiguous) on another device, through keel_buffer_copy.
Tensor copy_to(const Tensor& tensor, DeviceState& target) {
  const Tensor dense = tensor.contiguous();
  Tensor out = empty_on(target, dense.dtype(), dense.shape());
  const uint64_t bytes = static_cast<uint64_t>(dense.numel()) * dtype_size(dense.dtype());
  if (bytes > 0) {
    device_of(dense).synchronize();
    target.synchronize();
    check(keel_buffer_copy(dense.impl()->storage->buffer(), dense.byte_offset(), out.impl()->storage->buffer(), 0, bytes));
  }
  return out;
}

}  // namespace detail

Tensor tensor(std::span<const double> values, Shape shape, const TensorOptions& options) {
  if (shape.empty() && values.size() != 1) shape = {static_cast<int64_t>(values.size())};
  if (detail::numel_of(shape) != static_cast<int64_t>(values.size())) {
    detail::fail(KEEL_STATUS_INVALID_ARGUMENT, "tensor(): " + std::to_string(values.size()) +
                                                   " values do not fill the shape");
  }
  const size_t size = dtype_size(options.dtype);
  std::vector<unsigned char> bytes(values.size() * size);
  for (size_t i = 0; i < values.size(); ++i) detail::double_to_element(options.dtype, values[i], bytes.data() + i * size);
  return detail::upload(bytes.data(), options.dtype, std::move(shape), options);
}

Tensor tensor(std::initializer_list<double> values, Shape shape, const TensorOptions& options) {
  return tensor(std::span<const double>(values.begin(), values.size()), std::move(shape), options);
}

Tensor Tensor::to(const Device& target) const {
  if (target.get() == device().get()) return *this;
  detail::DeviceState& destination = detail::state_of(target);
  detail::DeviceState& source = detail::device_of(*this);
  autograd::CustomFunction move;
  move.name = "to";
  move.forward = [&destination](std::span<const Tensor> in) {
    return std::vector<Tensor>{detail::copy_to(in[0], destination)};
  };
  move.vjp = [&source](std::span<const Tensor>, std::span<const Tensor>, std::span<const Tensor> g) {
    return std::vector<Tensor>{g[0].to(Device(source.device))};
  };
  move.jvp = [&destination](std::span<const Tensor>, std::span<const Tensor>, std::span<const Tensor> t) {
    return std::vector<Tensor>{t[0].to(Device(destination.device))};
  };
  const Tensor inputs[] = {*this};
  return autograd::apply(move, inputs)[0];
}

}  // namespace keel
