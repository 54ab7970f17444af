// where (ir_spec/ops/selection.yaml): y = cond ? a : b with all three broadcast. Elements are copied as bytes,
// so every bit (NaN payloads, -0) survives.
#include <array>
#include <cstring>

#include "kernels.h"
#include "view.h"

namespace keel::reference {

void compute_where(const KernelCall& call) {
  const View cond = call.input(0);
  const View a = call.input(1);
  const View b = call.input(2);
  const View y = call.output(0);
  check_element_type(b, a.dtype);
  check_element_type(y, a.dtype);
  const std::array<Shape, 3> shapes = {cond.shape, a.shape, b.shape};
  require_shape(y, broadcast_shape(shapes), "output y");

  const std::vector<bool> pick_a = gather<bool>(broadcast_to(cond, y.shape));
  const std::vector<std::byte> from_a = gather_bytes(broadcast_to(a, y.shape));
  const std::vector<std::byte> from_b = gather_bytes(broadcast_to(b, y.shape));
  std::vector<std::byte> out(from_a.size());
  const size_t size = y.element_size;
  for (size_t i = 0; i < pick_a.size(); ++i) {
    const std::vector<std::byte>& source = pick_a[i] ? from_a : from_b;
    std::memcpy(out.data() + i * size, source.data() + i * size, size);
  }
  scatter_bytes(out, y);
}

}  // namespace keel::reference
