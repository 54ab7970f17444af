// keel::Tensor: metadata, views, copies, in-place updates and the operator overloads.
#include <algorithm>
#include <numeric>

#include "autograd/graph.h"
#include "autograd/hooks.h"
#include "dispatch/dispatch.h"
#include "dispatch/op_table.h"
#include "keel/autograd.hpp"
#include "keel/keel_ops.h"
#include "keel/ops.hpp"
#include "tensor/make.h"

namespace keel {

using detail::fail;

namespace {

// In-place updates are not recorded: refuse them where a gradient would silently go wrong.
void check_inplace(const Tensor& target, const Tensor* source, const char* what) {
  if (!target.defined()) fail(KEEL_STATUS_INVALID_ARGUMENT, std::string(what) + ": the tensor is undefined");
  if (!detail::grad_enabled()) return;
  if (detail::needs_grad(target) || (source != nullptr && detail::needs_grad(*source))) {
    fail(KEEL_STATUS_FAILED_PRECONDITION,
         std::string(what) + ": in-place update of a tensor that requires grad (or from one) while grad mode is on; "
                             "run it under keel::autograd::NoGrad (as optimizer steps do) or use out-of-place operators");
  }
  for (int64_t i = 0; i < target.rank(); ++i) {
    if (target.strides()[i] == 0 && target.shape()[i] > 1) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, std::string(what) + ": the tensor is a broadcast view (elements overlap)");
    }
  }
}

// Runs a spec operator writing into `target`'s own elements.
void run_into(const char* op_name, const void* attrs, std::span<const Tensor* const> inputs, Tensor& target) {
  static_cast<void>(op_name);
  const int32_t op = detail::find_op_index(op_name);
  std::vector<keel_tensor_t> in;
  for (const Tensor* t : inputs) in.push_back(detail::c_tensor(*t));
  const keel_tensor_t out = detail::c_tensor(target);
  detail::DeviceState& device = detail::device_of(target);
  {
    std::lock_guard<std::mutex> lock(device.queue_mutex);
    check(keel_op_run(device.queue, detail::c_op(op), attrs, in.data(), in.size(), &out, 1));
  }
  target.impl()->storage->version.fetch_add(1, std::memory_order_relaxed);
}

Tensor scalar_like(const Tensor& like, double value) {
  return detail::full_on(detail::device_of(like), like.dtype(), {}, value);
}

}  // namespace

int64_t Tensor::size(int64_t axis) const { return shape()[detail::normalize_axis(axis, rank(), "size")]; }

int64_t Tensor::numel() const { return detail::numel_of(shape()); }

bool Tensor::is_contiguous() const { return detail::is_dense(shape(), strides()); }

Device Tensor::device() const { return Device(impl_->storage->device->device); }

uint64_t Tensor::version() const { return impl_->storage->version.load(std::memory_order_relaxed); }

// ---- Views --------------------------------------------------------------------------------------------------

Tensor Tensor::reshape(Shape new_shape) const { return ops::reshape(*this, {.shape = std::move(new_shape)}); }

Tensor Tensor::permute(std::vector<int64_t> perm) const { return ops::permute(*this, {.perm = std::move(perm)}); }

Tensor Tensor::transpose(int64_t axis0, int64_t axis1) const {
  std::vector<int64_t> perm(static_cast<size_t>(rank()));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[detail::normalize_axis(axis0, rank(), "transpose")],
            perm[detail::normalize_axis(axis1, rank(), "transpose")]);
  return permute(std::move(perm));
}

Tensor Tensor::slice(int64_t axis, int64_t start, int64_t end, int64_t step) const {
  return ops::slice(*this, {.starts = {start}, .ends = {end}, .axes = {axis}, .steps = {step}});
}

Tensor Tensor::select(int64_t axis, int64_t index) const {
  const int64_t a = detail::normalize_axis(axis, rank(), "select");
  const int64_t d = shape()[a];
  if (index < -d || index >= d) {
    fail(KEEL_STATUS_OUT_OF_RANGE, "select: index " + std::to_string(index) + " outside [" + std::to_string(-d) +
                                       ", " + std::to_string(d) + ")");
  }
  if (index < 0) index += d;
  return slice(a, index, index + 1).squeeze({a});
}

Tensor Tensor::expand(Shape new_shape) const {
  const size_t lead = new_shape.size() - std::min(new_shape.size(), static_cast<size_t>(rank()));
  for (size_t i = lead; i < new_shape.size(); ++i) {
    if (new_shape[i] == -1) new_shape[i] = shape()[i - lead];
  }
  return ops::expand(*this, {.shape = std::move(new_shape)});
}

Tensor Tensor::squeeze(std::vector<int64_t> axes) const { return ops::squeeze(*this, {.axes = std::move(axes)}); }

Tensor Tensor::unsqueeze(int64_t axis) const { return ops::unsqueeze(*this, {.axes = {axis}}); }

Tensor Tensor::flatten(int64_t start_axis, int64_t end_axis) const {
  if (rank() == 0) return reshape({1});
  const int64_t first = detail::normalize_axis(start_axis, rank(), "flatten");
  const int64_t last = detail::normalize_axis(end_axis, rank(), "flatten");
  Shape s;
  for (int64_t i = 0; i < rank(); ++i) {
    if (i <= first || i > last) {
      s.push_back(shape()[i]);
    } else {
      s.back() *= shape()[i];
    }
  }
  return reshape(std::move(s));
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::clone() const { return ops::copy(*this); }

Tensor Tensor::to(Dtype target) const { return dtype() == target ? *this : ops::cast(*this, {.to = target}); }

// ---- In-place -----------------------------------------------------------------------------------------------

Tensor& Tensor::copy_(const Tensor& source) {
  check_inplace(*this, &source, "copy_");
  Tensor src = source;
  if (src.device().get() != device().get()) src = src.to(device());
  if (src.dtype() != dtype()) src = src.to(dtype());
  if (!std::equal(src.shape().begin(), src.shape().end(), shape().begin(), shape().end())) {
    src = src.expand(Shape(shape().begin(), shape().end()));
  }
  const Tensor* inputs[] = {&src};
  run_into("copy", nullptr, inputs, *this);
  return *this;
}

Tensor& Tensor::fill_(double value) {
  check_inplace(*this, nullptr, "fill_");
  keel_full_attrs_t attrs = KEEL_FULL_ATTRS_INIT;
  attrs.shape = impl_->shape;
  attrs.shape_count = impl_->rank;
  attrs.value = value;
  attrs.dtype = static_cast<keel_dtype_t>(dtype());
  run_into("full", &attrs, {}, *this);
  return *this;
}

Tensor& Tensor::set_data(const Tensor& value) {
  check_inplace(*this, &value, "set_data");
  if (value.dtype() != dtype() || !std::equal(value.shape().begin(), value.shape().end(), shape().begin(), shape().end()) ||
      value.device().get() != device().get()) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "set_data: the value must have this tensor's dtype, shape and device");
  }
  impl_->storage->version.fetch_add(1, std::memory_order_relaxed);
  detail::Storage* old = impl_->storage;
  detail::retain(value.impl_->storage);
  impl_->storage = value.impl_->storage;
  std::copy(value.impl_->strides, value.impl_->strides + KEEL_MAX_RANK, impl_->strides);
  impl_->byte_offset = value.impl_->byte_offset;
  detail::release(old);
  return *this;
}

// ---- Methods ------------------------------------------------------------------------------------------------

Tensor Tensor::sum(std::vector<int64_t> axes, bool keepdims) const {
  return ops::reduce_sum(*this, {.axes = std::move(axes), .keepdims = keepdims});
}
Tensor Tensor::mean(std::vector<int64_t> axes, bool keepdims) const {
  return ops::reduce_mean(*this, {.axes = std::move(axes), .keepdims = keepdims});
}
Tensor Tensor::max(std::vector<int64_t> axes, bool keepdims) const {
  return ops::reduce_max(*this, {.axes = std::move(axes), .keepdims = keepdims});
}
Tensor Tensor::argmax(int64_t axis, bool keepdims) const { return ops::argmax(*this, {.axis = axis, .keepdims = keepdims}); }
Tensor Tensor::matmul(const Tensor& other) const { return ops::matmul(*this, other); }
Tensor Tensor::pow(double exponent) const { return ops::pow(*this, scalar_like(*this, exponent)); }
Tensor Tensor::abs() const { return ops::abs(*this); }
Tensor Tensor::exp() const { return ops::exp(*this); }
Tensor Tensor::log() const { return ops::log(*this); }
Tensor Tensor::sqrt() const { return ops::sqrt(*this); }
Tensor Tensor::relu() const { return ops::relu(*this); }
Tensor Tensor::sigmoid() const { return ops::sigmoid(*this); }
Tensor Tensor::tanh() const { return ops::tanh(*this); }

// ---- Operators ----------------------------------------------------------------------------------------------

Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return ops::sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return ops::mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return ops::div(a, b); }
Tensor operator-(const Tensor& a) { return ops::neg(a); }
Tensor operator+(const Tensor& a, double b) { return ops::add(a, scalar_like(a, b)); }
Tensor operator-(const Tensor& a, double b) { return ops::sub(a, scalar_like(a, b)); }
Tensor operator*(const Tensor& a, double b) { return ops::mul(a, scalar_like(a, b)); }
Tensor operator/(const Tensor& a, double b) { return ops::div(a, scalar_like(a, b)); }
Tensor operator+(double a, const Tensor& b) { return ops::add(scalar_like(b, a), b); }
Tensor operator-(double a, const Tensor& b) { return ops::sub(scalar_like(b, a), b); }
Tensor operator*(double a, const Tensor& b) { return ops::mul(scalar_like(b, a), b); }
Tensor operator/(double a, const Tensor& b) { return ops::div(scalar_like(b, a), b); }

}  // namespace keel
