// Shape operators that copy or rearrange elements (layout.yaml, resample.yaml): shape, split, tile, trilu
// and pad. Values move as raw words of their size, so one loop serves every dtype of the `data` set.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "coords.h"
#include "copy.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "signature.h"

namespace keel::onednn {
namespace {

// ---- shape --------------------------------------------------------------------------------------------

// y[i] = x.shape[i]; x's data is never read.
class Shape final : public Kernel {
 public:
  explicit Shape(const CallInfo& call)
      : x_(call.input(0)), stride_(call.output(0).rank > 0 ? call.output(0).strides[0] : 1) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    int64_t* y = typed_data<int64_t>(call.outputs[0]);
    for (uint32_t d = 0; d < x_.rank; ++d) y[d * stride_] = x_.shape[d];
  }
  std::string describe() const override { return "shape"; }

 private:
  keel_tensor_desc_t x_;
  int64_t stride_;
};

// ---- split --------------------------------------------------------------------------------------------

int64_t split_axis(const void* raw) {
  constexpr keel_split_attrs_t kDefaults = KEEL_SPLIT_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_split_attrs_t::axis).axis;
}

void split_key(const void* raw, SignatureKey& key) { key.push(split_axis(raw)); }

// Output i is the window of x along the axis that starts after the outputs before it (their sizes are the
// outputs' shapes, which the host inferred from sizes or num_outputs).
class Split final : public Kernel {
 public:
  explicit Split(const CallInfo& call) : size_(dtype_size(call.input(0).dtype)) {
    const keel_tensor_desc_t& x = call.input(0);
    const uint32_t axis = normalize_axis(split_axis(call.attrs()), x.rank);
    int64_t position = 0;
    for (size_t i = 0; i < call.output_count(); ++i) {
      const keel_tensor_desc_t& y = call.output(i);
      keel_tensor_desc_t window = x;
      window.shape[axis] = y.shape[axis];
      pieces_.push_back({plan_loop(y, {&window}), position * x.strides[axis]});
      position += y.shape[axis];
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const std::byte* x = data_of(call.inputs[0]);
    for (size_t i = 0; i < pieces_.size(); ++i) {
      if (pieces_[i].plan.count == 0) continue;
      copy_planned(pieces_[i].plan, size_, data_of(call.outputs[i]),
                   x + pieces_[i].offset * static_cast<int64_t>(size_));
    }
  }
  std::string describe() const override { return "strided copies"; }

 private:
  struct Piece {
    LoopPlan plan;
    int64_t offset;  // elements from x's element 0 to the window's
  };
  size_t size_;
  std::vector<Piece> pieces_;
};

// ---- tile ---------------------------------------------------------------------------------------------

// y[j] = x[j mod d] along every axis (the repeats are implied by the shapes).
class Tile final : public Kernel {
 public:
  explicit Tile(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_bits(dtype_size(y_.dtype), [&]<class W>(Tag<W>) {
      const W* x = typed_data<const W>(call.inputs[0]);
      W* y = typed_data<W>(call.outputs[0]);
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        int64_t x_offset = 0;
        for (uint32_t d = 0; d < x_.rank; ++d) x_offset += (at[d] % x_.shape[d]) * x_.strides[d];
        y[offset_of(y_, at)] = x[x_offset];
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, y_;
};

// ---- trilu --------------------------------------------------------------------------------------------

keel_trilu_attrs_t trilu_attrs(const void* raw) {
  constexpr keel_trilu_attrs_t kDefaults = KEEL_TRILU_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_trilu_attrs_t::upper, &keel_trilu_attrs_t::k);
}

void trilu_key(const void* raw, SignatureKey& key) {
  const keel_trilu_attrs_t a = trilu_attrs(raw);
  key.push(a.upper);
  key.push(a.k);
}

// Keeps x where j - i >= k (upper) or j - i <= k (lower) in the last two axes; zero bits elsewhere.
class Trilu final : public Kernel {
 public:
  explicit Trilu(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)), attrs_(trilu_attrs(call.attrs())) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_bits(dtype_size(y_.dtype), [&]<class W>(Tag<W>) {
      const W* x = typed_data<const W>(call.inputs[0]);
      W* y = typed_data<W>(call.outputs[0]);
      const uint32_t rows = y_.rank - 2;
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        const int64_t diagonal = at[rows + 1] - at[rows];
        const bool keep = attrs_.upper != 0 ? diagonal >= attrs_.k : diagonal <= attrs_.k;
        y[offset_of(y_, at)] = keep ? x[offset_of(x_, at)] : W{0};
      });
    });
  }
  bool tolerates_identical_alias() const override { return true; }  // each element reads only itself
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, y_;
  keel_trilu_attrs_t attrs_;
};

// ---- pad ----------------------------------------------------------------------------------------------

struct PadAttrs {
  std::vector<int64_t> pads;
  uint32_t mode;
  double value;
};

PadAttrs pad_attrs(const void* raw) {
  using A = keel_pad_attrs_t;
  constexpr A kDefaults = KEEL_PAD_ATTRS_INIT;
  const A a = read_attrs(raw, kDefaults, &A::pads, &A::pads_count, &A::mode, &A::value);
  const std::span<const int64_t> pads = ints_of(a.pads, a.pads_count);
  return {{pads.begin(), pads.end()}, a.mode, a.value};
}

void pad_key(const void* raw, SignatureKey& key) {
  const PadAttrs a = pad_attrs(raw);
  key.push_ints(a.pads.data(), a.pads.size());
  key.push(a.mode);
  key.push_double(a.value);
}

// The fill value converted with the rules of cast (truncate, NaN is 0, saturate), the 8-bit integers included.
template <class T>
T fill_value(double value) {
  if constexpr (std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t>) {
    if (std::isnan(value)) return T{0};
    const double clamped = std::clamp(std::trunc(value), static_cast<double>(std::numeric_limits<T>::min()),
                                      static_cast<double>(std::numeric_limits<T>::max()));
    return static_cast<T>(clamped);
  } else {
    return convert<T>(value);
  }
}

// Each output coordinate maps, axis by axis, to an input coordinate (or to the constant). y is walked one
// row along the last axis at a time: the other axes map once per row, and the row is its begin padding,
// a straight copy of x's row, and its end padding.
class Pad final : public Kernel {
 public:
  explicit Pad(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)), attrs_(pad_attrs(call.attrs())) {
    rows_ = y_;
    rows_.rank = y_.rank > 0 ? y_.rank - 1 : 0;
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_data(y_.dtype, [&]<class T>(Tag<T>) {
      const T fill = fill_value<T>(attrs_.value);
      const T* x = typed_data<const T>(call.inputs[0]);
      T* y = typed_data<T>(call.outputs[0]);
      if (y_.rank == 0) {  // nothing to pad
        y[0] = x[0];
        return;
      }
      const uint32_t last = y_.rank - 1;
      const int64_t length = y_.shape[last];
      const int64_t d = x_.shape[last];
      const int64_t begin = std::min(attrs_.pads[last], length);
      const int64_t middle = std::min(begin + d, length);  // [begin, middle) copies x's row
      const int64_t ys = y_.strides[last];
      const int64_t xs = x_.strides[last];
      parallel_coords(
          rows_,
          [&](const int64_t* at, int64_t) {
            T* row = y + offset_of(rows_, at);
            int64_t x_row = 0;
            for (uint32_t axis = 0; axis < last; ++axis) {
              const int64_t source = source_of(at[axis] - attrs_.pads[axis], x_.shape[axis]);
              if (source < 0) {
                for (int64_t o = 0; o < length; ++o) row[o * ys] = fill;
                return;
              }
              x_row += source * x_.strides[axis];
            }
            const auto padded = [&](int64_t o) {
              const int64_t source = source_of(o - begin, d);
              row[o * ys] = source < 0 ? fill : x[x_row + source * xs];
            };
            for (int64_t o = 0; o < begin; ++o) padded(o);
            if (ys == 1 && xs == 1) {
              std::copy(x + x_row, x + x_row + (middle - begin), row + begin);
            } else {
              for (int64_t o = begin; o < middle; ++o) row[o * ys] = x[x_row + (o - begin) * xs];
            }
            for (int64_t o = middle; o < length; ++o) padded(o);
          },
          std::max<int64_t>(1, kMinElementsPerThread / 4 / std::max<int64_t>(1, length)));
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  // The input position that output position q - begin reads along an axis of size d; -1 for the constant.
  int64_t source_of(int64_t q, int64_t d) const {
    if (q >= 0 && q < d) return q;
    switch (attrs_.mode) {
      case KEEL_PAD_MODE_REFLECT: return q < 0 ? -q : 2 * (d - 1) - q;  // the pads are below d (C4)
      case KEEL_PAD_MODE_EDGE: return q < 0 ? 0 : d - 1;
      default: return -1;
    }
  }
  keel_tensor_desc_t x_, y_;
  keel_tensor_desc_t rows_{};  // y without its last axis
  PadAttrs attrs_;
};

std::unique_ptr<Kernel> create_shape(const CallInfo& call) { return std::make_unique<Shape>(call); }
std::unique_ptr<Kernel> create_split(const CallInfo& call) { return std::make_unique<Split>(call); }
std::unique_ptr<Kernel> create_tile(const CallInfo& call) { return std::make_unique<Tile>(call); }
std::unique_ptr<Kernel> create_trilu(const CallInfo& call) { return std::make_unique<Trilu>(call); }
std::unique_ptr<Kernel> create_pad(const CallInfo& call) { return std::make_unique<Pad>(call); }

constexpr KernelDef kKernels[] = {
    {"shape", 1, kDataTypes, nullptr, create_shape, nullptr},
    {"split", 1, kDataTypes, nullptr, create_split, split_key},
    {"tile", 1, kDataTypes, nullptr, create_tile, nullptr},
    {"trilu", 1, kDataTypes, nullptr, create_trilu, trilu_key},
    {"pad", 1, kDataTypes, nullptr, create_pad, pad_key},
};

}  // namespace

std::span<const KernelDef> shape_kernels() { return kKernels; }

}  // namespace keel::onednn
