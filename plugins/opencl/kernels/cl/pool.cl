// max_pool and avg_pool over 1 to 3 spatial axes, instantiated per dtype by pool.cc with KEEL_T, KEEL_NAME(x),
// KEEL_LOWEST (the value of a window without input taps) and KEEL_ABOVE(v, best) (v beats the maximum so far:
// NaN first, +0 above -0 for floats). One work-item per output element walks its window's taps in row-major
// order, which is also the order of their flat positions, so the first tap wins ties.

typedef struct {
  long spatial;  // 1 to 3
  long count;    // output elements, N * C * prod(out)
  long channels;
  long include_pad;
  long x_offset;
  long y_offset;
  long i_offset;
  long x_nc[2];  // strides of n and c
  long y_nc[2];
  long i_nc[2];
  long in[3];
  long out[3];
  long x_stride[3];
  long y_stride[3];
  long i_stride[3];
  long window[3];  // the kernel size (`kernel` is reserved in OpenCL C)
  long step[3];
  long pad_begin[3];
  long pad_end[3];
  long dilation[3];
} keel_pool_args;

// The output element `index` as (n, c, o[...]); returns its n * C + c.
long KEEL_NAME(keel_pool_split)(const keel_pool_args* a, long index, long* o) {
  long rest = index;
  for (long k = a->spatial - 1; k >= 0; --k) {
    o[k] = rest % a->out[k];
    rest /= a->out[k];
  }
  return rest;
}

__kernel void KEEL_NAME(keel_max_pool)(__global KEEL_T* y, __global long* indices, __global const KEEL_T* x,
                                       keel_pool_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long o[3];
  const long nc = KEEL_NAME(keel_pool_split)(&a, i, o);
  const long n = nc / a.channels;
  const long c = nc - n * a.channels;
  long taps = 1;
  for (long k = 0; k < a.spatial; ++k) taps *= a.window[k];
  KEEL_T best = KEEL_LOWEST;
  long best_at = -1;
  for (long t = 0; t < taps; ++t) {
    long rest = t;
    long x_at = a.x_offset + n * a.x_nc[0] + c * a.x_nc[1];
    long flat = 0;
    long scale = 1;
    bool inside = true;
    for (long k = a.spatial - 1; k >= 0; --k) {
      const long tap = rest % a.window[k];
      rest /= a.window[k];
      const long pos = o[k] * a.step[k] - a.pad_begin[k] + tap * a.dilation[k];
      inside = inside && pos >= 0 && pos < a.in[k];
      x_at += pos * a.x_stride[k];
      flat += pos * scale;
      scale *= a.in[k];
    }
    if (!inside) continue;
    const KEEL_T v = x[x_at];
    if (best_at < 0 || KEEL_ABOVE(v, best)) {
      best = v;
      best_at = flat;
    }
  }
  long y_at = a.y_offset + n * a.y_nc[0] + c * a.y_nc[1];
  long i_at = a.i_offset + n * a.i_nc[0] + c * a.i_nc[1];
  for (long k = 0; k < a.spatial; ++k) {
    y_at += o[k] * a.y_stride[k];
    i_at += o[k] * a.i_stride[k];
  }
  y[y_at] = best;
  indices[i_at] = best_at;
}

// The sum of the taps that read the input over the divisor (taps inside [-pad_begin, in + pad_end) with
// include_pad, else the taps that read the input); a divisor of 0 gives 0 / 0 = NaN.
__kernel void KEEL_NAME(keel_avg_pool)(__global KEEL_T* y, __global const KEEL_T* x, keel_pool_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long o[3];
  const long nc = KEEL_NAME(keel_pool_split)(&a, i, o);
  const long n = nc / a.channels;
  const long c = nc - n * a.channels;
  long taps = 1;
  for (long k = 0; k < a.spatial; ++k) taps *= a.window[k];
  KEEL_T sum = 0;
  long divisor = 0;
  for (long t = 0; t < taps; ++t) {
    long rest = t;
    long x_at = a.x_offset + n * a.x_nc[0] + c * a.x_nc[1];
    bool inside = true;
    bool in_padded = true;
    for (long k = a.spatial - 1; k >= 0; --k) {
      const long tap = rest % a.window[k];
      rest /= a.window[k];
      const long pos = o[k] * a.step[k] - a.pad_begin[k] + tap * a.dilation[k];
      inside = inside && pos >= 0 && pos < a.in[k];
      in_padded = in_padded && pos >= -a.pad_begin[k] && pos < a.in[k] + a.pad_end[k];
      x_at += pos * a.x_stride[k];
    }
    if (inside) sum += x[x_at];
    if (a.include_pad ? in_padded : inside) ++divisor;
  }
  long y_at = a.y_offset + n * a.y_nc[0] + c * a.y_nc[1];
  for (long k = 0; k < a.spatial; ++k) y_at += o[k] * a.y_stride[k];
  y[y_at] = sum / (KEEL_T)divisor;
}

// The divisor of avg_pool's output position `o` (see keel_avg_pool).
long KEEL_NAME(keel_pool_divisor)(const keel_pool_args* a, const long* o, long taps) {
  long divisor = 0;
  for (long t = 0; t < taps; ++t) {
    long rest = t;
    bool inside = true;
    bool in_padded = true;
    for (long k = a->spatial - 1; k >= 0; --k) {
      const long tap = rest % a->window[k];
      rest /= a->window[k];
      const long pos = o[k] * a->step[k] - a->pad_begin[k] + tap * a->dilation[k];
      inside = inside && pos >= 0 && pos < a->in[k];
      in_padded = in_padded && pos >= -a->pad_begin[k] && pos < a->in[k] + a->pad_end[k];
    }
    if (a->include_pad ? in_padded : inside) ++divisor;
  }
  return divisor;
}

// avg_pool_backward: dx[n, c, p] gathers dy[n, c, o] / divisor(o) over the windows that read p, in tap order
// (x is dx here and y is dy).
__kernel void KEEL_NAME(keel_avg_pool_backward)(__global KEEL_T* dx, __global const KEEL_T* dy, keel_pool_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long p[3];
  long rest = i;
  for (long k = a.spatial - 1; k >= 0; --k) {
    p[k] = rest % a.in[k];
    rest /= a.in[k];
  }
  const long n = rest / a.channels;
  const long c = rest - n * a.channels;
  long taps = 1;
  for (long k = 0; k < a.spatial; ++k) taps *= a.window[k];
  KEEL_T sum = 0;
  for (long t = 0; t < taps; ++t) {
    long tap_rest = t;
    long o[3];
    bool hit = true;
    long dy_at = a.y_offset + n * a.y_nc[0] + c * a.y_nc[1];
    for (long k = a.spatial - 1; k >= 0; --k) {
      const long tap = tap_rest % a.window[k];
      tap_rest /= a.window[k];
      const long shifted = p[k] + a.pad_begin[k] - tap * a.dilation[k];
      o[k] = shifted / a.step[k];
      hit = hit && shifted >= 0 && o[k] * a.step[k] == shifted && o[k] < a.out[k];
      dy_at += o[k] * a.y_stride[k];
    }
    if (!hit) continue;
    const long divisor = KEEL_NAME(keel_pool_divisor)(&a, o, taps);
    if (divisor > 0) sum += dy[dy_at] / (KEEL_T)divisor;
  }
  long dx_at = a.x_offset + n * a.x_nc[0] + c * a.x_nc[1];
  for (long k = 0; k < a.spatial; ++k) dx_at += p[k] * a.x_stride[k];
  dx[dx_at] = sum;
}
