// resize (resample.yaml): nearest and (multi)linear interpolation with the spec's coordinate transforms.
// Each axis gets a table once per signature: for every output index, the input index (nearest) or the two
// input indices and their f64 weights (linear). An output element is then a copy, or the weighted sum over
// the corners of the axes whose second weight is not zero, accumulated in f64 and rounded once.
#include <algorithm>
#include <cmath>
#include <vector>

#include "attrs.h"
#include "convert.h"
#include "coords.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "signature.h"

namespace keel::onednn {
namespace {

struct ResizeAttrs {
  uint32_t mode, transform, nearest;
  std::vector<double> scales;
  std::vector<int64_t> sizes;
};

ResizeAttrs resize_attrs(const void* raw) {
  using A = keel_resize_attrs_t;
  constexpr A kDefaults = KEEL_RESIZE_ATTRS_INIT;
  const A a = read_attrs(raw, kDefaults, &A::mode, &A::coordinate_transform, &A::nearest_mode, &A::scales,
                         &A::scales_count, &A::sizes, &A::sizes_count);
  if (a.scales_count > 0 && a.scales == nullptr)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "resize: scales has entries but no data");
  const std::span<const int64_t> sizes = ints_of(a.sizes, a.sizes_count);
  return {a.mode,
          a.coordinate_transform,
          a.nearest_mode,
          {a.scales, a.scales + a.scales_count},
          {sizes.begin(), sizes.end()}};
}

void resize_key(const void* raw, SignatureKey& key) {
  const ResizeAttrs a = resize_attrs(raw);
  key.push(a.mode);
  key.push(a.transform);
  key.push(a.nearest);
  key.push(static_cast<int64_t>(a.scales.size()));
  for (const double s : a.scales) key.push_double(s);
  key.push_ints(a.sizes.data(), a.sizes.size());
}

// The input coordinate u of output index o along an axis of input size d, output size out, scale `scale`.
double source_coordinate(uint32_t transform, int64_t o, int64_t d, int64_t out, double scale) {
  const double position = static_cast<double>(o);
  switch (transform) {
    case KEEL_RESIZE_COORDINATE_TRANSFORM_ALIGN_CORNERS: {
      if (out <= 1) return 0.0;
      const double numerator = position * static_cast<double>(d - 1);
      return numerator / static_cast<double>(out - 1);
    }
    case KEEL_RESIZE_COORDINATE_TRANSFORM_ASYMMETRIC: return position / scale;
    case KEEL_RESIZE_COORDINATE_TRANSFORM_PYTORCH_HALF_PIXEL:
      if (out <= 1) return 0.0;
      [[fallthrough]];
    default: {
      const double shifted = (position + 0.5) / scale;
      return shifted - 0.5;
    }
  }
}

int64_t round_nearest(uint32_t mode, double u) {
  switch (mode) {
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_CEIL: return static_cast<int64_t>(std::floor(u + 0.5));
    case KEEL_RESIZE_NEAREST_MODE_FLOOR: return static_cast<int64_t>(std::floor(u));
    case KEEL_RESIZE_NEAREST_MODE_CEIL: return static_cast<int64_t>(std::ceil(u));
    default: return static_cast<int64_t>(std::ceil(u - 0.5));  // an exact .5 goes down
  }
}

// Per output index of one axis: the element offsets (in x) of the lower and upper input index along the
// axis, and the upper's weight t.
struct Tap {
  int64_t low, high;
  double t;
};

class Resize final : public Kernel {
 public:
  explicit Resize(const CallInfo& call) : x_(call.input(0)), y_(call.output(0)) {
    const ResizeAttrs a = resize_attrs(call.attrs());
    linear_ = a.mode == KEEL_RESIZE_MODE_LINEAR;
    for (uint32_t axis = 0; axis < x_.rank; ++axis) {
      const int64_t d = x_.shape[axis];
      const int64_t out = y_.shape[axis];
      const double scale = a.scales.empty() ? static_cast<double>(out) / static_cast<double>(d) : a.scales[axis];
      std::vector<Tap> taps(static_cast<size_t>(d > 0 ? out : 0));
      for (int64_t o = 0; o < static_cast<int64_t>(taps.size()); ++o) {
        const double u = source_coordinate(a.transform, o, d, out, scale);
        Tap& tap = taps[static_cast<size_t>(o)];
        if (!linear_) {
          tap.low = tap.high = std::clamp<int64_t>(round_nearest(a.nearest, u), 0, d - 1);
          tap.t = 0.0;
          continue;
        }
        const double clamped = std::clamp(u, 0.0, static_cast<double>(d - 1));
        const double floor = std::floor(clamped);
        tap.low = static_cast<int64_t>(floor);
        tap.high = std::min(tap.low + 1, d - 1);
        tap.t = clamped - floor;
      }
      for (Tap& tap : taps) {
        tap.low *= x_.strides[axis];
        tap.high *= x_.strides[axis];
      }
      taps_.push_back(std::move(taps));
    }
    rows_ = y_;
    rows_.rank = y_.rank - 1;
  }

  // Walks y one row along the last axis at a time: the corners of the other axes (offsets into x and
  // weights) are set up once per row, then each output of the row adds the last axis' two taps.
  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_any_float(y_.dtype, [&]<class T>(Tag<T>) {
      const T* x = typed_data<const T>(call.inputs[0]);
      T* y = typed_data<T>(call.outputs[0]);
      const uint32_t last = x_.rank - 1;
      const std::vector<Tap>& row_taps = taps_[last];
      const int64_t step = y_.strides[last];
      const int64_t length = static_cast<int64_t>(row_taps.size());
      parallel_coords(
          rows_,
          [&](const int64_t* at, int64_t) {
            int64_t offsets[kMaxCorners] = {0};
            double weights[kMaxCorners] = {1.0};
            size_t corners = 1;
            for (uint32_t axis = 0; axis < last; ++axis) {
              const Tap& tap = taps_[axis][static_cast<size_t>(at[axis])];
              for (size_t c = 0; c < corners; ++c) {
                if (tap.t != 0.0) {
                  offsets[c + corners] = offsets[c] + tap.high;
                  weights[c + corners] = weights[c] * tap.t;
                  weights[c] *= 1.0 - tap.t;
                }
                offsets[c] += tap.low;
              }
              if (tap.t != 0.0) corners *= 2;
            }
            T* row = y + offset_of(rows_, at);
            for (int64_t o = 0; o < length; ++o) {
              const Tap& tap = row_taps[static_cast<size_t>(o)];
              if (corners == 1 && tap.t == 0.0) {
                row[o * step] = x[offsets[0] + tap.low];  // bit for bit
                continue;
              }
              double sum = 0.0;
              for (size_t c = 0; c < corners; ++c) {
                if (tap.t == 0.0) {
                  sum += weights[c] * static_cast<double>(widen(x[offsets[c] + tap.low]));
                  continue;
                }
                const double low = weights[c] * (1.0 - tap.t);
                const double high = weights[c] * tap.t;
                sum += low * static_cast<double>(widen(x[offsets[c] + tap.low]));
                sum += high * static_cast<double>(widen(x[offsets[c] + tap.high]));
              }
              row[o * step] = convert<T>(sum);
            }
          },
          std::max<int64_t>(1, kMinElementsPerThread / 4 / std::max<int64_t>(1, length)));
    });
  }
  std::string describe() const override { return linear_ ? "linear loop" : "nearest loop"; }

 private:
  static constexpr size_t kMaxCorners = size_t{1} << (KEEL_MAX_RANK - 1);
  keel_tensor_desc_t x_, y_;
  keel_tensor_desc_t rows_{};  // y without its last axis
  bool linear_ = false;
  std::vector<std::vector<Tap>> taps_;
};

std::unique_ptr<Kernel> create_resize(const CallInfo& call) { return std::make_unique<Resize>(call); }

constexpr KernelDef kKernels[] = {
    {"resize", 1, kAnyFloatTypes, nullptr, create_resize, resize_key},
};

}  // namespace

std::span<const KernelDef> resample_kernels() { return kKernels; }

}  // namespace keel::onednn
