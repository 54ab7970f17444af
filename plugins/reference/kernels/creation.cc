// full and arange (ir_spec/ops/creation.yaml): tensors made from attributes alone.
#include <cmath>

#include "attrs.h"
#include "convert.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

void require_dtype_attr(keel_dtype_t attr, const View& y) {
  if (attr != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attr), " but output y is ",
         dtype_name(y.dtype));
  }
}

}  // namespace

// Every element is `value` converted from f64 with the rules of cast.
void compute_full(const KernelCall& call) {
  using A = keel_full_attrs_t;
  constexpr A kDefaults = KEEL_FULL_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::shape, &A::shape_count, &A::value, &A::dtype);
  const View y = call.output(0);
  require_dtype_attr(attrs.dtype, y);
  require_shape(y, Shape::of(ints(attrs.shape, attrs.shape_count, "shape")), "output y");

  dispatch_all(y.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> out(static_cast<size_t>(y.element_count()), convert<T>(attrs.value));
    scatter(out, y);
  });
}

// y[i] = start + i * delta, evaluated in f64 as written (a product, then a sum; no fused multiply-add) and
// converted with the rules of cast, for i = 0 .. max(0, ceil((limit - start) / delta)) - 1.
void compute_arange(const KernelCall& call) {
  using A = keel_arange_attrs_t;
  constexpr A kDefaults = KEEL_ARANGE_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &A::start, &A::limit, &A::delta, &A::dtype);
  const View y = call.output(0);
  require_dtype_attr(attrs.dtype, y);

  const double steps = std::ceil((attrs.limit - attrs.start) / attrs.delta);
  if (!(steps < 2147483648.0)) {  // also catches NaN and delta = 0
    fail(KEEL_STATUS_INVALID_ARGUMENT, "the element count of start ", attrs.start, ", limit ", attrs.limit, ", delta ",
         attrs.delta, " is not finite and below 2^31");
  }
  const int64_t count = steps > 0 ? static_cast<int64_t>(steps) : 0;
  const int64_t dims[] = {count};
  require_shape(y, Shape::of(dims), "output y");

  dispatch_numeric(y.dtype, [&]<class T>(Tag<T>) {
    std::vector<T> out(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      const double offset = static_cast<double>(i) * attrs.delta;
      out[static_cast<size_t>(i)] = convert<T>(attrs.start + offset);
    }
    scatter(out, y);
  });
}

}  // namespace keel::reference
