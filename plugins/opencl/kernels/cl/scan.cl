// cumsum along one axis, instantiated per dtype by scan.cc with KEEL_T, KEEL_NAME(x), KEEL_ZERO (-0
// for floats, so that the first partial sum is x[0] exactly) and KEEL_ADD(a, b) (wrapping for integers).
// One work-item per slice (keel_softmax_args: the slices along an axis) adds in order.
__kernel void KEEL_NAME(keel_cumsum)(__global KEEL_T* y, __global const KEEL_T* x, keel_softmax_args args,
                                     long exclusive, long reverse) {
  const long slice = get_global_id(0);
  if (slice >= args.slices.count) return;
  long o[2];
  keel_offsets(&args.slices, slice, 2, o);
  KEEL_T acc = KEEL_ZERO;
  for (long j = 0; j < args.length; ++j) {
    const long at = reverse ? args.length - 1 - j : j;
    const KEEL_T v = x[o[1] + at * args.x_step];
    const KEEL_T before = acc;
    acc = KEEL_ADD(acc, v);
    y[o[0] + at * args.y_step] = exclusive ? (j == 0 ? (KEEL_T)0 : before) : acc;
  }
}

// nonzero: a single work-item walks x in row-major order and writes the coordinates of the j-th non-zero
// element (x != 0: NaN counts, -0 does not) into column j of indices ([rank, numel], `row` and `col` apart),
// then -1 into every later column, then the count.
__kernel void KEEL_NAME(keel_nonzero)(__global long* indices, __global long* count, __global const KEEL_T* x,
                                      keel_side side, long numel, long indices_offset, long row, long col,
                                      long count_offset) {
  if (get_global_id(0) != 0) return;
  long j = 0;
  for (long e = 0; e < numel; ++e) {
    if (x[keel_side_offset(&side, e)] == (KEEL_T)0) continue;
    long rest = e;
    for (long a = side.rank - 1; a >= 0; --a) {
      indices[indices_offset + a * row + j * col] = rest % side.shape[a];
      rest /= side.shape[a];
    }
    ++j;
  }
  count[count_offset] = j;
  for (; j < numel; ++j) {
    for (long a = 0; a < side.rank; ++a) indices[indices_offset + a * row + j * col] = -1;
  }
}
