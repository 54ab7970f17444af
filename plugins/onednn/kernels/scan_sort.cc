// Scans and selections along one axis (scan_sort.yaml): cumsum and topk. Both treat the tensor as lines
// along the axis, one per position of the other axes, and split the lines over the pool.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "coords.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "signature.h"

namespace keel::onednn {
namespace {

// Calls f(at) for the first element of every line along `axis` of t (t's shape with the axis at 1).
template <class F>
void for_each_line(const keel_tensor_desc_t& t, uint32_t axis, F&& f) {
  keel_tensor_desc_t starts = t;
  starts.shape[axis] = 1;
  if (t.shape[axis] == 0) return;
  const int64_t per_line = std::max<int64_t>(1, t.shape[axis]);
  parallel_coords(
      starts, [&](const int64_t* at, int64_t) { f(at); }, std::max<int64_t>(1, kMinElementsPerThread / per_line));
}

// visit_numeric plus the 16-bit floats.
template <class F>
decltype(auto) visit_numeric_every(keel_dtype_t dtype, F&& f) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return f(Tag<F16>{});
    case KEEL_DTYPE_BF16: return f(Tag<Bf16>{});
    default: return visit_numeric(dtype, std::forward<F>(f));
  }
}

inline constexpr std::array<keel_dtype_t, 6> kScanTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I32,
                                                           KEEL_DTYPE_I64, KEEL_DTYPE_F16, KEEL_DTYPE_BF16};

// ---- cumsum -------------------------------------------------------------------------------------------

keel_cumsum_attrs_t cumsum_attrs(const void* raw) {
  using A = keel_cumsum_attrs_t;
  constexpr A kDefaults = KEEL_CUMSUM_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::axis, &A::exclusive, &A::reverse);
}

void cumsum_key(const void* raw, SignatureKey& key) {
  const keel_cumsum_attrs_t a = cumsum_attrs(raw);
  key.push(a.axis);
  key.push(a.exclusive);
  key.push(a.reverse);
}

// What cumsum sums in: unsigned words for integers (wrapping), f64 for floats.
template <class V, bool = std::is_integral_v<V>>
struct Accumulator {
  using type = double;
};
template <class V>
struct Accumulator<V, true> {
  using type = std::make_unsigned_t<V>;
};

// A running sum per line: floats accumulate in f64 and round once per output; integers wrap.
class Cumsum final : public Kernel {
 public:
  explicit Cumsum(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)), attrs_(cumsum_attrs(call.attrs())) {
    axis_ = normalize_axis(attrs_.axis, x_.rank);
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_numeric_every(y_.dtype, [&]<class T>(Tag<T>) {
      using V = decltype(widen(T{}));
      using Acc = typename Accumulator<V>::type;
      const T* x = typed_data<const T>(call.inputs[0]);
      T* y = typed_data<T>(call.outputs[0]);
      const int64_t d = x_.shape[axis_];
      const int64_t xs = x_.strides[axis_];
      const int64_t ys = y_.strides[axis_];
      for_each_line(y_, axis_, [&](const int64_t* at) {
        const int64_t x0 = offset_of(x_, at);
        const int64_t y0 = offset_of(y_, at);
        Acc sum{0};
        for (int64_t step = 0; step < d; ++step) {
          const int64_t i = attrs_.reverse != 0 ? d - 1 - step : step;
          const Acc value = static_cast<Acc>(widen(x[x0 + i * xs]));
          if (attrs_.exclusive == 0) sum = static_cast<Acc>(sum + value);
          if constexpr (std::is_integral_v<V>)
            y[y0 + i * ys] = static_cast<T>(sum);
          else
            y[y0 + i * ys] = convert<T>(sum);
          if (attrs_.exclusive != 0) sum = static_cast<Acc>(sum + value);
        }
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, y_;
  keel_cumsum_attrs_t attrs_;
  uint32_t axis_ = 0;
};

// ---- topk ---------------------------------------------------------------------------------------------

keel_topk_attrs_t topk_attrs(const void* raw) {
  using A = keel_topk_attrs_t;
  constexpr A kDefaults = KEEL_TOPK_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::k, &A::axis, &A::largest, &A::sorted);
}

void topk_key(const void* raw, SignatureKey& key) {
  const keel_topk_attrs_t a = topk_attrs(raw);
  key.push(a.k);
  key.push(a.axis);
  key.push(a.largest);
  key.push(a.sorted);
}

// The spec's order of values: NaN above +inf, -0 equal to +0.
template <class V>
bool greater(V a, V b) {
  if constexpr (std::is_floating_point_v<V>) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
  }
  return a > b;
}

// Each line's (value, index) pairs ordered by value (ties: lower index first); the first k are kept, in
// that order when sorted, else re-ordered by index.
class Topk final : public Kernel {
 public:
  explicit Topk(const CallInfo& call)
      : x_(call.input(0)), values_(call.output(0)), indices_(call.output(1)), attrs_(topk_attrs(call.attrs())) {
    axis_ = normalize_axis(attrs_.axis, x_.rank);
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_numeric_every(x_.dtype, [&]<class T>(Tag<T>) {
      using V = decltype(widen(T{}));
      const T* x = typed_data<const T>(call.inputs[0]);
      T* values = typed_data<T>(call.outputs[0]);
      int64_t* indices = typed_data<int64_t>(call.outputs[1]);
      const int64_t d = x_.shape[axis_];
      const int64_t k = attrs_.k;
      const bool largest = attrs_.largest != 0;
      const auto before = [largest](const std::pair<V, int64_t>& a, const std::pair<V, int64_t>& b) {
        const bool first = largest ? greater(a.first, b.first) : greater(b.first, a.first);
        const bool second = largest ? greater(b.first, a.first) : greater(a.first, b.first);
        if (first != second) return first;
        return a.second < b.second;  // equal values: lower index first
      };
      if (k == 0) return;
      for_each_line(x_, axis_, [&](const int64_t* at) {
        std::vector<std::pair<V, int64_t>> line(static_cast<size_t>(d));
        const int64_t x0 = offset_of(x_, at);
        for (int64_t i = 0; i < d; ++i) line[static_cast<size_t>(i)] = {widen(x[x0 + i * x_.strides[axis_]]), i};
        std::partial_sort(line.begin(), line.begin() + k, line.end(), before);
        if (attrs_.sorted == 0) {
          std::sort(line.begin(), line.begin() + k, [](const auto& a, const auto& b) { return a.second < b.second; });
        }
        const int64_t v0 = offset_of(values_, at);
        const int64_t i0 = offset_of(indices_, at);
        for (int64_t j = 0; j < k; ++j) {
          const int64_t source = line[static_cast<size_t>(j)].second;
          values[v0 + j * values_.strides[axis_]] = x[x0 + source * x_.strides[axis_]];  // bit for bit
          indices[i0 + j * indices_.strides[axis_]] = source;
        }
      });
    });
  }
  std::string describe() const override { return "partial sort"; }

 private:
  keel_tensor_desc_t x_, values_, indices_;
  keel_topk_attrs_t attrs_;
  uint32_t axis_ = 0;
};

std::unique_ptr<Kernel> create_cumsum(const CallInfo& call) { return std::make_unique<Cumsum>(call); }
std::unique_ptr<Kernel> create_topk(const CallInfo& call) { return std::make_unique<Topk>(call); }

constexpr KernelDef kKernels[] = {
    {"cumsum", 1, kScanTypes, nullptr, create_cumsum, cumsum_key},
    {"topk", 1, kScanTypes, nullptr, create_topk, topk_key},
};

}  // namespace

std::span<const KernelDef> scan_sort_kernels() { return kKernels; }

}  // namespace keel::onednn
