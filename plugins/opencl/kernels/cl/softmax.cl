// Softmax or log_softmax along one axis, instantiated per operator and float dtype by reduce.cc with KEEL_T,
// KEEL_NAME(x) and KEEL_RESULT(v, m, sum): y = exp(x - max) / sum(exp(x - max)), or
// y = (x - max) - log(sum(exp(x - max))). The IEEE maximum propagates NaN, and a maximum of +inf or a slice of
// -inf makes x - max NaN, so every special case of the spec falls out of the formulas.

// One work-group per slice.
__kernel void KEEL_NAME(keel_softmax)(__global KEEL_T* y, __global const KEEL_T* x, keel_softmax_args args,
                                      __local KEEL_T* scratch) {
  long o[2];
  keel_offsets(&args.slices, get_group_id(0), 2, o);
  const long lid = get_local_id(0);
  const long size = get_local_size(0);

  KEEL_T m = -INFINITY;
  for (long j = lid; j < args.length; j += size) {
    const KEEL_T v = x[o[1] + j * args.x_step];
    m = KEEL_FLOAT_MAX(m, v);
  }
  scratch[lid] = m;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (long step = size / 2; step > 0; step /= 2) {
    if (lid < step) {
      const KEEL_T a = scratch[lid];
      const KEEL_T b = scratch[lid + step];
      scratch[lid] = KEEL_FLOAT_MAX(a, b);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  m = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);

  KEEL_T sum = 0;
  for (long j = lid; j < args.length; j += size) sum += exp(x[o[1] + j * args.x_step] - m);
  scratch[lid] = sum;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (long step = size / 2; step > 0; step /= 2) {
    if (lid < step) scratch[lid] += scratch[lid + step];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  sum = scratch[0];

  for (long j = lid; j < args.length; j += size) {
    y[o[0] + j * args.y_step] = KEEL_RESULT(x[o[1] + j * args.x_step], m, sum);
  }
}

// One work-item per slice, for short slices.
__kernel void KEEL_NAME(keel_softmax_rows)(__global KEEL_T* y, __global const KEEL_T* x, keel_softmax_args args) {
  const long slice = get_global_id(0);
  if (slice >= args.slices.count) return;
  long o[2];
  keel_offsets(&args.slices, slice, 2, o);
  KEEL_T m = -INFINITY;
  for (long j = 0; j < args.length; ++j) {
    const KEEL_T v = x[o[1] + j * args.x_step];
    m = KEEL_FLOAT_MAX(m, v);
  }
  KEEL_T sum = 0;
  for (long j = 0; j < args.length; ++j) sum += exp(x[o[1] + j * args.x_step] - m);
  for (long j = 0; j < args.length; ++j) y[o[0] + j * args.y_step] = KEEL_RESULT(x[o[1] + j * args.x_step], m, sum);
}
