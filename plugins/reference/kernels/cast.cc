// cast (ir_spec/ops/cast.yaml). The rules for each pair of dtypes are in convert.h.
#include "attrs.h"
#include "convert.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {

void compute_cast(const KernelCall& call) {
  constexpr keel_cast_attrs_t kDefaults = KEEL_CAST_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs(), kDefaults, &keel_cast_attrs_t::to);
  const View x = call.input(0);
  const View y = call.output(0);
  if (attrs.to != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute to is ", dtype_name(attrs.to), " but output y is ",
         dtype_name(y.dtype));
  }
  require_shape(y, x.shape, "output y");

  if (x.dtype == y.dtype) {  // the same dtype copies bit for bit
    scatter_bytes(gather_bytes(x), y);
    return;
  }
  dispatch_all(x.dtype, [&]<class From>(Tag<From>) {
    dispatch_all(y.dtype, [&]<class To>(Tag<To>) {
      const std::vector<From> in = gather<From>(x);
      std::vector<To> out(in.size());
      for (size_t i = 0; i < in.size(); ++i) out[i] = convert<To>(in[i]);
      scatter(out, y);
    });
  });
}

}  // namespace keel::reference
