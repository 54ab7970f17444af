// resize and pad (resample.yaml): references written from the spec's formulas, and cases for every
// coordinate transform, nearest mode and pad mode, up- and downscaling, sizes, corners combining the modes.
//
// Linear resizing leaves out the corners whose weight is exactly 0, so that an axis with t = 0 copies the
// input exactly (the spec's "axes whose scale is 1 ... copy exactly", which adding 0 · x would break for
// infinite or NaN neighbours and for -0): the reading the plugin documents.
#include <cmath>
#include <cstring>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// The input coordinate of output index o along an axis of input size d, output size out and scale.
double coordinate(uint32_t transform, int64_t o, int64_t d, int64_t out, double scale) {
  const auto i = static_cast<double>(o);
  switch (transform) {
    case KEEL_RESIZE_COORDINATE_TRANSFORM_HALF_PIXEL: return (i + 0.5) / scale - 0.5;
    case KEEL_RESIZE_COORDINATE_TRANSFORM_PYTORCH_HALF_PIXEL: return out > 1 ? (i + 0.5) / scale - 0.5 : 0.0;
    case KEEL_RESIZE_COORDINATE_TRANSFORM_ALIGN_CORNERS:
      return out > 1 ? i * static_cast<double>(d - 1) / static_cast<double>(out - 1) : 0.0;
    default: return i / scale;
  }
}

int64_t nearest(uint32_t mode, double u, int64_t d) {
  double r = 0;
  switch (mode) {
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_FLOOR: r = u - std::floor(u) == 0.5 ? std::floor(u) : std::floor(u + 0.5); break;
    case KEEL_RESIZE_NEAREST_MODE_ROUND_PREFER_CEIL: r = std::floor(u + 0.5); break;
    case KEEL_RESIZE_NEAREST_MODE_FLOOR: r = std::floor(u); break;
    default: r = std::ceil(u); break;
  }
  return static_cast<int64_t>(std::min(std::max(r, 0.0), static_cast<double>(d - 1)));
}

KEEL_REFERENCE(resize) {
  const auto& a = call.attrs_as<keel_resize_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  const size_t rank = x.shape.size();
  std::vector<double> scale(rank);
  for (size_t k = 0; k < rank; ++k) {
    scale[k] = a.scales_count > 0 ? a.scales[k]
               : x.shape[k] == 0  ? 1.0
                                  : static_cast<double>(shape[k]) / static_cast<double>(x.shape[k]);
  }
  if (a.mode == KEEL_RESIZE_MODE_NEAREST) {
    std::vector<int64_t> positions;
    for (int64_t o = 0; o < count_of(shape); ++o) {
      Dims index = unravel(o, shape);
      for (size_t k = 0; k < rank; ++k) {
        index[k] = nearest(a.nearest_mode, coordinate(a.coordinate_transform, index[k], x.shape[k], shape[k], scale[k]),
                           x.shape[k]);
      }
      positions.push_back(ravel(index, x.shape));
    }
    return {Expected::of_bits(pick_elements(x, positions, shape))};
  }
  Expected e;
  e.k = {std::ldexp(1.0L, static_cast<int>(rank))};
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    // Per axis: the two neighbours and their weights.
    std::vector<std::array<int64_t, 2>> at(rank);
    std::vector<std::array<long double, 2>> weight(rank);
    for (size_t k = 0; k < rank; ++k) {
      double u = coordinate(a.coordinate_transform, index[k], x.shape[k], shape[k], scale[k]);
      u = std::min(std::max(u, 0.0), static_cast<double>(x.shape[k] - 1));
      const double i0 = std::floor(u);
      at[k] = {static_cast<int64_t>(i0), std::min(static_cast<int64_t>(i0) + 1, x.shape[k] - 1)};
      weight[k] = {1.0 - (u - i0), u - i0};
    }
    long double sum = 0;
    long double magnitude = 0;
    bool started = false;
    for (int64_t corner = 0; corner < (int64_t{1} << rank); ++corner) {
      long double w = 1;
      Dims source(rank);
      for (size_t k = 0; k < rank; ++k) {
        const auto bit = static_cast<size_t>((corner >> (rank - 1 - k)) & 1);
        w *= weight[k][bit];
        source[k] = at[k][bit];
      }
      if (w == 0) continue;
      const long double term = w * x.value(ravel(source, x.shape));
      sum = started ? sum + term : term;
      started = true;
      magnitude += std::fabs(term);
    }
    e.values.push_back(sum);
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

KEEL_REFERENCE(pad) {
  const auto& a = call.attrs_as<keel_pad_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const Dims& shape = call.outputs[0].shape;
  const size_t rank = x.shape.size();
  // The constant, converted with cast's rules, as the element's bytes.
  const HostTensor constant = tensor_of(x.dtype, {1}, {cast_from_f64(a.value, x.dtype)});
  HostTensor y = HostTensor::zeros(x.dtype, shape);
  const size_t size = size_of(x.dtype);
  for (int64_t o = 0; o < count_of(shape); ++o) {
    Dims index = unravel(o, shape);
    bool inside = true;
    for (size_t k = 0; k < rank; ++k) {
      const int64_t d = x.shape[k];
      int64_t q = index[k] - a.pads[k];
      if (q < 0 || q >= d) {
        if (a.mode == KEEL_PAD_MODE_CONSTANT) inside = false;
        if (a.mode == KEEL_PAD_MODE_REFLECT) q = q < 0 ? -q : 2 * (d - 1) - q;
        if (a.mode == KEEL_PAD_MODE_EDGE) q = q < 0 ? 0 : d - 1;
      }
      index[k] = q;
    }
    const std::byte* from = inside ? x.bytes.data() + static_cast<size_t>(ravel(index, x.shape)) * size
                                   : constant.bytes.data();
    std::memcpy(y.bytes.data() + static_cast<size_t>(o) * size, from, size);
  }
  return {Expected::of_bits(y)};
}

// ---- Cases ------------------------------------------------------------------------------------------------

class Resample : public BackendTest {};

TEST_P(Resample, ResizeEveryModeTransformAndRounding) {
  Random random(83);
  struct Case {
    Dims x;
    std::vector<double> scales;
    std::vector<int64_t> sizes;
  };
  const std::vector<Case> cases = {{{1, 1, 4, 4}, {1, 1, 2, 2}, {}},          {{1, 2, 5, 3}, {}, {1, 2, 3, 7}},
                                   {{1, 1, 4, 6}, {1, 1, 0.5, 1.5}, {}},      {{2, 3, 3}, {}, {2, 3, 5}},
                                   {{1, 1, 5, 4}, {1, 1, 0.6, 1.75}, {}},     {{2, 2, 2, 3, 2}, {1, 1, 2, 1, 1.5}, {}},
                                   {{6}, {}, {1}},                            {{0, 3}, {2, 2}, {}},
                                   {{2, 4}, {}, {0, 3}},                      {{1, 2, 1, 2, 3, 1}, {}, {1, 3, 2, 1, 4, 2}}};
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const Case& c : cases) {
      const HostTensor x = random.tensor(dtype, c.x, -8, 8);
      for (uint32_t mode = 0; mode < 2; ++mode) {
        for (uint32_t transform = 0; transform < 4; ++transform) {
          for (uint32_t rounding = 0; rounding < (mode == 0 ? 4u : 1u); ++rounding) {
            SCOPED_TRACE(name_of(dtype) + text_of(c.x) + " mode " + std::to_string(mode) + " transform " +
                         std::to_string(transform) + " rounding " + std::to_string(rounding));
            const keel_resize_attrs_t attrs = {sizeof attrs,      mode,           transform,       rounding,
                                               c.scales.data(),   c.scales.size(), c.sizes.data(), c.sizes.size()};
            check_call(session(), "resize", &attrs, {x}, {Layout::scrambled(c.x.size())},
                       {Layout::transposed(c.x.size())});
          }
        }
      }
    }
    // Scale-1 axes copy exactly under linear interpolation, infinities, NaN and -0 included.
    const HostTensor specials = tensor_of(dtype, {2, 4}, {-0.0L, kInf, kNaN, 1, -kInf, 2, -0.0L, 3});
    const std::vector<double> scales = {1.0, 2.0};
    const keel_resize_attrs_t linear = {sizeof linear, KEEL_RESIZE_MODE_LINEAR, KEEL_RESIZE_COORDINATE_TRANSFORM_ASYMMETRIC,
                                        0, scales.data(), 2, nullptr, 0};
    check_call(session(), "resize", &linear, {specials});
  }
}

TEST_P(Resample, PadEveryModeDtypeAndCorner) {
  Random random(89);
  struct Case {
    Dims x;
    std::vector<int64_t> pads;
  };
  const std::vector<Case> cases = {{{2, 3}, {1, 0, 2, 1}}, {{4, 5}, {3, 2, 1, 4}}, {{3, 1}, {2, 0, 1, 0}},
                                   {{}, {}},               {{5}, {4, 4}},          {{2, 1, 3, 2}, {0, 0, 1, 0, 1, 0, 2, 1}},
                                   {{1, 2, 1, 3, 1, 2}, {0, 1, 0, 2, 0, 1, 0, 0, 0, 1, 0, 1}}};
  const std::vector<keel_dtype_t> dtypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I8,  KEEL_DTYPE_U8,  KEEL_DTYPE_I32, KEEL_DTYPE_I64,
                                            KEEL_DTYPE_F16,  KEEL_DTYPE_BF16, KEEL_DTYPE_F32, KEEL_DTYPE_F64};
  for (const keel_dtype_t dtype : dtypes) {
    for (const Case& c : cases) {
      const HostTensor x = random.tensor(dtype, c.x, -100, 100);
      for (uint32_t mode = 0; mode < 3; ++mode) {
        bool fits = true;
        for (size_t k = 0; k < c.x.size(); ++k) {
          if (mode == KEEL_PAD_MODE_REFLECT) fits = fits && c.pads[k] < c.x[k] && c.pads[c.x.size() + k] < c.x[k];
          if (mode == KEEL_PAD_MODE_EDGE) fits = fits && (c.x[k] > 0 || c.pads[k] + c.pads[c.x.size() + k] == 0);
        }
        if (!fits) continue;
        SCOPED_TRACE(name_of(dtype) + text_of(c.x) + " mode " + std::to_string(mode));
        const keel_pad_attrs_t attrs = {sizeof attrs, c.pads.data(), c.pads.size(), mode, -2.5};
        check_call(session(), "pad", &attrs, {x}, {Layout::scrambled(c.x.size())}, {Layout::transposed(c.x.size())});
      }
    }
    const std::vector<int64_t> pads = {1, 1, 0, 2};
    const keel_pad_attrs_t empty = {sizeof empty, pads.data(), 4, KEEL_PAD_MODE_CONSTANT, 7.0};
    check_call(session(), "pad", &empty, {random.tensor(dtype, {0, 3}, 0, 1)});
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Resample);

}  // namespace
}  // namespace keel::reference_test
