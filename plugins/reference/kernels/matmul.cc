// matmul (ir_spec/ops/linalg.yaml) with numpy semantics: batch axes broadcast, a 1-D a is a row [1, K] whose
// M axis is dropped from the result, a 1-D b a column [K, 1] whose N axis is dropped. Products are summed in
// f64 in order k = 0 .. K-1 and rounded once; K = 0 gives zeros.
#include <vector>

#include "float16.h"
#include "kernels.h"
#include "view.h"

namespace keel::reference {
namespace {

// `view` with an axis of size 1 inserted at `position` (stride 0: it is never stepped).
View with_unit_axis(const View& view, uint32_t position) {
  View result = view;
  result.shape.rank = view.shape.rank + 1;
  for (uint32_t k = view.shape.rank; k > position; --k) {
    result.shape.dims[k] = view.shape.dims[k - 1];
    result.strides[k] = view.strides[k - 1];
  }
  result.shape.dims[position] = 1;
  result.strides[position] = 0;
  return result;
}

// The last two axes of a view, as [rows, columns].
int64_t rows_of(const View& v) { return v.shape.dims[v.shape.rank - 2]; }
int64_t columns_of(const View& v) { return v.shape.dims[v.shape.rank - 1]; }

// `view` broadcast over the batch axes of `batch`, keeping its own last two axes.
View broadcast_batch(const View& view, const Shape& batch) {
  Shape target = batch;
  target.rank = batch.rank + 2;
  target.dims[batch.rank] = rows_of(view);
  target.dims[batch.rank + 1] = columns_of(view);
  return broadcast_to(view, target);
}

Shape batch_of(const View& view) {
  Shape batch = view.shape;
  batch.rank -= 2;
  batch.dims[batch.rank] = 0;
  batch.dims[batch.rank + 1] = 0;
  return batch;
}

}  // namespace

void compute_matmul(const KernelCall& call) {
  const View a_in = call.input(0);
  const View b_in = call.input(1);
  const View y_in = call.output(0);
  if (a_in.shape.rank < 1 || b_in.shape.rank < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "a and b need rank 1 or more");
  check_element_type(b_in, a_in.dtype);
  check_element_type(y_in, a_in.dtype);

  // Promote 1-D operands to matrices, and give y back the axes they drop.
  const View a = a_in.shape.rank == 1 ? with_unit_axis(a_in, 0) : a_in;  // [K] -> [1, K]
  const View b = b_in.shape.rank == 1 ? with_unit_axis(b_in, 1) : b_in;  // [K] -> [K, 1]
  View y = y_in;
  if (a_in.shape.rank == 1) y = with_unit_axis(y, y.shape.rank - (b_in.shape.rank == 1 ? 0 : 1));
  if (b_in.shape.rank == 1) y = with_unit_axis(y, y.shape.rank);

  const int64_t m = rows_of(a);
  const int64_t k = columns_of(a);
  const int64_t n = columns_of(b);
  if (rows_of(b) != k) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "a ", a_in.shape.text(), " and b ", b_in.shape.text(),
         " disagree on the contracted dimension");
  }
  const std::array<Shape, 2> batches = {batch_of(a), batch_of(b)};
  const Shape batch = broadcast_shape(batches);
  Shape expected = batch;
  expected.rank = batch.rank + 2;
  expected.dims[batch.rank] = m;
  expected.dims[batch.rank + 1] = n;
  require_shape(y, expected, "output y (with the axes of 1-D operands restored)");

  dispatch_float(a.dtype, [&]<class T>(Tag<T>) {
    const std::vector<T> lhs = gather<T>(broadcast_batch(a, batch));  // [batch..., M, K]
    const std::vector<T> rhs = gather<T>(broadcast_batch(b, batch));  // [batch..., K, N]
    const int64_t batch_count = batch.element_count();
    std::vector<T> out(static_cast<size_t>(batch_count * m * n));
    for (int64_t p = 0; p < batch_count; ++p) {
      const T* lhs_matrix = lhs.data() + p * m * k;
      const T* rhs_matrix = rhs.data() + p * k * n;
      T* out_matrix = out.data() + p * m * n;
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          double sum = 0.0;
          for (int64_t q = 0; q < k; ++q) {
            sum += widen(lhs_matrix[i * k + q]) * widen(rhs_matrix[q * n + j]);
          }
          out_matrix[i * n + j] = narrow<T>(sum);
        }
      }
    }
    scatter(out, y);
  });
}

}  // namespace keel::reference
