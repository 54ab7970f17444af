// reduce_sum reduce_mean reduce_max reduce_min reduce_prod argmax argmin (reduction.yaml).
//
// Reductions over outer axes of rows contiguous in x (a [N, C] tensor reduced over N) run in a column loop
// that streams the rows through vector accumulators. Otherwise f32 sums and means of large tensors run on
// oneDNN's reduction primitive when it has a JIT implementation for the layouts. Everything else runs in
// the plugin's loops: integers (which must wrap), f64, reduce_max
// (oneDNN's max drops NaN and does not order -0 below +0), empty reductions (sum 0, mean NaN) and small or
// oddly strided tensors; reduce_min, reduce_prod, argmax and argmin.
//
// The loops sum floats in f64 (in the input's order within each block), so they are far more accurate than
// the spec's bound. Parallel work is split into fixed blocks that do not depend on the thread count, so the
// bits of every result are the same whatever OMP_NUM_THREADS is.
#include <algorithm>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <vector>

#include "attrs.h"
#include "device.h"
#include "dnnl_util.h"
#include "dtype.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "loop_plan.h"
#include "queue.h"
#include "scalar_ops.h"
#include "signature.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int64_t kBlock = 1 << 14;                   // elements per deterministic partial result
constexpr int64_t kMinPrimitiveElements = 1 << 15;

enum class Kind { kSum, kMean, kMax, kMin, kProd };

struct Axes {
  bool reduced[KEEL_MAX_RANK] = {};
  uint32_t count = 0;
};

// All three reductions' attribute structs have the same two fields.
template <class Attrs>
Axes axes_of(const void* raw, uint32_t rank) {
  constexpr Attrs kDefaults = {sizeof(Attrs), nullptr, 0, 0};
  const Attrs attrs = read_attrs(raw, kDefaults, &Attrs::axes, &Attrs::axes_count);
  Axes axes;
  const auto list = ints_of(attrs.axes, attrs.axes_count);
  if (list.empty()) {
    for (uint32_t d = 0; d < rank; ++d) axes.reduced[d] = true;
  }
  for (const int64_t axis : list) axes.reduced[normalize_axis(axis, rank)] = true;
  for (uint32_t d = 0; d < rank; ++d) axes.count += axes.reduced[d] ? 1 : 0;
  return axes;
}

Axes axes_for(Kind kind, const void* attrs, uint32_t rank) {
  switch (kind) {
    case Kind::kSum: return axes_of<keel_reduce_sum_attrs_t>(attrs, rank);
    case Kind::kMean: return axes_of<keel_reduce_mean_attrs_t>(attrs, rank);
    case Kind::kMax: return axes_of<keel_reduce_max_attrs_t>(attrs, rank);
    case Kind::kMin: return axes_of<keel_reduce_min_attrs_t>(attrs, rank);
    case Kind::kProd: return axes_of<keel_reduce_prod_attrs_t>(attrs, rank);
  }
  return {};
}

template <class Attrs>
void reduce_key(const void* raw, SignatureKey& key) {
  constexpr Attrs kDefaults = {sizeof(Attrs), nullptr, 0, 0};
  const Attrs attrs = read_attrs(raw, kDefaults, &Attrs::axes, &Attrs::axes_count, &Attrs::keepdims);
  key.push_ints(attrs.axes, attrs.axes_count);
  key.push(attrs.keepdims);
}

// The input seen per output element (outer: the kept axes, with the output's shape) and per reduced
// element (inner: the reduced axes).
struct Split {
  keel_tensor_desc_t outer{};  // x's strides on the output's dimensions (0 where keepdims left a 1)
  keel_tensor_desc_t inner{};  // x restricted to the reduced axes
  int64_t reduce_count = 1;
};

Split split(const keel_tensor_desc_t& x, const keel_tensor_desc_t& y, const Axes& axes) {
  Split s;
  s.outer = y;
  s.outer.dtype = x.dtype;
  const bool keepdims = y.rank == x.rank;
  uint32_t o = 0;
  s.inner.dtype = x.dtype;
  for (uint32_t d = 0; d < x.rank; ++d) {
    if (axes.reduced[d]) {
      s.inner.shape[s.inner.rank] = x.shape[d];
      s.inner.strides[s.inner.rank] = x.strides[d];
      ++s.inner.rank;
      s.reduce_count *= x.shape[d];
      if (keepdims) s.outer.strides[o++] = 0;
    } else {
      s.outer.strides[o++] = x.strides[d];
    }
  }
  return s;
}

template <class T>
struct Accumulator {
  using type = std::conditional_t<kIsFloat<T>, double, T>;
};

// The product of elements [begin, end) of the inner plan starting at x: f64 for floats, wrapping for integers.
template <class T>
typename Accumulator<T>::type partial_prod(const LoopPlan& inner, const T* x, int64_t begin, int64_t end) {
  using A = typename Accumulator<T>::type;
  A total = 1;
  const int64_t stride = inner.inner_stride(0);
  walk_runs(inner, begin, end, [&](const int64_t* offsets, int64_t n) {
    const T* p = x + offsets[0];
    for (int64_t i = 0; i < n; ++i) {
      if constexpr (kIsFloat<T>) total *= static_cast<double>(p[i * stride]);
      else total = ops::wrap_mul(total, p[i * stride]);
    }
  });
  return total;
}

// The sum of elements [begin, end) of the inner plan starting at x.
template <class T>
typename Accumulator<T>::type partial_sum(const LoopPlan& inner, const T* x, int64_t begin, int64_t end) {
  using A = typename Accumulator<T>::type;
  A total = 0;
  const int64_t stride = inner.inner_stride(0);
  walk_runs(inner, begin, end, [&](const int64_t* offsets, int64_t n) {
    const T* p = x + offsets[0];
    if constexpr (kIsFloat<T>) {
      double sum = 0.0;
      if (stride == 1) {
#pragma omp simd reduction(+ : sum)
        for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(p[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(p[i * stride]);
      }
      total += sum;
    } else {
      for (int64_t i = 0; i < n; ++i) total = ops::wrap_add(total, p[i * stride]);
    }
  });
  return total;
}

// IEEE maximum (or minimum) folded over elements [begin, end): NaN wins, +0 beats -0 (-0 for minimum).
template <class T, class Pick = ops::Maximum>
T partial_max(const LoopPlan& inner, const T* x, int64_t begin, int64_t end) {
  const Pick maximum;
  T best{};
  bool first = true;
  const int64_t stride = inner.inner_stride(0);
  walk_runs(inner, begin, end, [&](const int64_t* offsets, int64_t n) {
    const T* p = x + offsets[0];
    if (first) {
      best = p[0];
      first = false;
    }
    for (int64_t i = 0; i < n; ++i) best = maximum(best, p[i * stride]);
  });
  return best;
}

template <class T>
class ReduceLoop final : public Kernel {
 public:
  ReduceLoop(const CallInfo& call, Kind kind, const Split& s)
      : kind_(kind), outer_(plan_loop(call.output(0), {&s.outer})), inner_(plan_loop(s.inner, {})),
        reduce_count_(s.reduce_count) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    T* y = typed_data<T>(call.outputs[0]);
    const T* x = typed_data<const T>(call.inputs[0]);
    const int64_t outputs = outer_.count;
    if (outputs == 0) return;
    const int64_t blocks = (reduce_count_ + kBlock - 1) / kBlock;
    if (blocks <= 1 || outputs >= 2 * omp_get_max_threads()) {
      // Parallel over outputs; each output reduced in one sequential pass.
      for_each_run(
          outer_,
          [&](const int64_t* offsets, int64_t n) {
            for (int64_t i = 0; i < n; ++i) {
              const T* base = x + offsets[1] + i * outer_.inner_stride(1);
              y[offsets[0] + i * outer_.inner_stride(0)] = finish(reduce(base, 0, reduce_count_));
            }
          },
          std::max<int64_t>(1, kMinElementsPerThread / std::max<int64_t>(reduce_count_, 1)));
      return;
    }
    // Few outputs, long reductions: fixed blocks in parallel, combined in order.
    std::vector<typename Accumulator<T>::type> sums;
    std::vector<T> maxima;
    walk_runs(outer_, 0, outputs, [&](const int64_t* offsets, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        const T* base = x + offsets[1] + i * outer_.inner_stride(1);
        if (picks()) maxima.assign(static_cast<size_t>(blocks), T{});
        else sums.assign(static_cast<size_t>(blocks), 0);
        parallel_ranges(blocks, [&](int64_t first, int64_t last) {
          for (int64_t b = first; b < last; ++b) {
            const int64_t begin = b * kBlock;
            const int64_t end = std::min(reduce_count_, begin + kBlock);
            const Partial p = reduce(base, begin, end);
            if (picks()) {
              maxima[static_cast<size_t>(b)] = p.max;
            } else {
              sums[static_cast<size_t>(b)] = p.sum;
            }
          }
        }, 1, 1);
        T result;
        if (picks()) {
          result = maxima[0];
          for (const T value : maxima) result = kind_ == Kind::kMax ? ops::Maximum{}(result, value) : ops::Minimum{}(result, value);
        } else {
          typename Accumulator<T>::type total = kind_ == Kind::kProd ? 1 : 0;
          for (const auto value : sums) total = combine(total, value);
          result = finish_sum(total);
        }
        y[offsets[0] + i * outer_.inner_stride(0)] = result;
      }
    });
  }

  std::string describe() const override { return "loop"; }

 private:
  using A = typename Accumulator<T>::type;

  bool picks() const { return kind_ == Kind::kMax || kind_ == Kind::kMin; }

  A combine(A a, A b) const {
    if (kind_ == Kind::kProd) {
      if constexpr (kIsFloat<T>) return a * b;
      else return ops::wrap_mul(a, b);
    }
    if constexpr (kIsFloat<T>) return a + b;
    else return ops::wrap_add(a, b);
  }

  struct Partial {
    A sum = 0;
    T max{};
  };

  Partial reduce(const T* base, int64_t begin, int64_t end) const {
    Partial p;
    if (kind_ == Kind::kProd) p.sum = 1;  // the product of an empty set
    if (begin >= end) return p;
    switch (kind_) {
      case Kind::kMax: p.max = partial_max(inner_, base, begin, end); break;
      case Kind::kMin: p.max = partial_max<T, ops::Minimum>(inner_, base, begin, end); break;
      case Kind::kProd: p.sum = partial_prod(inner_, base, begin, end); break;
      default: p.sum = partial_sum(inner_, base, begin, end); break;
    }
    return p;
  }

  T finish_sum(A total) const {
    if (kind_ == Kind::kMean) return static_cast<T>(static_cast<double>(total) / static_cast<double>(reduce_count_));
    return static_cast<T>(total);
  }

  T finish(const Partial& p) const { return picks() ? p.max : finish_sum(p.sum); }

  Kind kind_;
  LoopPlan outer_;
  LoopPlan inner_;
  int64_t reduce_count_;
};

// Reductions over outer axes whose kept innermost axis is contiguous in x (the bias gradient: reduce_sum over
// the batch axis of [N, C]). oneDNN 2.6 has only its reference implementation for these, and one pass per
// output walks x down a column, one cache line per element. Here each thread takes a range of outputs and
// streams the reduced rows through a tile of accumulators: x is read in memory order with vector loads and
// adds. Each output still folds its elements one by one in the input's order, so the bits do not depend on
// the thread count (and sums are f64 like the other loops).
constexpr int64_t kMinColumns = 16;  // narrower runs go to ReduceLoop

// True when the reduction has that shape (`outer`: the plan of y against x's kept axes).
bool reduces_columns(const LoopPlan& outer, const Split& s) {
  return outer.count > 0 && s.reduce_count > 0 && outer.inner_stride(1) == 1 && outer.inner() >= kMinColumns;
}

template <class T, Kind kKind>
class ColumnReduce final : public Kernel {
 public:
  ColumnReduce(const CallInfo& call, const Split& s)
      : outer_(plan_loop(call.output(0), {&s.outer})), inner_(plan_loop(s.inner, {})), reduce_count_(s.reduce_count) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    T* y = typed_data<T>(call.outputs[0]);
    const T* x = typed_data<const T>(call.inputs[0]);
    const int64_t y_stride = outer_.inner_stride(0);
    for_each_run(
        outer_,
        [&](const int64_t* offsets, int64_t n) {
          for (int64_t start = 0; start < n; start += kTile) {
            reduce_tile(x + offsets[1] + start, y + offsets[0] + start * y_stride, y_stride,
                        std::min(kTile, n - start));
          }
        },
        std::max<int64_t>(kMinColumns, kMinElementsPerThread / reduce_count_));
  }

  std::string describe() const override { return "column loop"; }

 private:
  static constexpr bool kPicks = kKind == Kind::kMax || kKind == Kind::kMin;
  using A = std::conditional_t<kPicks, T, typename Accumulator<T>::type>;
  static constexpr int64_t kTile = 512;  // accumulators: 4 KiB of f64, resident in L1

  // Reduces columns [0, width) of the rows starting at x into y (elements y_stride apart).
  void reduce_tile(const T* x, T* y, int64_t y_stride, int64_t width) const {
    alignas(64) A acc[kTile];
    const int64_t row_stride = inner_.inner_stride(0);
    bool first = true;
    walk_runs(inner_, 0, reduce_count_, [&](const int64_t* offsets, int64_t rows) {
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = x + offsets[0] + r * row_stride;
        if (first) {
          for (int64_t j = 0; j < width; ++j) acc[j] = start(row[j]);
          first = false;
          continue;
        }
        fold(acc, row, width);
      }
    });
    for (int64_t j = 0; j < width; ++j) y[j * y_stride] = finish(acc[j]);
  }

  // The accumulator after the first element: the element itself, or 0 + x and 1 * x for sums and products
  // (as a fold from the empty sum would give: 0 + -0 is +0).
  static A start(T value) {
    if constexpr (kPicks)
      return value;
    else if constexpr (kKind == Kind::kProd)
      return A{1} * static_cast<A>(value);
    else if constexpr (kIsFloat<T>)
      return A{0} + static_cast<A>(value);
    else
      return value;
  }

  static void fold(A* acc, const T* row, int64_t width) {
    if constexpr (kKind == Kind::kMax) {
#pragma omp simd
      for (int64_t j = 0; j < width; ++j) acc[j] = ops::Maximum{}(acc[j], row[j]);
    } else if constexpr (kKind == Kind::kMin) {
#pragma omp simd
      for (int64_t j = 0; j < width; ++j) acc[j] = ops::Minimum{}(acc[j], row[j]);
    } else if constexpr (kKind == Kind::kProd) {
      if constexpr (kIsFloat<T>) {
#pragma omp simd
        for (int64_t j = 0; j < width; ++j) acc[j] *= static_cast<double>(row[j]);
      } else {
        for (int64_t j = 0; j < width; ++j) acc[j] = ops::wrap_mul(acc[j], row[j]);
      }
    } else if constexpr (kIsFloat<T>) {
#pragma omp simd
      for (int64_t j = 0; j < width; ++j) acc[j] += static_cast<double>(row[j]);
    } else {
#pragma omp simd
      for (int64_t j = 0; j < width; ++j) acc[j] = ops::wrap_add(acc[j], row[j]);
    }
  }

  T finish(A value) const {
    if constexpr (kKind == Kind::kMean)
      return static_cast<T>(static_cast<double>(value) / static_cast<double>(reduce_count_));
    else
      return static_cast<T>(value);
  }

  LoopPlan outer_;
  LoopPlan inner_;
  int64_t reduce_count_;
};

// f32 sum or mean on oneDNN: the output described with the input's rank (reduced axes of size 1).
class ReducePrimitive final : public Kernel {
 public:
  explicit ReducePrimitive(const dnnl::reduction::primitive_desc& pd)
      : src_(pd.src_desc()), dst_(pd.dst_desc()), impl_(impl_name(pd)), primitive_(pd) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    primitive_.execute(queue.stream(), {{DNNL_ARG_SRC, dnnl::memory(src_, engine, data_of(call.inputs[0]))},
                                        {DNNL_ARG_DST, dnnl::memory(dst_, engine, data_of(call.outputs[0]))}});
    queue.stream().wait();
  }
  std::string describe() const override { return "oneDNN reduction " + impl_; }

 private:
  dnnl::memory::desc src_, dst_;
  std::string impl_;
  dnnl::reduction primitive_;
};

std::unique_ptr<Kernel> try_reduce_primitive(const CallInfo& call, Kind kind, const Axes& axes, const Split& s) {
  const keel_tensor_desc_t& x = call.input(0);
  const keel_tensor_desc_t& y = call.output(0);
  if (x.dtype != KEEL_DTYPE_F32 || (kind != Kind::kSum && kind != Kind::kMean) || s.reduce_count == 0 || element_count(y) == 0 ||
      element_count(x) < kMinPrimitiveElements || x.rank == 0 || !is_dense(x)) {
    return nullptr;
  }
  int64_t dims[KEEL_MAX_RANK];
  int64_t strides[KEEL_MAX_RANK];
  const bool keepdims = y.rank == x.rank;
  uint32_t o = 0;
  for (uint32_t d = 0; d < x.rank; ++d) {
    if (axes.reduced[d]) {
      dims[d] = 1;
      strides[d] = 1;
      if (keepdims) ++o;
    } else {
      dims[d] = y.shape[o];
      strides[d] = y.strides[o];
      ++o;
    }
  }
  const std::optional<dnnl::memory::desc> src = desc_of(x);
  const std::optional<dnnl::memory::desc> dst = strided_desc({dims, x.rank}, {strides, x.rank}, dnnl::memory::data_type::f32);
  if (!src || !dst) return nullptr;
  try {
    const dnnl::algorithm algorithm =
        kind == Kind::kSum ? dnnl::algorithm::reduction_sum : dnnl::algorithm::reduction_mean;
    dnnl::reduction::primitive_desc pd(dnnl::reduction::desc(algorithm, *src, *dst, 0.0f, 0.0f),
                                       call.device().engine());
    if (is_reference_impl(pd)) return nullptr;
    return std::make_unique<ReducePrimitive>(pd);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

// argmax / argmin along one axis, i64 results. The order is IEEE's with NaN above everything for argmax
// and below everything for argmin (so the first NaN wins either way); ties, -0 against +0 included, go to
// the lowest index.
template <class Attrs>
int64_t arg_axis(const void* raw) {
  constexpr Attrs kDefaults = {sizeof(Attrs), 0, 0};
  return read_attrs(raw, kDefaults, &Attrs::axis).axis;
}

template <class Attrs>
void arg_key(const void* raw, SignatureKey& key) {
  key.push(arg_axis<Attrs>(raw));
}

template <class T, bool kMax>
class ArgReduce final : public Kernel {
 public:
  ArgReduce(const CallInfo& call, uint32_t axis) {
    const keel_tensor_desc_t& x = call.input(0);
    const keel_tensor_desc_t& y = call.output(0);
    // y's positions against x with the axis dropped (or kept as 1).
    keel_tensor_desc_t outer = y;
    outer.dtype = x.dtype;
    uint32_t o = 0;
    for (uint32_t d = 0; d < x.rank; ++d) {
      if (d == axis) {
        if (y.rank == x.rank) outer.strides[o++] = 0;
      } else {
        outer.strides[o++] = x.strides[d];
      }
    }
    plan_ = plan_loop(y, {&outer});
    length_ = x.shape[axis];
    stride_ = x.strides[axis];
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    int64_t* y = typed_data<int64_t>(call.outputs[0]);
    const T* x = typed_data<const T>(call.inputs[0]);
    for_each_run(
        plan_,
        [&](const int64_t* offsets, int64_t n) {
          for (int64_t i = 0; i < n; ++i) {
            y[offsets[0] + i * plan_.inner_stride(0)] = search(x + offsets[1] + i * plan_.inner_stride(1));
          }
        },
        std::max<int64_t>(1, kMinElementsPerThread / std::max<int64_t>(length_, 1)));
  }
  std::string describe() const override { return "loop"; }

 private:
  int64_t search(const T* p) const {
    int64_t best = 0;
    T value = p[0];
    if constexpr (kIsFloat<T>) {
      if (value != value) return 0;
    }
    for (int64_t j = 1; j < length_; ++j) {
      const T v = p[j * stride_];
      if constexpr (kIsFloat<T>) {
        if (v != v) return j;  // the first NaN wins
      }
      if (kMax ? v > value : v < value) {
        best = j;
        value = v;
      }
    }
    return best;
  }

  LoopPlan plan_;
  int64_t length_ = 0;
  int64_t stride_ = 0;
};

template <bool kMax>
std::unique_ptr<Kernel> create_arg(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  const int64_t axis = kMax ? arg_axis<keel_argmax_attrs_t>(call.attrs()) : arg_axis<keel_argmin_attrs_t>(call.attrs());
  return visit_numeric(x.dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<ArgReduce<T, kMax>>(call, normalize_axis(axis, x.rank));
  });
}

template <Kind kKind>
std::unique_ptr<Kernel> create_reduce(const CallInfo& call) {
  const keel_tensor_desc_t& x = call.input(0);
  const Axes axes = axes_for(kKind, call.attrs(), x.rank);
  const Split s = split(x, call.output(0), axes);
  if (reduces_columns(plan_loop(call.output(0), {&s.outer}), s)) {
    return visit_numeric(x.dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
      return std::make_unique<ColumnReduce<T, kKind>>(call, s);
    });
  }
  if (auto primitive = try_reduce_primitive(call, kKind, axes, s)) return primitive;
  return visit_numeric(x.dtype, [&]<class T>(Tag<T>) -> std::unique_ptr<Kernel> {
    return std::make_unique<ReduceLoop<T>>(call, kKind, s);
  });
}

constexpr KernelDef kKernels[] = {
    {"reduce_sum", 1, kNumericTypes, nullptr, create_reduce<Kind::kSum>, reduce_key<keel_reduce_sum_attrs_t>},
    {"reduce_mean", 1, kFloatTypes, nullptr, create_reduce<Kind::kMean>, reduce_key<keel_reduce_mean_attrs_t>},
    {"reduce_max", 1, kNumericTypes, nullptr, create_reduce<Kind::kMax>, reduce_key<keel_reduce_max_attrs_t>},
    {"reduce_min", 1, kNumericTypes, nullptr, create_reduce<Kind::kMin>, reduce_key<keel_reduce_min_attrs_t>},
    {"reduce_prod", 1, kNumericTypes, nullptr, create_reduce<Kind::kProd>, reduce_key<keel_reduce_prod_attrs_t>},
    {"argmax", 1, kNumericTypes, nullptr, create_arg<true>, arg_key<keel_argmax_attrs_t>},
    {"argmin", 1, kNumericTypes, nullptr, create_arg<false>, arg_key<keel_argmin_attrs_t>},
};

}  // namespace

std::span<const KernelDef> reduce_kernels() { return kKernels; }

}  // namespace keel::onednn
