// pad, instantiated per element size by pad.cc with KEEL_BITS (the unsigned type of that size) and
// KEEL_NAME(x). One work-item per output element maps each coordinate back into x by the mode, or writes the
// constant. Elements move bit for bit.

#define KEEL_PAD_CONSTANT 0
#define KEEL_PAD_REFLECT 1
#define KEEL_PAD_EDGE 2

// y (`y_shape`, `y_stride`, `y_offset`) is x (`x_shape`, `x_stride`, `x_offset`) with `begin[k]` elements
// added before axis k (and whatever fits after it).
typedef struct {
  long rank;
  long mode;
  long count;
  long y_offset;
  long x_offset;
  long y_shape[KEEL_MAX_RANK];
  long y_stride[KEEL_MAX_RANK];
  long x_shape[KEEL_MAX_RANK];
  long x_stride[KEEL_MAX_RANK];
  long begin[KEEL_MAX_RANK];
} keel_pad_args;

__kernel void KEEL_NAME(keel_pad)(__global KEEL_BITS* y, __global const KEEL_BITS* x, keel_pad_args args,
                                  KEEL_BITS value) {
  const long i = get_global_id(0);
  if (i >= args.count) return;
  long rest = i;
  long y_at = args.y_offset;
  long x_at = args.x_offset;
  bool inside = true;
  for (long k = args.rank - 1; k >= 0; --k) {
    const long p = rest % args.y_shape[k];
    rest /= args.y_shape[k];
    y_at += p * args.y_stride[k];
    const long d = args.x_shape[k];
    long q = p - args.begin[k];
    if (q < 0 || q >= d) {
      if (args.mode == KEEL_PAD_CONSTANT) {
        inside = false;
      } else if (args.mode == KEEL_PAD_REFLECT) {
        q = q < 0 ? -q : 2 * (d - 1) - q;
      } else {
        q = q < 0 ? 0 : d - 1;
      }
    }
    x_at += q * args.x_stride[k];
  }
  y[y_at] = inside ? x[x_at] : value;
}
