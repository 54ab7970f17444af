// Shared by every Keel OpenCL program: the argument structs that describe strided tensors (mirrored by
// kernels/view.h on the host) and the index arithmetic on them. Offsets and strides count elements.

#define KEEL_MAX_RANK 8
#define KEEL_MAX_TENSORS 4

// Up to four views of one shape, iterated together (the output is tensor 0).
typedef struct {
  long rank;
  long count;
  long shape[KEEL_MAX_RANK];
  long stride[KEEL_MAX_TENSORS][KEEL_MAX_RANK];
  long offset[KEEL_MAX_TENSORS];
} keel_layout;

// One view on its own.
typedef struct {
  long rank;
  long shape[KEEL_MAX_RANK];
  long stride[KEEL_MAX_RANK];
  long offset;
} keel_side;

// The offsets of element `index` (row-major over the shape) in the first `n` views of `layout`.
void keel_offsets(const keel_layout* layout, long index, int n, long* out) {
  for (int t = 0; t < n; ++t) out[t] = layout->offset[t];
  long rest = index;
  for (long k = layout->rank - 1; k > 0; --k) {
    const long dim = layout->shape[k];
    const long coordinate = rest % dim;
    rest /= dim;
    for (int t = 0; t < n; ++t) out[t] += coordinate * layout->stride[t][k];
  }
  if (layout->rank > 0) {
    for (int t = 0; t < n; ++t) out[t] += rest * layout->stride[t][0];
  }
}

// The offset of element `index` (row-major over the side's shape).
long keel_side_offset(const keel_side* side, long index) {
  long offset = side->offset;
  long rest = index;
  for (long k = side->rank - 1; k > 0; --k) {
    const long dim = side->shape[k];
    offset += (rest % dim) * side->stride[k];
    rest /= dim;
  }
  if (side->rank > 0) offset += rest * side->stride[0];
  return offset;
}

// ---- Arguments of the reduction, softmax and matmul kernels ------------------------------------------------

// A reduction: every output combines `length` elements of x. Outputs are enumerated by `kept` (tensor 0:
// where the result goes, tensor 1: where its elements start in x); the elements of one output by `reduced`
// (the reduced axes of x, offset 0). With chunks > 1 each output is split over that many work-groups, which
// write partial results `chunk_stride` apart; a second launch combines them.
typedef struct {
  long length;
  long chunks;
  long chunk_length;
  long chunk_stride;
  long divide;  // 1: divide the result by `total` (mean)
  long total;
  keel_layout kept;
  keel_side reduced;
} keel_reduce_args;

// Softmax along one axis: `slices` enumerates the slices (tensor 0: y, tensor 1: x); each has `length`
// elements, `y_step` and `x_step` apart.
typedef struct {
  long length;
  long y_step;
  long x_step;
  keel_layout slices;
} keel_softmax_args;

// y[m, n] = sum_k a[m, k] b[k, n] for every batch index of `batch` (tensor 0: y, 1: a, 2: b).
typedef struct {
  long m;
  long n;
  long k;
  long a_row;
  long a_col;
  long b_row;
  long b_col;
  long y_row;
  long y_col;
  keel_layout batch;
} keel_matmul_args;

// IEEE 754-2019 maximum: NaN if either is NaN; +0 above -0.
#define KEEL_FLOAT_MAX(a, b) \
  (isnan(a) ? (a) : isnan(b) ? (b) : (a) == (b) ? (signbit(a) ? (b) : (a)) : (a) > (b) ? (a) : (b))
