// conv, conv_transpose (conv.yaml) and conv_backward_weight (training.yaml): references written as the
// spec's sums over explicit multi-indices, and cases over 1 to 3 spatial axes, strides, pads, dilations,
// groups, output_padding, bias present and absent, and special values.
//
// Padding reads the value 0 and is multiplied like any input (so 0 · inf = NaN), the reading the plugin
// documents for "out-of-range input positions read 0".
#include <cmath>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// The attribute lists of a convolution with k spatial axes, defaults filled in.
struct Geometry {
  size_t k = 0;
  std::vector<int64_t> stride, dilation, pad_begin, pad_end, output_padding;
};

template <class Attrs>
Geometry geometry_of(const Attrs& a, size_t k) {
  Geometry g;
  g.k = k;
  for (size_t i = 0; i < k; ++i) {
    g.stride.push_back(a.strides_count == 0 ? 1 : a.strides[i]);
    g.dilation.push_back(a.dilations_count == 0 ? 1 : a.dilations[i]);
    g.pad_begin.push_back(a.pads_count == 0 ? 0 : a.pads[i]);
    g.pad_end.push_back(a.pads_count == 0 ? 0 : a.pads[k + i]);
  }
  g.output_padding.assign(k, 0);
  return g;
}

// x[n, c, position] or 0 outside.
long double read(const HostTensor& x, int64_t n, int64_t c, const Dims& position) {
  Dims index = {n, c};
  for (size_t a = 0; a < position.size(); ++a) {
    if (position[a] < 0 || position[a] >= x.shape[2 + a]) return 0;
    index.push_back(position[a]);
  }
  return x.value(ravel(index, x.shape));
}

Dims spatial(const Dims& shape) { return Dims(shape.begin() + 2, shape.end()); }

KEEL_REFERENCE(conv) {
  const auto& a = call.attrs_as<keel_conv_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const HostTensor& w = call.inputs[1];
  const Dims& shape = call.outputs[0].shape;
  const Geometry g = geometry_of(a, x.shape.size() - 2);
  const int64_t cg = w.shape[1];
  const int64_t mg = w.shape[0] / a.groups;
  const Dims kernel = spatial(w.shape);
  Expected e;
  e.k = {static_cast<long double>(cg * count_of(kernel))};
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    const int64_t n = index[0];
    const int64_t m = index[1];
    long double sum = 0;
    long double magnitude = 0;
    for (int64_t c = 0; c < cg; ++c) {
      for (int64_t t = 0; t < count_of(kernel); ++t) {
        const Dims tap = unravel(t, kernel);
        Dims position;
        for (size_t s = 0; s < g.k; ++s) {
          position.push_back(index[2 + s] * g.stride[s] + tap[s] * g.dilation[s] - g.pad_begin[s]);
        }
        Dims wi = {m, c};
        wi.insert(wi.end(), tap.begin(), tap.end());
        const long double product = read(x, n, m / mg * cg + c, position) * w.value(ravel(wi, w.shape));
        sum += product;
        magnitude += std::fabs(product);
      }
    }
    if (call.present(2)) {
      sum += call.inputs[2].value(m);
      magnitude += std::fabs(call.inputs[2].value(m));
    }
    e.values.push_back(sum);
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

// Every (c, i, t) with i·s + t·l - pb = o contributes x[n, c, i] · w[c, m', t].
KEEL_REFERENCE(conv_transpose) {
  const auto& a = call.attrs_as<keel_conv_transpose_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const HostTensor& w = call.inputs[1];
  const Dims& shape = call.outputs[0].shape;
  const Geometry g = geometry_of(a, x.shape.size() - 2);
  const int64_t cg = x.shape[1] / a.groups;
  const int64_t mg = w.shape[1];
  const Dims kernel = spatial(w.shape);
  const Dims input = spatial(x.shape);
  Expected e;
  e.k = {static_cast<long double>(cg * count_of(kernel))};
  for (int64_t o = 0; o < count_of(shape); ++o) {
    const Dims index = unravel(o, shape);
    const int64_t n = index[0];
    const int64_t group = index[1] / mg;
    long double sum = 0;
    long double magnitude = 0;
    for (int64_t c = group * cg; c < (group + 1) * cg; ++c) {
      for (int64_t i = 0; i < count_of(input); ++i) {
        const Dims at = unravel(i, input);
        for (int64_t t = 0; t < count_of(kernel); ++t) {
          const Dims tap = unravel(t, kernel);
          bool hits = true;
          for (size_t s = 0; s < g.k; ++s) {
            hits = hits && at[s] * g.stride[s] + tap[s] * g.dilation[s] - g.pad_begin[s] == index[2 + s];
          }
          if (!hits) continue;
          Dims xi = {n, c};
          xi.insert(xi.end(), at.begin(), at.end());
          Dims wi = {c, index[1] % mg};
          wi.insert(wi.end(), tap.begin(), tap.end());
          const long double product = x.value(ravel(xi, x.shape)) * w.value(ravel(wi, w.shape));
          sum += product;
          magnitude += std::fabs(product);
        }
      }
    }
    if (call.present(2)) {
      sum += call.inputs[2].value(index[1]);
      magnitude += std::fabs(call.inputs[2].value(index[1]));
    }
    e.values.push_back(sum);
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

KEEL_REFERENCE(conv_backward_weight) {
  const auto& a = call.attrs_as<keel_conv_backward_weight_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& x = call.inputs[1];
  const HostTensor& w = call.inputs[2];
  const Geometry g = geometry_of(a, x.shape.size() - 2);
  const int64_t cg = w.shape[1];
  const int64_t mg = w.shape[0] / a.groups;
  const Dims out = spatial(dy.shape);
  Expected e;
  e.k = {static_cast<long double>(dy.shape[0] * count_of(out))};
  for (int64_t wi = 0; wi < w.count(); ++wi) {
    const Dims index = unravel(wi, w.shape);
    const int64_t m = index[0];
    const int64_t c = index[1];
    long double sum = 0;
    long double magnitude = 0;
    for (int64_t n = 0; n < dy.shape[0]; ++n) {
      for (int64_t o = 0; o < count_of(out); ++o) {
        const Dims at = unravel(o, out);
        Dims position;
        for (size_t s = 0; s < g.k; ++s) {
          position.push_back(at[s] * g.stride[s] + index[2 + s] * g.dilation[s] - g.pad_begin[s]);
        }
        Dims di = {n, m};
        di.insert(di.end(), at.begin(), at.end());
        const long double product = dy.value(ravel(di, dy.shape)) * read(x, n, m / mg * cg + c, position);
        sum += product;
        magnitude += std::fabs(product);
      }
    }
    e.values.push_back(sum);
    e.magnitude.push_back(magnitude);
  }
  return {e};
}

// ---- Cases ------------------------------------------------------------------------------------------------

struct ConvCase {
  Dims x, w;
  std::vector<int64_t> strides, pads, dilations;
  int64_t groups = 1;
  bool bias = false;
  std::vector<int64_t> output_padding = {};
};

const std::vector<ConvCase>& conv_cases() {
  static const std::vector<ConvCase> cases = {
      {{1, 3, 8}, {4, 3, 3}, {}, {}, {}, 1, false},
      {{2, 3, 7, 6}, {4, 3, 3, 2}, {2, 1}, {1, 0, 1, 1}, {}, 1, true},
      {{2, 4, 9, 9}, {6, 2, 3, 3}, {}, {2, 2, 2, 2}, {2, 2}, 2, true},
      {{1, 6, 5, 5}, {6, 1, 3, 3}, {2, 2}, {0, 1, 1, 0}, {}, 6, false},
      {{1, 2, 4, 5, 6}, {3, 2, 2, 3, 2}, {1, 2, 2}, {}, {1, 1, 2}, 1, true},
      {{0, 3, 8}, {4, 3, 3}, {}, {}, {}, 1, true},
      {{2, 3, 8}, {0, 3, 3}, {}, {}, {}, 1, false},
      {{2, 3, 5, 5}, {4, 3, 5, 5}, {}, {}, {}, 1, false},
      {{1, 2, 3}, {2, 1, 4}, {3}, {2, 3}, {2}, 2, true},
  };
  return cases;
}

class Conv : public BackendTest {};

TEST_P(Conv, ForwardTransposeAndWeightGradientOverTheCases) {
  Random random(67);
  for (const keel_dtype_t dtype : kFloatTypes) {
    for (const ConvCase& c : conv_cases()) {
      SCOPED_TRACE(name_of(dtype) + " x " + text_of(c.x) + " w " + text_of(c.w) + " groups " + std::to_string(c.groups));
      const HostTensor x = random.tensor(dtype, c.x, -2, 2);
      const HostTensor w = random.tensor(dtype, c.w, -2, 2);
      const HostTensor bias = c.bias ? random.tensor(dtype, {c.w[0]}, -2, 2) : absent();
      const keel_conv_attrs_t attrs = {sizeof attrs,        c.strides.data(),   c.strides.size(), c.pads.data(),
                                       c.pads.size(),       c.dilations.data(), c.dilations.size(), c.groups};
      const size_t rank = c.x.size();
      check_call(session(), "conv", &attrs, {x, w, bias}, {Layout::scrambled(rank), Layout::transposed(rank)},
                 {Layout::scrambled(rank)});
      check_call(session(), "conv", &attrs, {x, w, bias});

      // The weight gradient, with dy shaped like conv's output.
      Dims out = c.x;
      out[1] = c.w[0];
      for (size_t s = 2; s < rank; ++s) {
        const size_t i = s - 2;
        const size_t k = rank - 2;
        const int64_t stride = c.strides.empty() ? 1 : c.strides[i];
        const int64_t dilation = c.dilations.empty() ? 1 : c.dilations[i];
        const int64_t pads = c.pads.empty() ? 0 : c.pads[i] + c.pads[k + i];
        out[s] = (c.x[s] + pads - dilation * (c.w[s] - 1) - 1) / stride + 1;
      }
      const keel_conv_backward_weight_attrs_t grad = {sizeof grad, c.strides.data(), c.strides.size(), c.pads.data(),
                                                      c.pads.size(), c.dilations.data(), c.dilations.size(), c.groups};
      check_call(session(), "conv_backward_weight", &grad, {random.tensor(dtype, out, -2, 2), x, w},
                 {Layout::transposed(rank), Layout::scrambled(rank)}, {Layout::scrambled(rank)});

      // conv_transpose of that dy with the weight read as [C_out of the adjoint...]: w is [C, M/groups, K...]
      // for an input of C = w.shape[0] channels.
      Dims tx = c.x;
      tx[1] = c.w[0];
      const keel_conv_transpose_attrs_t transpose = {sizeof transpose, c.strides.data(), c.strides.size(),
                                                     c.pads.data(),    c.pads.size(),    c.dilations.data(),
                                                     c.dilations.size(), c.groups,      nullptr, 0};
      const HostTensor tbias = c.bias ? random.tensor(dtype, {c.w[1] * c.groups}, -2, 2) : absent();
      if (c.w[0] > 0 && c.x[0] > 0) {
        check_call(session(), "conv_transpose", &transpose, {random.tensor(dtype, out, -2, 2), w, tbias},
                   {Layout::scrambled(rank), Layout::transposed(rank)}, {Layout::transposed(rank)});
      }
    }
  }
}

TEST_P(Conv, TransposeWithOutputPaddingAndSpecialValues) {
  Random random(71);
  for (const keel_dtype_t dtype : kFloatTypes) {
    const std::vector<int64_t> strides = {2, 3};
    const std::vector<int64_t> pads = {1, 0, 0, 2};
    const std::vector<int64_t> output_padding = {1, 2};
    const keel_conv_transpose_attrs_t attrs = {sizeof attrs, strides.data(), 2, pads.data(), 4, nullptr, 0, 1,
                                               output_padding.data(), 2};
    check_call(session(), "conv_transpose", &attrs,
               {random.tensor(dtype, {2, 3, 4, 3}, -2, 2), random.tensor(dtype, {3, 2, 3, 3}, -2, 2), absent()});
    // NaN and infinities in x and w: padded taps times inf are NaN.
    const HostTensor x = tensor_of(dtype, {1, 1, 4}, {1, kNaN, 2, 3});
    const HostTensor w = tensor_of(dtype, {2, 1, 2}, {kInf, 1, 0, -1});
    const std::vector<int64_t> pad = {1, 1};
    const keel_conv_attrs_t conv = {sizeof conv, nullptr, 0, pad.data(), 2, nullptr, 0, 1};
    check_call(session(), "conv", &conv, {x, w, absent()});
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Conv);

}  // namespace
}  // namespace keel::reference_test
