// Shape and layout operators (shape.yaml, layout.yaml): reshape squeeze unsqueeze permute concat slice copy
// expand flip. They move bits without changing them, for every dtype.
//
// Each one is a strided copy from a view of the input: permute reads x with permuted strides, slice with an
// offset and stepped strides, concat writes each input into its window of y, reshape walks both tensors in
// row-major order. Large f32/bf16/f16/i32 permutes go through oneDNN's reorder primitive (a JIT transpose)
// when it has a fast implementation for the two layouts.
#include <algorithm>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <vector>

#include "attrs.h"
#include "copy.h"
#include "device.h"
#include "dnnl_util.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "queue.h"
#include "scratch.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int64_t kMinReorderElements = 1 << 14;

// Copies a fixed view of the input (same element count as y, `offset` elements from x's element 0) into y.
class ViewCopy final : public Kernel {
 public:
  ViewCopy(const keel_tensor_desc_t& y, const keel_tensor_desc_t& view, int64_t offset, const char* what)
      : plan_(plan_loop(y, {&view})), size_(dtype_size(y.dtype)), offset_(offset), what_(what) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const std::byte* x = data_of(call.inputs[0]) + offset_ * static_cast<int64_t>(size_);
    copy_planned(plan_, size_, data_of(call.outputs[0]), x);
  }
  std::string describe() const override { return what_; }

 private:
  LoopPlan plan_;
  size_t size_;
  int64_t offset_;
  const char* what_;
};

// ---- reshape ----------------------------------------------------------------------------------------------

// The elements of x in row-major order fill y in row-major order. When either side is dense it can be
// viewed with the other's shape and one strided copy does it; otherwise x is first gathered densely.
class Reshape final : public Kernel {
 public:
  explicit Reshape(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)) {
    if (is_dense(x_)) {
      mode_ = Mode::kViewX;
      keel_tensor_desc_t view = dense_like(y_);
      plan_ = plan_loop(y_, {&view});
    } else if (is_dense(y_)) {
      mode_ = Mode::kViewY;
      keel_tensor_desc_t view = dense_like(x_);
      plan_ = plan_loop(view, {&x_});
    } else {
      mode_ = Mode::kGather;
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const size_t size = dtype_size(y_.dtype);
    if (mode_ != Mode::kGather) {
      copy_planned(plan_, size, data_of(call.outputs[0]), data_of(call.inputs[0]));
      return;
    }
    Scratch scratch(static_cast<size_t>(element_count(x_)) * size);
    keel_tensor_desc_t dense_x = dense_like(x_);
    dense_x.data = scratch.data();
    keel_tensor_desc_t x = x_;
    x.data = data_of(call.inputs[0]);
    copy_tensor(dense_x, x);
    keel_tensor_desc_t dense_y = dense_like(y_);
    dense_y.data = scratch.data();
    keel_tensor_desc_t y = y_;
    y.data = data_of(call.outputs[0]);
    copy_tensor(y, dense_y);
  }
  std::string describe() const override { return mode_ == Mode::kGather ? "gather + copy" : "strided copy"; }

 private:
  enum class Mode { kViewX, kViewY, kGather };
  keel_tensor_desc_t x_, y_;
  Mode mode_ = Mode::kGather;
  LoopPlan plan_;
};

// reshape, squeeze and unsqueeze keep the row-major order of the elements: the same kernel serves all three.
std::unique_ptr<Kernel> create_reshape(const CallInfo& call) { return std::make_unique<Reshape>(call); }

// ---- copy, expand, flip -----------------------------------------------------------------------------------

// copy moves bits from any layout to any layout; expand is the same copy with x broadcast to y's shape.
std::unique_ptr<Kernel> create_copy(const CallInfo& call) {
  return std::make_unique<ViewCopy>(call.output(0), call.input(0), 0, "strided copy");
}

std::vector<uint32_t> flip_axes(const void* raw, uint32_t rank) {
  constexpr keel_flip_attrs_t kDefaults = KEEL_FLIP_ATTRS_INIT;
  const auto a = read_attrs(raw, kDefaults, &keel_flip_attrs_t::axes, &keel_flip_attrs_t::axes_count);
  std::vector<uint32_t> axes;
  for (const int64_t axis : ints_of(a.axes, a.axes_count)) axes.push_back(normalize_axis(axis, rank));
  return axes;
}

void flip_key(const void* raw, SignatureKey& key) {
  constexpr keel_flip_attrs_t kDefaults = KEEL_FLIP_ATTRS_INIT;
  const auto a = read_attrs(raw, kDefaults, &keel_flip_attrs_t::axes, &keel_flip_attrs_t::axes_count);
  key.push_ints(a.axes, a.axes_count);
}

// y[..., i, ...] = x[..., d - 1 - i, ...]: x read with the flipped axes' strides negated, from their last
// element.
std::unique_ptr<Kernel> create_flip(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  keel_tensor_desc_t view = x;
  int64_t offset = 0;
  for (const uint32_t axis : flip_axes(call.attrs(), x.rank)) {
    if (x.shape[axis] > 0) offset += (x.shape[axis] - 1) * x.strides[axis];
    view.strides[axis] = -x.strides[axis];
  }
  return std::make_unique<ViewCopy>(call.output(0), view, offset, "strided copy");
}

// ---- permute ------------------------------------------------------------------------------------------------

std::vector<uint32_t> perm_of(const void* raw, uint32_t rank) {
  constexpr keel_permute_attrs_t kDefaults = {sizeof(keel_permute_attrs_t), nullptr, 0};
  const auto attrs = read_attrs(raw, kDefaults, &keel_permute_attrs_t::perm, &keel_permute_attrs_t::perm_count);
  std::vector<uint32_t> perm;
  for (const int64_t p : ints_of(attrs.perm, attrs.perm_count)) perm.push_back(normalize_axis(p, rank));
  return perm;
}

void permute_key(const void* raw, SignatureKey& key) {
  constexpr keel_permute_attrs_t kDefaults = {sizeof(keel_permute_attrs_t), nullptr, 0};
  const auto attrs = read_attrs(raw, kDefaults, &keel_permute_attrs_t::perm, &keel_permute_attrs_t::perm_count);
  key.push_ints(attrs.perm, attrs.perm_count);
}

class ReorderCopy final : public Kernel {
 public:
  explicit ReorderCopy(const dnnl::reorder::primitive_desc& pd)
      : src_(pd.src_desc()), dst_(pd.dst_desc()), impl_(impl_name(pd)), primitive_(pd) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    primitive_.execute(queue.stream(), {{DNNL_ARG_FROM, dnnl::memory(src_, engine, data_of(call.inputs[0]))},
                                        {DNNL_ARG_TO, dnnl::memory(dst_, engine, data_of(call.outputs[0]))}});
    queue.stream().wait();
  }
  std::string describe() const override { return "oneDNN reorder " + impl_; }

 private:
  dnnl::memory::desc src_, dst_;
  std::string impl_;
  dnnl::reorder primitive_;
};

// oneDNN's reorder takes `view` (x with y's dims) to y when both are describable and it has a JIT
// implementation; a same-type reorder moves bits unchanged.
std::unique_ptr<Kernel> try_reorder(const CallInfo& call, const keel_tensor_desc_t& view) {
  const keel_tensor_desc_t& y = call.output(0);
  if (element_count(y) < kMinReorderElements) return nullptr;
  const std::optional<dnnl::memory::desc> src = desc_of(view);
  const std::optional<dnnl::memory::desc> dst = desc_of(y);
  if (!src || !dst) return nullptr;
  try {
    const dnnl::engine& engine = call.device().engine();
    dnnl::reorder::primitive_desc pd(engine, *src, engine, *dst);
    if (is_reference_impl(pd) || impl_name(pd).rfind("jit", 0) != 0) return nullptr;
    return std::make_unique<ReorderCopy>(pd);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

std::unique_ptr<Kernel> create_permute(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  const keel_tensor_desc_t& y = call.output(0);
  const std::vector<uint32_t> perm = perm_of(call.attrs(), x.rank);
  keel_tensor_desc_t view = y;  // y[i...] = x[j...] with j[perm[k]] = i_k: x's strides, permuted
  view.dtype = x.dtype;
  for (uint32_t k = 0; k < y.rank; ++k) view.strides[k] = x.strides[perm[k]];
  if (auto reorder = try_reorder(call, view)) return reorder;
  return std::make_unique<ViewCopy>(y, view, 0, "strided copy");
}

// ---- slice ------------------------------------------------------------------------------------------------

struct SliceAttrs {
  std::span<const int64_t> starts, ends, axes, steps;
};

SliceAttrs slice_attrs(const void* raw) {
  using A = keel_slice_attrs_t;
  constexpr A kDefaults = {sizeof(A), nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0};
  const A a = read_attrs(raw, kDefaults, &A::starts, &A::starts_count, &A::ends, &A::ends_count, &A::axes,
                         &A::axes_count, &A::steps, &A::steps_count);
  return {ints_of(a.starts, a.starts_count), ints_of(a.ends, a.ends_count), ints_of(a.axes, a.axes_count),
          ints_of(a.steps, a.steps_count)};
}

void slice_key(const void* raw, SignatureKey& key) {
  const SliceAttrs a = slice_attrs(raw);
  for (const auto list : {a.starts, a.ends, a.axes, a.steps}) key.push_ints(list.data(), list.size());
}

// numpy's rule: negative starts count from the end, then the start is clamped to [0, d] for positive steps
// and to [-1, d-1] for negative ones.
int64_t slice_start(int64_t start, int64_t dim, int64_t step) {
  if (start < 0) start += dim;
  if (step > 0) return std::clamp<int64_t>(start, 0, dim);
  return std::clamp<int64_t>(start, -1, dim - 1);
}

std::unique_ptr<Kernel> create_slice(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  const keel_tensor_desc_t& y = call.output(0);
  const SliceAttrs a = slice_attrs(call.attrs());
  keel_tensor_desc_t view = y;
  view.dtype = x.dtype;
  for (uint32_t d = 0; d < x.rank; ++d) view.strides[d] = x.strides[d];
  int64_t offset = 0;
  bool empty = element_count(y) == 0;
  for (size_t i = 0; i < a.starts.size(); ++i) {
    const uint32_t axis = a.axes.empty() ? static_cast<uint32_t>(i) : normalize_axis(a.axes[i], x.rank);
    const int64_t step = a.steps.empty() ? 1 : a.steps[i];
    const int64_t start = slice_start(a.starts[i], x.shape[axis], step);
    view.strides[axis] = x.strides[axis] * step;
    if (!empty) offset += start * x.strides[axis];
  }
  return std::make_unique<ViewCopy>(y, view, offset, "strided copy");
}

// ---- concat -----------------------------------------------------------------------------------------------

int64_t concat_axis(const void* raw) {
  constexpr keel_concat_attrs_t kDefaults = KEEL_CONCAT_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_concat_attrs_t::axis).axis;
}

void concat_key(const void* raw, SignatureKey& key) { key.push(concat_axis(raw)); }

// Each input is copied into its window of y along the axis.
class Concat final : public Kernel {
 public:
  explicit Concat(const CallInfo& call) : size_(dtype_size(call.output(0).dtype)) {
    const keel_tensor_desc_t& y = call.output(0);
    const uint32_t axis = normalize_axis(concat_axis(call.attrs()), y.rank);
    int64_t position = 0;
    for (size_t i = 0; i < call.input_count(); ++i) {
      const keel_tensor_desc_t& x = call.input(i);
      keel_tensor_desc_t window = y;
      window.shape[axis] = x.shape[axis];
      pieces_.push_back({plan_loop(window, {&x}), position * y.strides[axis]});
      position += x.shape[axis];
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    std::byte* y = data_of(call.outputs[0]);
    for (size_t i = 0; i < pieces_.size(); ++i) {
      if (pieces_[i].plan.count == 0) continue;
      copy_planned(pieces_[i].plan, size_, y + pieces_[i].offset * static_cast<int64_t>(size_), data_of(call.inputs[i]));
    }
  }
  std::string describe() const override { return "strided copies"; }

 private:
  struct Piece {
    LoopPlan plan;
    int64_t offset;  // elements from y's element 0 to the window's
  };
  size_t size_;
  std::vector<Piece> pieces_;
};

std::unique_ptr<Kernel> create_concat(const CallInfo& call) { return std::make_unique<Concat>(call); }

constexpr KernelDef kKernels[] = {
    {"reshape", 1, kDataTypes, nullptr, create_reshape, nullptr},
    {"permute", 1, kDataTypes, nullptr, create_permute, permute_key},
    {"concat", 1, kDataTypes, nullptr, create_concat, concat_key},
    {"slice", 1, kDataTypes, nullptr, create_slice, slice_key},
    {"squeeze", 1, kDataTypes, nullptr, create_reshape, nullptr},
    {"unsqueeze", 1, kDataTypes, nullptr, create_reshape, nullptr},
    {"copy", 1, kDataTypes, nullptr, create_copy, nullptr},
    {"expand", 1, kDataTypes, nullptr, create_copy, nullptr},
    {"flip", 1, kDataTypes, nullptr, create_flip, flip_key},
};

}  // namespace

std::span<const KernelDef> layout_kernels() { return kKernels; }

}  // namespace keel::onednn
