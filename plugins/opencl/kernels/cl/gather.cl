// Index-driven data movement, instantiated per element size and index type by gather.cc with KEEL_BITS (the
// unsigned type of the element size), KEEL_INDEX (int or long) and KEEL_NAME(x). Elements move bit for bit.
// An index is accepted in [-d, d) (negatives count from the back); any other index yields zero bits.

long KEEL_NAME(keel_resolve)(long index, long d) {
  if (index < 0) index += d;
  return index >= 0 && index < d ? index : -1;
}

// gather and gather_elements: `layout` walks y (tensor 0), x with the indexed axis at 0 (tensor 1) and the
// indices (tensor 2); element i reads x at o[1] + index * axis_stride.
__kernel void KEEL_NAME(keel_gather)(__global KEEL_BITS* y, __global const KEEL_BITS* x,
                                     __global const KEEL_INDEX* indices, keel_layout layout, long axis_stride,
                                     long d) {
  const long i = get_global_id(0);
  if (i >= layout.count) return;
  long o[3];
  keel_offsets(&layout, i, 3, o);
  const long at = KEEL_NAME(keel_resolve)((long)indices[o[2]], d);
  y[o[0]] = at >= 0 ? x[o[1] + at * axis_stride] : (KEEL_BITS)0;
}

// one_hot: `layout` walks y (tensor 0) and the indices repeated along the new axis (tensor 1). Element i sits
// at (i / inner) % depth along the new axis (row-major over y's shape, which collapsing axes preserves).
__kernel void KEEL_NAME(keel_one_hot)(__global KEEL_BITS* y, __global const KEEL_INDEX* indices, keel_layout layout,
                                      long inner, long depth, KEEL_BITS on, KEEL_BITS off) {
  const long i = get_global_id(0);
  if (i >= layout.count) return;
  long o[2];
  keel_offsets(&layout, i, 2, o);
  const long at = KEEL_NAME(keel_resolve)((long)indices[o[1]], depth);
  y[o[0]] = at == (i / inner) % depth ? on : off;
}

// gather_nd: the index tuple of an output element holds `k` entries, `tuple_stride` apart from o[2]; entry j
// addresses axis b + j of x (size size[j], stride stride[j]). An entry out of range zeroes the element.
typedef struct {
  long k;
  long tuple_stride;
  long size[KEEL_MAX_RANK];
  long stride[KEEL_MAX_RANK];
} keel_tuple_args;

__kernel void KEEL_NAME(keel_gather_nd)(__global KEEL_BITS* y, __global const KEEL_BITS* x,
                                        __global const KEEL_INDEX* indices, keel_layout layout, keel_tuple_args t) {
  const long i = get_global_id(0);
  if (i >= layout.count) return;
  long o[3];
  keel_offsets(&layout, i, 3, o);
  long x_at = o[1];
  bool inside = true;
  for (long j = 0; j < t.k; ++j) {
    const long at = KEEL_NAME(keel_resolve)((long)indices[o[2] + j * t.tuple_stride], t.size[j]);
    inside = inside && at >= 0;
    x_at += at * t.stride[j];
  }
  y[o[0]] = inside ? x[x_at] : (KEEL_BITS)0;
}
