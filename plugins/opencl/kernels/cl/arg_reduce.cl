// argmax and argmin along one axis, instantiated per numeric dtype by arg_reduce.cc with KEEL_T and
// KEEL_NAME(x). One work-item per output walks its slice in order, so the first of equal values wins
// (-0 and +0 are equal) and the first NaN ends the search: NaN is above everything for argmax and counts as
// the minimum for argmin.

// `slices` enumerates the outputs (tensor 0: y, tensor 1: the slice's first element in x); each slice has
// `length` elements, `x_step` apart.
typedef struct {
  long length;
  long x_step;
  keel_layout slices;
} keel_arg_reduce_args;

#define KEEL_ARG_REDUCE(name, better)                                                              \
  __kernel void KEEL_NAME(name)(__global long* y, __global const KEEL_T* x, keel_arg_reduce_args args) { \
    const long slice = get_global_id(0);                                                           \
    if (slice >= args.slices.count) return;                                                        \
    long o[2];                                                                                     \
    keel_offsets(&args.slices, slice, 2, o);                                                       \
    KEEL_T best = x[o[1]];                                                                         \
    long at = 0;                                                                                   \
    for (long j = 1; j < args.length && !KEEL_IS_NAN(best); ++j) {                                 \
      const KEEL_T v = x[o[1] + j * args.x_step];                                                  \
      if (KEEL_IS_NAN(v) || v better best) {                                                       \
        best = v;                                                                                  \
        at = j;                                                                                    \
      }                                                                                            \
    }                                                                                              \
    y[o[0]] = at;                                                                                  \
  }

KEEL_ARG_REDUCE(keel_argmax, >)
KEEL_ARG_REDUCE(keel_argmin, <)
