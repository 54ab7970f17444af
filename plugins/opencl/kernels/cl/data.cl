// Bit-exact data movement, instantiated per element size: KEEL_BITS is the unsigned type of that size and
// KEEL_NAME(x) appends its size to a kernel name.

// dst[i] = src[i] for every element, each side walked in its own row-major order (so the shapes may differ,
// as in reshape).
__kernel void KEEL_NAME(keel_copy)(__global KEEL_BITS* dst, __global const KEEL_BITS* src, keel_side to,
                                   keel_side from, long count) {
  const long i = get_global_id(0);
  if (i >= count) return;
  dst[keel_side_offset(&to, i)] = src[keel_side_offset(&from, i)];
}

// dst[i] = value for every element of the view.
__kernel void KEEL_NAME(keel_fill)(__global KEEL_BITS* dst, keel_side to, long count, KEEL_BITS value) {
  const long i = get_global_id(0);
  if (i >= count) return;
  dst[keel_side_offset(&to, i)] = value;
}
