// resize, instantiated per float dtype by resize.cc with KEEL_T and KEEL_NAME(x). The host tabulates, per axis
// and output index, the input indices i0 and i1 and the weight t of i1 (nearest: i1 = i0, t = 0). One
// work-item per output element sums weight · x over the 2^rank corners of non-zero weight in f64 (nearest
// reads corner 0 only, bit for bit).

typedef struct {
  long rank;
  long count;
  long linear;
  long x_offset;
  long y_offset;
  long out[KEEL_MAX_RANK];
  long x_stride[KEEL_MAX_RANK];
  long y_stride[KEEL_MAX_RANK];
  long table[KEEL_MAX_RANK];  // where axis k's rows (i0, i1, t) start in `table`
} keel_resize_args;

__kernel void KEEL_NAME(keel_resize)(__global KEEL_T* y, __global const KEEL_T* x, __global const double* table,
                                     keel_resize_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long o[KEEL_MAX_RANK];
  long rest = i;
  long y_at = a.y_offset;
  for (long k = a.rank - 1; k >= 0; --k) {
    o[k] = rest % a.out[k];
    rest /= a.out[k];
    y_at += o[k] * a.y_stride[k];
  }
  if (!a.linear) {
    long x_at = a.x_offset;
    for (long k = 0; k < a.rank; ++k) x_at += (long)table[a.table[k] + 3 * o[k]] * a.x_stride[k];
    y[y_at] = x[x_at];
    return;
  }
  double sum = 0;
  for (long corner = 0; corner < (1L << a.rank); ++corner) {
    long x_at = a.x_offset;
    double weight = 1;
    for (long k = 0; k < a.rank; ++k) {
      const long row = a.table[k] + 3 * o[k];
      const bool upper = (corner >> k) & 1;
      const double t = table[row + 2];
      x_at += (long)table[row + (upper ? 1 : 0)] * a.x_stride[k];
      weight *= upper ? t : 1.0 - t;
    }
    if (weight != 0) sum += weight * (double)x[x_at];  // a corner of weight 0 is not read (0 · inf)
  }
  y[y_at] = (KEEL_T)sum;
}
