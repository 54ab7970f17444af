// A reduction, instantiated per operator and dtype by reduce.cc with:
//   KEEL_T                 the element type
//   KEEL_NAME(x)           x with the operator and dtype appended
//   KEEL_IDENTITY          the starting value (-0 for float sums, so that a sum of -0s stays -0)
//   KEEL_COMBINE(acc, v)   one step (wrapping for integer sums)
//   KEEL_EMPTY             the result of an empty reduction before the division of a mean

KEEL_T KEEL_NAME(keel_finish)(KEEL_T acc, const keel_reduce_args* args) {
  if (args->length == 0) acc = KEEL_EMPTY;
  return args->divide ? acc / (KEEL_T)args->total : acc;
}

// One work-group per output and chunk; work-items stride over the chunk, then combine in local memory.
__kernel void KEEL_NAME(keel_reduce)(__global KEEL_T* y, __global const KEEL_T* x, keel_reduce_args args,
                                     __local KEEL_T* scratch) {
  const long group = get_group_id(0);
  const long output = group / args.chunks;
  const long chunk = group - output * args.chunks;
  long o[2];
  keel_offsets(&args.kept, output, 2, o);
  const long begin = chunk * args.chunk_length;
  const long end = min(begin + args.chunk_length, args.length);
  const long lid = get_local_id(0);
  const long size = get_local_size(0);
  KEEL_T acc = KEEL_IDENTITY;
  for (long j = begin + lid; j < end; j += size) {
    const KEEL_T v = x[o[1] + keel_side_offset(&args.reduced, j)];
    acc = KEEL_COMBINE(acc, v);
  }
  scratch[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (long step = size / 2; step > 0; step /= 2) {
    if (lid < step) {
      const KEEL_T v = scratch[lid + step];
      scratch[lid] = KEEL_COMBINE(scratch[lid], v);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) {
    const KEEL_T total = scratch[0];
    y[o[0] + chunk * args.chunk_stride] = args.chunks > 1 ? total : KEEL_NAME(keel_finish)(total, &args);
  }
}

// One work-item per output, for short reductions over many outputs.
__kernel void KEEL_NAME(keel_reduce_rows)(__global KEEL_T* y, __global const KEEL_T* x, keel_reduce_args args) {
  const long output = get_global_id(0);
  if (output >= args.kept.count) return;
  long o[2];
  keel_offsets(&args.kept, output, 2, o);
  KEEL_T acc = KEEL_IDENTITY;
  for (long j = 0; j < args.length; ++j) {
    const KEEL_T v = x[o[1] + keel_side_offset(&args.reduced, j)];
    acc = KEEL_COMBINE(acc, v);
  }
  y[o[0]] = KEEL_NAME(keel_finish)(acc, &args);
}
