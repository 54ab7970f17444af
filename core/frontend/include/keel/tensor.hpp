// keel::Tensor: a strided view of refcounted device storage, with eager operators, device selection and
// autograd. Built on the C runtime API (keel_runtime.h) through keel.hpp; errors throw keel::Error with the
// ABI status.
//
//   keel::Tensor x = keel::arange(6.0).reshape({2, 3});
//   keel::Tensor y = keel::ops::reduce_sum(x * x, {.axes = {1}});
//   std::cout << y << "\n";
//
// Every spec operator is a function in keel::ops (keel/ops.hpp, generated from the spec). Views (reshape of a
// contiguous tensor, permute, transpose, slice, expand, squeeze, unsqueeze) share storage and copy nothing.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "keel/keel.hpp"

namespace keel {

// ---- Dtypes -----------------------------------------------------------------------------------------------

enum class Dtype : uint32_t {
  invalid = KEEL_DTYPE_INVALID,
  boolean = KEEL_DTYPE_BOOL,
  i8 = KEEL_DTYPE_I8,
  u8 = KEEL_DTYPE_U8,
  i32 = KEEL_DTYPE_I32,
  i64 = KEEL_DTYPE_I64,
  f16 = KEEL_DTYPE_F16,
  bf16 = KEEL_DTYPE_BF16,
  f32 = KEEL_DTYPE_F32,
  f64 = KEEL_DTYPE_F64,
};

const char* dtype_name(Dtype dtype);  // "f32"
size_t dtype_size(Dtype dtype);       // bytes per element
bool is_floating_point(Dtype dtype);  // f16, bf16, f32, f64

// The dtype of a C++ element type: float, double, int32_t, int64_t, int8_t, uint8_t, bool.
template <class T>
constexpr Dtype dtype_of() {
  if constexpr (std::is_same_v<T, float>) return Dtype::f32;
  else if constexpr (std::is_same_v<T, double>) return Dtype::f64;
  else if constexpr (std::is_same_v<T, int32_t>) return Dtype::i32;
  else if constexpr (std::is_same_v<T, int64_t>) return Dtype::i64;
  else if constexpr (std::is_same_v<T, int8_t>) return Dtype::i8;
  else if constexpr (std::is_same_v<T, uint8_t>) return Dtype::u8;
  else if constexpr (std::is_same_v<T, bool>) return Dtype::boolean;
  else static_assert(sizeof(T) == 0, "no Keel dtype for this element type");
}

using Shape = std::vector<int64_t>;

// ---- Devices ----------------------------------------------------------------------------------------------

// Which plugins the front end loads; call before the first tensor is created (later calls apply to tensors
// created afterwards). By default: KEEL_PLUGIN_PATH and the installed manifests.
void configure(const RuntimeOptions& options);
// Every device of the front end's runtime.
std::vector<Device> devices();
// The device with this Keel name, e.g. "onednn:0" or "reference:0" ("reference" means its first device).
Device device(std::string_view name);
// KEEL_DEVICE when set; else the first device of the plugin with the highest probe score.
Device default_device();
void set_default_device(const Device& device);

// The caching allocator: device buffers of freed tensors are kept in size-class free lists and reused.
struct CacheStats {
  uint64_t cached_bytes = 0;     // held in free lists
  uint64_t live_bytes = 0;       // held by storages
  uint64_t hits = 0;             // allocations served from a free list
  uint64_t misses = 0;           // allocations that reached the plugin
};
CacheStats cache_stats(const Device& device);
// Returns every cached buffer to its plugin (this also happens when a device's last storage goes, and before
// an allocation that failed with RESOURCE_EXHAUSTED is retried).
void empty_cache();

// Waits for every queued operation of the device.
void synchronize(const Device& device);

// ---- Creation options and random numbers ------------------------------------------------------------------

struct TensorOptions {
  Dtype dtype = Dtype::f32;
  std::optional<Device> device;  // default_device() when empty
  bool requires_grad = false;
};

// Philox4x32-10 state: an explicit seed and a counter offset. Every random call uses the blocks from the
// current offset on and advances it by the blocks it used, so consecutive calls draw fresh numbers and a copy
// of a Generator replays them.
class Generator {
 public:
  explicit Generator(uint64_t seed, uint64_t offset = 0) : seed_(seed), offset_(offset) {}
  uint64_t seed() const { return seed_; }
  uint64_t offset() const { return offset_; }
  // Returns the current offset and advances it by `blocks`.
  uint64_t take(uint64_t blocks) { return std::exchange(offset_, offset_ + blocks); }

 private:
  uint64_t seed_;
  uint64_t offset_;
};

namespace detail {
struct Storage;
struct AutogradMeta;
// The state behind a Tensor handle. Shape and strides (in elements) are fixed; the storage is shared by views.
struct TensorImpl {
  std::atomic<int32_t> refs{1};
  Dtype dtype = Dtype::invalid;
  uint32_t rank = 0;
  int64_t shape[KEEL_MAX_RANK] = {};
  int64_t strides[KEEL_MAX_RANK] = {};
  uint64_t byte_offset = 0;
  Storage* storage = nullptr;          // one reference
  AutogradMeta* autograd = nullptr;    // owned; nullptr for a tensor autograd never touched
};
void destroy(TensorImpl* impl) noexcept;
}  // namespace detail

struct BackwardOptions {
  bool retain_graph = false;  // keep the saved tensors for another backward (implied by create_graph)
  bool create_graph = false;  // record the backward computation, for higher-order derivatives
};

// ---- Tensor -----------------------------------------------------------------------------------------------

class Tensor {
 public:
  Tensor() noexcept : impl_(nullptr) {}  // undefined: no storage (an absent optional input)
  explicit Tensor(detail::TensorImpl* impl) : impl_(impl) {}  // adopts one reference
  Tensor(const Tensor& other) : impl_(other.impl_) { retain(); }
  Tensor(Tensor&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
  Tensor& operator=(const Tensor& other) {
    Tensor(other).swap(*this);
    return *this;
  }
  Tensor& operator=(Tensor&& other) noexcept {
    Tensor(std::move(other)).swap(*this);
    return *this;
  }
  ~Tensor() {
    if (impl_ != nullptr && impl_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) detail::destroy(impl_);
  }
  void swap(Tensor& other) noexcept { std::swap(impl_, other.impl_); }

  // ---- Metadata
  bool defined() const { return impl_ != nullptr; }
  Dtype dtype() const { return impl_->dtype; }
  int64_t rank() const { return impl_->rank; }
  std::span<const int64_t> shape() const { return {impl_->shape, impl_->rank}; }
  std::span<const int64_t> strides() const { return {impl_->strides, impl_->rank}; }
  int64_t size(int64_t axis) const;  // negative axes count from the back
  int64_t numel() const;
  uint64_t byte_offset() const { return impl_->byte_offset; }
  bool is_contiguous() const;  // dense row-major
  Device device() const;
  detail::TensorImpl* impl() const { return impl_; }
  // Same storage, shape, strides and offset.
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

  // ---- Views (no copy) and copies
  Tensor reshape(Shape shape) const;  // a view when the strides allow, else a copy; one entry may be -1
  Tensor permute(std::vector<int64_t> perm) const;
  Tensor transpose(int64_t axis0, int64_t axis1) const;
  Tensor slice(int64_t axis, int64_t start, int64_t end, int64_t step = 1) const;  // numpy clamping rules
  Tensor select(int64_t axis, int64_t index) const;  // the slice at `index`, without the axis
  Tensor expand(Shape shape) const;                  // broadcast; -1 keeps a dimension
  Tensor squeeze(std::vector<int64_t> axes = {}) const;  // all size-1 axes when empty
  Tensor unsqueeze(int64_t axis) const;
  Tensor flatten(int64_t start_axis = 0, int64_t end_axis = -1) const;
  Tensor contiguous() const;  // itself when already contiguous
  Tensor clone() const;       // a contiguous copy (differentiable)
  Tensor to(const Device& device) const;  // itself when already there; differentiable
  Tensor to(Dtype dtype) const;           // cast; itself when already that dtype
  Tensor detach() const;                  // the same data, outside the autograd graph

  // ---- Element access (waits for queued work)
  template <class T>
  std::vector<T> to_vector() const;  // row-major, converted from the tensor's dtype
  template <class T = double>
  T item() const;  // the only element of a one-element tensor

  // ---- Autograd (keel/autograd.hpp has the functional API)
  bool requires_grad() const;
  Tensor& requires_grad_(bool value = true);  // leaves only
  bool is_leaf() const;
  Tensor grad() const;  // the accumulated gradient of a leaf (undefined before any backward)
  void set_grad(const Tensor& grad);
  void retain_grad();  // also accumulate .grad for this non-leaf tensor
  std::string grad_fn_name() const;  // the recorded operator ("" for leaves)
  void backward(const Tensor& gradient = Tensor(), const BackwardOptions& options = {}) const;

  // ---- In-place updates. On a tensor that requires grad they raise FAILED_PRECONDITION while grad mode is
  // on; a tensor saved for a backward pass and modified afterwards makes that backward raise.
  Tensor& copy_(const Tensor& source);  // source broadcasts to this shape and is cast to this dtype
  Tensor& fill_(double value);
  Tensor& zero_() { return fill_(0.0); }
  // Makes this tensor use `value`'s storage (same shape, dtype and device); views of the old data keep it.
  Tensor& set_data(const Tensor& value);
  uint64_t version() const;  // bumped by every in-place update of the storage

  // ---- A few common operators as methods (every operator is in keel::ops)
  Tensor sum(std::vector<int64_t> axes = {}, bool keepdims = false) const;
  Tensor mean(std::vector<int64_t> axes = {}, bool keepdims = false) const;
  Tensor max(std::vector<int64_t> axes = {}, bool keepdims = false) const;
  Tensor argmax(int64_t axis, bool keepdims = false) const;
  Tensor matmul(const Tensor& other) const;
  Tensor pow(double exponent) const;
  Tensor abs() const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor relu() const;
  Tensor sigmoid() const;
  Tensor tanh() const;

 private:
  void retain() const {
    if (impl_ != nullptr) impl_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  detail::TensorImpl* impl_ = nullptr;
};

// Arithmetic with broadcasting. A number takes the tensor's dtype and device.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);

// Readable printing: tensor([[1, 2], [3, 4]], dtype=f32, device=reference:0); long axes are elided.
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);
std::string to_string(const Tensor& tensor);

// ---- Creation ---------------------------------------------------------------------------------------------

Tensor empty(Shape shape, const TensorOptions& options = {});  // uninitialized
Tensor zeros(Shape shape, const TensorOptions& options = {});
Tensor ones(Shape shape, const TensorOptions& options = {});
Tensor full(Shape shape, double value, const TensorOptions& options = {});
Tensor zeros_like(const Tensor& like);  // same shape, dtype and device
Tensor ones_like(const Tensor& like);
Tensor full_like(const Tensor& like, double value);
Tensor scalar(double value, const TensorOptions& options = {});  // 0-D
Tensor arange(double limit, const TensorOptions& options = {});
Tensor arange(double start, double limit, double delta = 1.0, const TensorOptions& options = {});
Tensor eye(int64_t rows, int64_t cols = -1, const TensorOptions& options = {});  // cols = rows when -1
// Uniform in [low, high) and normal(mean, std), from the spec's Philox operators.
Tensor rand(Shape shape, Generator& generator, const TensorOptions& options = {}, double low = 0.0,
            double high = 1.0);
Tensor randn(Shape shape, Generator& generator, const TensorOptions& options = {}, double mean = 0.0,
             double std = 1.0);

// From host data in row-major order. options.dtype is ignored: the dtype is T's.
template <class T>
Tensor from_data(std::span<const T> data, Shape shape, const TensorOptions& options = {});
template <class T>
Tensor from_vector(const std::vector<T>& data, Shape shape, const TensorOptions& options = {}) {
  return from_data(std::span<const T>(data), std::move(shape), options);
}
// std::vector<bool> packs bits and has no contiguous bool storage: copy it out first.
inline Tensor from_vector(const std::vector<bool>& data, Shape shape, const TensorOptions& options = {}) {
  const std::unique_ptr<bool[]> unpacked(new bool[data.size()]);
  for (std::size_t i = 0; i < data.size(); ++i) unpacked[i] = data[i];
  return from_data(std::span<const bool>(unpacked.get(), data.size()), std::move(shape), options);
}
// Values converted to options.dtype; shape defaults to [values.size()].
Tensor tensor(std::initializer_list<double> values, Shape shape = {}, const TensorOptions& options = {});
Tensor tensor(std::span<const double> values, Shape shape, const TensorOptions& options = {});

namespace ops {
// Runs the spec operator `name` with `attrs` (its keel_<name>_attrs_t from keel_ops.h; nullptr for the
// defaults): the dynamic form of the typed functions in keel/ops.hpp. One tensor per output.
std::vector<Tensor> call(std::string_view name, std::span<const Tensor> inputs, const void* attrs = nullptr,
                         const std::optional<Device>& device = std::nullopt);
}  // namespace ops

namespace detail {
// Raw host I/O of a contiguous tensor's bytes (blocking).
void read_bytes(const Tensor& tensor, void* dst);
Tensor upload(const void* data, Dtype dtype, Shape shape, const TensorOptions& options);
std::vector<double> to_doubles(const Tensor& tensor);
std::vector<int64_t> to_int64s(const Tensor& tensor);
}  // namespace detail

template <class T>
Tensor from_data(std::span<const T> data, Shape shape, const TensorOptions& options) {
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> bytes(data.begin(), data.end());
    return detail::upload(bytes.data(), Dtype::boolean, std::move(shape), options);
  } else {
    return detail::upload(data.data(), dtype_of<T>(), std::move(shape), options);
  }
}

template <class T>
std::vector<T> Tensor::to_vector() const {
  if constexpr (std::is_floating_point_v<T>) {
    std::vector<double> values = detail::to_doubles(*this);
    return std::vector<T>(values.begin(), values.end());
  } else {
    std::vector<int64_t> values = detail::to_int64s(*this);
    std::vector<T> out(values.size());
    for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
    return out;
  }
}

template <class T>
T Tensor::item() const {
  if (numel() != 1) {
    throw Error(KEEL_STATUS_INVALID_ARGUMENT, "item(): the tensor has " + std::to_string(numel()) + " elements, not 1",
                "keel");
  }
  return to_vector<T>()[0];
}

}  // namespace keel
