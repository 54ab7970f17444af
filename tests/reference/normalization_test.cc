// The normalization composites (normalization.yaml) and their backward kernels (training.yaml):
// batch_norm, batch_norm_training, layer_norm, group_norm, rms_norm, batch_norm_backward,
// layer_norm_backward, group_norm_backward. References compute every statistic in long double from the
// spec's formulas; K is the number of elements behind each statistic (the spec's statistic_size).
#include <cmath>

#include "harness/ref_util.h"
#include "harness/test_support.h"
#include "keel/keel_ops.h"

namespace keel::reference_test {
namespace {

// The row-major positions of x behind each statistic.
using Groups = std::vector<std::vector<int64_t>>;

// Per channel (axis 1) over every other axis.
Groups channel_groups(const Dims& shape) {
  Groups groups(static_cast<size_t>(shape.at(1)));
  for (int64_t i = 0; i < count_of(shape); ++i) groups[static_cast<size_t>(unravel(i, shape)[1])].push_back(i);
  return groups;
}

// Per index of the axes before `axis`, over the axes from `axis` on (contiguous runs).
Groups trailing_groups(const Dims& shape, size_t axis) {
  int64_t inner = 1;
  for (size_t k = axis; k < shape.size(); ++k) inner *= shape[k];
  const int64_t outer = count_of(Dims(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(axis)));
  Groups groups(static_cast<size_t>(outer));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) groups[static_cast<size_t>(o)].push_back(o * inner + i);
  }
  return groups;
}

// Per (n, group of C / G consecutive channels), as [N, G] row-major.
Groups group_groups(const Dims& shape, int64_t num_groups) {
  Groups groups(static_cast<size_t>(shape[0] * num_groups));
  const int64_t per_group = shape[1] / num_groups;
  for (int64_t i = 0; i < count_of(shape); ++i) {
    const Dims index = unravel(i, shape);
    groups[static_cast<size_t>(index[0] * num_groups + index[1] / per_group)].push_back(i);
  }
  return groups;
}

struct Moments {
  long double mean = 0;
  long double var = 0;
  long double n = 0;
};

Moments moments(const HostTensor& x, const std::vector<int64_t>& positions) {
  Moments m;
  m.n = static_cast<long double>(positions.size());
  for (const int64_t p : positions) m.mean += x.value(p);
  m.mean /= m.n;  // 0 / 0 = NaN for an empty group
  for (const int64_t p : positions) m.var += (x.value(p) - m.mean) * (x.value(p) - m.mean);
  m.var /= m.n;
  return m;
}

long double rsqrt(long double v) { return 1 / std::sqrt(v); }

// The element of an optional per-normalized-block tensor (layer_norm's scale, shaped x.shape[axis:]).
long double trailing_value(const RefCall& call, size_t input, int64_t position, long double absent_value) {
  if (!call.present(input)) return absent_value;
  const HostTensor& t = call.inputs[input];
  return t.value(position % t.count());
}

Expected with_k(std::vector<long double> values, long double k) {
  return Expected::accumulated(std::move(values), {std::max<long double>(k, 1)});
}

KEEL_REFERENCE(batch_norm) {
  const double epsilon = call.attrs_as<keel_batch_norm_attrs_t>().epsilon;
  const HostTensor& x = call.inputs[0];
  std::vector<long double> y(static_cast<size_t>(x.count()));
  for (int64_t i = 0; i < x.count(); ++i) {
    const int64_t c = unravel(i, x.shape)[1];
    const long double inv = rsqrt(call.inputs[4].value(c) + epsilon);
    y[static_cast<size_t>(i)] = (x.value(i) - call.inputs[3].value(c)) * (call.inputs[1].value(c) * inv) + call.inputs[2].value(c);
  }
  return {with_k(y, static_cast<long double>(x.count()) / std::max<int64_t>(x.shape[1], 1))};
}

KEEL_REFERENCE(batch_norm_training) {
  const double epsilon = call.attrs_as<keel_batch_norm_training_attrs_t>().epsilon;
  const HostTensor& x = call.inputs[0];
  std::vector<long double> y(static_cast<size_t>(x.count()));
  std::vector<long double> means;
  std::vector<long double> vars;
  long double n = 1;
  const Groups groups = channel_groups(x.shape);
  for (size_t c = 0; c < groups.size(); ++c) {
    const Moments m = moments(x, groups[c]);
    n = m.n;
    means.push_back(m.mean);
    vars.push_back(m.var);
    for (const int64_t p : groups[c]) {
      y[static_cast<size_t>(p)] = (x.value(p) - m.mean) * rsqrt(m.var + epsilon) * call.inputs[1].value(static_cast<int64_t>(c)) +
                                  call.inputs[2].value(static_cast<int64_t>(c));
    }
  }
  return {with_k(y, n), with_k(means, n), with_k(vars, n)};
}

KEEL_REFERENCE(layer_norm) {
  const auto& a = call.attrs_as<keel_layer_norm_attrs_t>();
  const HostTensor& x = call.inputs[0];
  const Groups groups = trailing_groups(x.shape, axis_of(a.axis, x.shape.size()));
  std::vector<long double> y(static_cast<size_t>(x.count()));
  std::vector<long double> means;
  std::vector<long double> inv_stds;
  long double n = 1;
  for (const auto& group : groups) {
    const Moments m = moments(x, group);
    n = m.n;
    const long double inv = rsqrt(m.var + a.epsilon);
    means.push_back(m.mean);
    inv_stds.push_back(inv);
    for (size_t j = 0; j < group.size(); ++j) {
      const auto p = group[j];
      y[static_cast<size_t>(p)] = (x.value(p) - m.mean) * inv * trailing_value(call, 1, static_cast<int64_t>(j), 1) +
                                  trailing_value(call, 2, static_cast<int64_t>(j), 0);
    }
  }
  return {with_k(y, n), with_k(means, n), with_k(inv_stds, n)};
}

KEEL_REFERENCE(group_norm) {
  const auto& a = call.attrs_as<keel_group_norm_attrs_t>();
  const HostTensor& x = call.inputs[0];
  std::vector<long double> y(static_cast<size_t>(x.count()));
  std::vector<long double> means;
  std::vector<long double> inv_stds;
  long double n = 1;
  for (const auto& group : group_groups(x.shape, a.num_groups)) {
    const Moments m = moments(x, group);
    n = m.n;
    const long double inv = rsqrt(m.var + a.epsilon);
    means.push_back(m.mean);
    inv_stds.push_back(inv);
    for (const int64_t p : group) {
      const int64_t c = unravel(p, x.shape)[1];
      const long double scale = call.present(1) ? call.inputs[1].value(c) : 1;
      const long double bias = call.present(2) ? call.inputs[2].value(c) : 0;
      y[static_cast<size_t>(p)] = (x.value(p) - m.mean) * inv * scale + bias;
    }
  }
  return {with_k(y, n), with_k(means, n), with_k(inv_stds, n)};
}

KEEL_REFERENCE(rms_norm) {
  const auto& a = call.attrs_as<keel_rms_norm_attrs_t>();
  const HostTensor& x = call.inputs[0];
  std::vector<long double> y(static_cast<size_t>(x.count()));
  long double n = 1;
  for (const auto& group : trailing_groups(x.shape, axis_of(a.axis, x.shape.size()))) {
    long double squares = 0;
    for (const int64_t p : group) squares += x.value(p) * x.value(p);
    n = static_cast<long double>(group.size());
    const long double r = rsqrt(squares / n + a.epsilon);
    for (size_t j = 0; j < group.size(); ++j) {
      y[static_cast<size_t>(group[j])] = x.value(group[j]) * r * trailing_value(call, 1, static_cast<int64_t>(j), 1);
    }
  }
  return {with_k(y, n)};
}

// ---- Backward ---------------------------------------------------------------------------------------------

// dx = inv · (g - Σg / n - xhat · Σ(g · xhat) / n) over one group, g = dy · scale, with its magnitude.
void normalized_gradient(const std::vector<int64_t>& group, const std::vector<long double>& g,
                         const std::vector<long double>& xhat, long double inv, Expected& dx) {
  const auto n = static_cast<long double>(group.size());
  long double sum_g = 0;
  long double sum_gx = 0;
  long double abs_g = 0;
  long double abs_gx = 0;
  for (size_t j = 0; j < group.size(); ++j) {
    sum_g += g[j];
    sum_gx += g[j] * xhat[j];
    abs_g += std::fabs(g[j]);
    abs_gx += std::fabs(g[j] * xhat[j]);
  }
  for (size_t j = 0; j < group.size(); ++j) {
    const auto p = static_cast<size_t>(group[j]);
    dx.values[p] = inv * (g[j] - sum_g / n - xhat[j] * sum_gx / n);
    dx.magnitude[p] = std::fabs(inv) * (std::fabs(g[j]) + abs_g / n + std::fabs(xhat[j]) * abs_gx / n);
    dx.k[p] = n;
  }
}

Expected sized(size_t count) {
  Expected e;
  e.values.assign(count, 0);
  e.magnitude.assign(count, 0);
  e.k.assign(count, 1);
  return e;
}

KEEL_REFERENCE(batch_norm_backward) {
  const auto& a = call.attrs_as<keel_batch_norm_backward_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& x = call.inputs[1];
  const Groups groups = channel_groups(x.shape);
  Expected dx = sized(static_cast<size_t>(x.count()));
  Expected dscale = sized(groups.size());
  Expected dbias = sized(groups.size());
  for (size_t c = 0; c < groups.size(); ++c) {
    const auto ci = static_cast<int64_t>(c);
    const long double inv = rsqrt(call.inputs[4].value(ci) + a.epsilon);
    const long double scale = call.inputs[2].value(ci);
    std::vector<long double> g;
    std::vector<long double> xhat;
    for (const int64_t p : groups[c]) {
      xhat.push_back((x.value(p) - call.inputs[3].value(ci)) * inv);
      g.push_back(dy.value(p) * scale);
      dbias.values[c] += dy.value(p);
      dbias.magnitude[c] += std::fabs(dy.value(p));
      dscale.values[c] += dy.value(p) * xhat.back();
      dscale.magnitude[c] += std::fabs(dy.value(p) * xhat.back());
    }
    dscale.k[c] = dbias.k[c] = std::max<long double>(static_cast<long double>(groups[c].size()), 1);
    if (a.training) {
      normalized_gradient(groups[c], g, xhat, inv, dx);
    } else {
      for (size_t j = 0; j < groups[c].size(); ++j) {
        const auto p = static_cast<size_t>(groups[c][j]);
        dx.values[p] = g[j] * inv;
        dx.magnitude[p] = std::fabs(g[j] * inv);
      }
    }
  }
  return {dx, dscale, dbias};
}

KEEL_REFERENCE(layer_norm_backward) {
  const auto& a = call.attrs_as<keel_layer_norm_backward_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& x = call.inputs[1];
  const Groups groups = trailing_groups(x.shape, axis_of(a.axis, x.shape.size()));
  const size_t inner = static_cast<size_t>(call.outputs[1].count());
  Expected dx = sized(static_cast<size_t>(x.count()));
  Expected dscale = sized(inner);
  Expected dbias = sized(inner);
  for (size_t o = 0; o < groups.size(); ++o) {
    const long double mean = call.inputs[2].value(static_cast<int64_t>(o));
    const long double inv = call.inputs[3].value(static_cast<int64_t>(o));
    std::vector<long double> g;
    std::vector<long double> xhat;
    for (size_t j = 0; j < groups[o].size(); ++j) {
      const int64_t p = groups[o][j];
      xhat.push_back((x.value(p) - mean) * inv);
      g.push_back(dy.value(p) * trailing_value(call, 4, static_cast<int64_t>(j), 1));
      dscale.values[j] += dy.value(p) * xhat.back();
      dscale.magnitude[j] += std::fabs(dy.value(p) * xhat.back());
      dbias.values[j] += dy.value(p);
      dbias.magnitude[j] += std::fabs(dy.value(p));
    }
    normalized_gradient(groups[o], g, xhat, inv, dx);
  }
  dscale.k = dbias.k = {std::max<long double>(static_cast<long double>(groups.size()), 1)};
  return {dx, dscale, dbias};
}

KEEL_REFERENCE(group_norm_backward) {
  const auto& a = call.attrs_as<keel_group_norm_backward_attrs_t>();
  const HostTensor& dy = call.inputs[0];
  const HostTensor& x = call.inputs[1];
  const Groups groups = group_groups(x.shape, a.num_groups);
  const auto channels = static_cast<size_t>(x.shape[1]);
  Expected dx = sized(static_cast<size_t>(x.count()));
  Expected dscale = sized(channels);
  Expected dbias = sized(channels);
  for (size_t o = 0; o < groups.size(); ++o) {
    const long double mean = call.inputs[2].value(static_cast<int64_t>(o));
    const long double inv = call.inputs[3].value(static_cast<int64_t>(o));
    std::vector<long double> g;
    std::vector<long double> xhat;
    for (const int64_t p : groups[o]) {
      const int64_t c = unravel(p, x.shape)[1];
      xhat.push_back((x.value(p) - mean) * inv);
      g.push_back(dy.value(p) * (call.present(4) ? call.inputs[4].value(c) : 1));
      const auto ci = static_cast<size_t>(c);
      dscale.values[ci] += dy.value(p) * xhat.back();
      dscale.magnitude[ci] += std::fabs(dy.value(p) * xhat.back());
      dbias.values[ci] += dy.value(p);
      dbias.magnitude[ci] += std::fabs(dy.value(p));
    }
    normalized_gradient(groups[o], g, xhat, inv, dx);
  }
  const long double per_channel = channels == 0 ? 1 : static_cast<long double>(x.count()) / static_cast<long double>(channels);
  dscale.k = dbias.k = {std::max<long double>(per_channel, 1)};
  return {dx, dscale, dbias};
}

// ---- Cases ------------------------------------------------------------------------------------------------

class Normalization : public BackendTest {
 protected:
  bool runs(const char* op) { return session().backend().can_run(op); }
  Random random_{109};
  HostTensor data(keel_dtype_t dtype, const Dims& shape, double low = -3, double high = 3) {
    return random_.tensor(dtype, shape, low, high);
  }
};

TEST_P(Normalization, ForwardOverShapesAxesAndOptionalInputs) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    SCOPED_TRACE(name_of(dtype));
    const Dims x = {2, 3, 2, 1, 2, 2};
    SCOPED_TRACE("batch_norm");
    if (runs("batch_norm")) {
      const keel_batch_norm_attrs_t attrs = {sizeof attrs, 1e-3};
      check_call(session(), "batch_norm", &attrs,
                 {data(dtype, x), data(dtype, {3}), data(dtype, {3}), data(dtype, {3}), data(dtype, {3}, 0.1, 2)},
                 {Layout::scrambled(6)}, {Layout::transposed(6)});
    }
    SCOPED_TRACE("batch_norm_training");
    if (runs("batch_norm_training")) {
      check_call(session(), "batch_norm_training", nullptr, {data(dtype, x), data(dtype, {3}), data(dtype, {3})},
                 {Layout::scrambled(6)});
    }
    SCOPED_TRACE("layer_norm");
    if (runs("layer_norm")) {
      for (const int64_t axis : {-1, -3, 0, 2}) {
        const keel_layer_norm_attrs_t attrs = {sizeof attrs, axis, 1e-5};
        const Dims trailing(x.begin() + static_cast<std::ptrdiff_t>(axis_of(axis, x.size())), x.end());
        check_call(session(), "layer_norm", &attrs, {data(dtype, x), data(dtype, trailing), data(dtype, trailing)},
                   {Layout::transposed(6)});
        check_call(session(), "layer_norm", &attrs, {data(dtype, x), absent(), absent()});
      }
    }
    SCOPED_TRACE("group_norm");
    if (runs("group_norm")) {
      for (const int64_t groups : {1, 2, 4}) {
        const keel_group_norm_attrs_t attrs = {sizeof attrs, groups, 1e-5};
        check_call(session(), "group_norm", &attrs, {data(dtype, {2, 4, 3, 2}), data(dtype, {4}), absent()},
                   {Layout::scrambled(4)});
        check_call(session(), "group_norm", &attrs, {data(dtype, {2, 4, 3}), absent(), data(dtype, {4})});
      }
    }
    SCOPED_TRACE("rms_norm");
    if (runs("rms_norm")) {
      for (const int64_t axis : {-1, 1, 0}) {
        const keel_rms_norm_attrs_t attrs = {sizeof attrs, axis, 1e-6};
        const Dims shape = {2, 3, 4};
        const Dims trailing(shape.begin() + static_cast<std::ptrdiff_t>(axis_of(axis, shape.size())), shape.end());
        check_call(session(), "rms_norm", &attrs, {data(dtype, shape), data(dtype, trailing)}, {Layout::scrambled(3)});
        check_call(session(), "rms_norm", &attrs, {data(dtype, shape), absent()});
      }
    }
  }
}

TEST_P(Normalization, BackwardKernels) {
  for (const keel_dtype_t dtype : kFloatTypes) {
    SCOPED_TRACE(name_of(dtype));
    if (runs("batch_norm_backward")) {
      for (const uint8_t training : {0, 1}) {
        const keel_batch_norm_backward_attrs_t attrs = {sizeof attrs, 1e-5, training};
        const HostTensor x = data(dtype, {2, 3, 2, 2});
        check_call(session(), "batch_norm_backward", &attrs,
                   {data(dtype, {2, 3, 2, 2}), x, data(dtype, {3}), data(dtype, {3}, -1, 1), data(dtype, {3}, 0.5, 2)},
                   {Layout::scrambled(4), Layout::transposed(4)});
      }
    }
    if (runs("layer_norm_backward")) {
      const keel_layer_norm_backward_attrs_t attrs = {sizeof attrs, -2};
      check_call(session(), "layer_norm_backward", &attrs,
                 {data(dtype, {2, 3, 4}), data(dtype, {2, 3, 4}), data(dtype, {2, 1, 1}, -1, 1),
                  data(dtype, {2, 1, 1}, 0.5, 2), data(dtype, {3, 4})},
                 {Layout::scrambled(3)});
      check_call(session(), "layer_norm_backward", &attrs,
                 {data(dtype, {2, 3, 4}), data(dtype, {2, 3, 4}), data(dtype, {2, 1, 1}, -1, 1),
                  data(dtype, {2, 1, 1}, 0.5, 2), absent()});
    }
    if (runs("group_norm_backward")) {
      const keel_group_norm_backward_attrs_t attrs = {sizeof attrs, 2};
      check_call(session(), "group_norm_backward", &attrs,
                 {data(dtype, {2, 4, 3}), data(dtype, {2, 4, 3}), data(dtype, {2, 2}, -1, 1), data(dtype, {2, 2}, 0.5, 2),
                  data(dtype, {4})},
                 {Layout::transposed(3)});
    }
  }
}

KEEL_INSTANTIATE_FOR_BACKENDS(Normalization);

}  // namespace
}  // namespace keel::reference_test
