// topk along one axis, instantiated per numeric dtype by topk.cc with KEEL_T, KEEL_NAME(x) and KEEL_IS_NAN(v).
// Element j's rank is the number of elements of its slice that precede it in the order (better value, or an
// equal value at a lower index); the k of rank below k are kept, at their rank (sorted) or in index order.
// One work-item per slice; O(length²) comparisons, which suits the short axes topk usually sees.

typedef struct {
  long length;
  long k;
  long largest;
  long sorted;
  long values_step;
  long indices_step;
  long x_step;
  keel_layout slices;  // tensor 0: values, 1: indices, 2: x
} keel_topk_args;

// Whether `a` comes strictly before `b` by value alone: NaN is the largest value, -0 equals +0.
bool KEEL_NAME(keel_topk_better)(KEEL_T a, KEEL_T b, long largest) {
  if (largest) return KEEL_IS_NAN(a) ? !KEEL_IS_NAN(b) : (!KEEL_IS_NAN(b) && a > b);
  return KEEL_IS_NAN(a) ? false : (KEEL_IS_NAN(b) || a < b);
}

__kernel void KEEL_NAME(keel_topk)(__global KEEL_T* values, __global long* indices, __global const KEEL_T* x,
                                   keel_topk_args a) {
  const long slice = get_global_id(0);
  if (slice >= a.slices.count) return;
  long o[3];
  keel_offsets(&a.slices, slice, 3, o);
  long kept = 0;
  for (long j = 0; j < a.length; ++j) {
    const KEEL_T v = x[o[2] + j * a.x_step];
    long rank = 0;
    for (long i = 0; i < a.length && rank < a.k; ++i) {
      const KEEL_T u = x[o[2] + i * a.x_step];
      const bool before = KEEL_NAME(keel_topk_better)(u, v, a.largest) ||
                          (i < j && !KEEL_NAME(keel_topk_better)(v, u, a.largest));
      if (before) ++rank;
    }
    if (rank >= a.k) continue;
    const long at = a.sorted ? rank : kept;
    ++kept;
    values[o[0] + at * a.values_step] = v;
    indices[o[1] + at * a.indices_step] = j;
  }
}
