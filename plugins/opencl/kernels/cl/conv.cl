// conv, conv_transpose and conv_backward_weight over 1 to 3 spatial axes, instantiated per float dtype by
// conv.cc with KEEL_T and KEEL_NAME(x). All three are sums over the same products, in conv's geometry:
//   image    [N, C, D...]     (conv's x; conv_transpose's output)
//   filter   [M, C/g, K...]   (the weight; conv_backward_weight's output)
//   response [N, M, O...]     (conv's y; conv_transpose's x; conv_backward_weight's dy)
// response position o and filter tap t meet image position o·s + t·l - pb. One work-item per output element
// accumulates its sum in KEEL_T. Image positions outside [0, D) read 0 and still multiply, as the spec's
// formulas say (so an infinite weight against padding gives NaN).

typedef struct {
  long spatial;  // 1 to 3
  long count;    // output elements
  long groups;
  long batch;
  long image_channels;     // C
  long response_channels;  // M
  long has_bias;
  long image_offset;
  long response_offset;
  long filter_offset;
  long bias_offset;
  long bias_stride;
  long image_nc[2];
  long response_nc[2];
  long filter_mc[2];
  long image_size[3];
  long response_size[3];
  long filter_size[3];
  long image_stride[3];
  long response_stride[3];
  long filter_stride[3];
  long step[3];
  long pad[3];
  long dilation[3];
} keel_conv_args;

// Splits `index` over `size` (row-major, `spatial` axes) into `at`; returns what is left (the leading index).
long KEEL_NAME(keel_conv_split)(long index, const long* size, long spatial, long* at) {
  for (long k = spatial - 1; k >= 0; --k) {
    at[k] = index % size[k];
    index /= size[k];
  }
  return index;
}

long KEEL_NAME(keel_conv_taps)(const keel_conv_args* a) {
  long taps = 1;
  for (long k = 0; k < a->spatial; ++k) taps *= a->filter_size[k];
  return taps;
}

// conv: response[n, m, o] = bias[m] + Σ_{c, t} image[n, g·C/g + c, o·s + t·l - pb] · filter[m, c, t].
__kernel void KEEL_NAME(keel_conv)(__global KEEL_T* response, __global const KEEL_T* image,
                                   __global const KEEL_T* filter, __global const KEEL_T* bias, keel_conv_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long o[3];
  const long nm = KEEL_NAME(keel_conv_split)(i, a.response_size, a.spatial, o);
  const long n = nm / a.response_channels;
  const long m = nm - n * a.response_channels;
  const long cg = a.image_channels / a.groups;
  const long g = m / (a.response_channels / a.groups);
  const long taps = KEEL_NAME(keel_conv_taps)(&a);
  KEEL_T sum = a.has_bias ? bias[a.bias_offset + m * a.bias_stride] : (KEEL_T)0;
  for (long c = 0; c < cg; ++c) {
    const long image_base = a.image_offset + n * a.image_nc[0] + (g * cg + c) * a.image_nc[1];
    const long filter_base = a.filter_offset + m * a.filter_mc[0] + c * a.filter_mc[1];
    for (long t = 0; t < taps; ++t) {
      long tap[3];
      KEEL_NAME(keel_conv_split)(t, a.filter_size, a.spatial, tap);
      long image_at = image_base;
      long filter_at = filter_base;
      bool inside = true;
      for (long k = 0; k < a.spatial; ++k) {
        const long pos = o[k] * a.step[k] + tap[k] * a.dilation[k] - a.pad[k];
        inside = inside && pos >= 0 && pos < a.image_size[k];
        image_at += pos * a.image_stride[k];
        filter_at += tap[k] * a.filter_stride[k];
      }
      const KEEL_T v = inside ? image[image_at] : (KEEL_T)0;  // padding reads 0 (and 0 · inf is NaN)
      sum += v * filter[filter_at];
    }
  }
  long at = a.response_offset + n * a.response_nc[0] + m * a.response_nc[1];
  for (long k = 0; k < a.spatial; ++k) at += o[k] * a.response_stride[k];
  response[at] = sum;
}

// conv_transpose: image[n, c, p] = bias[c] + Σ over m in c's group and taps t with p = o·s + t·l - pb of
// response[n, m, o] · filter[m, c mod C/g, t].
__kernel void KEEL_NAME(keel_conv_transpose)(__global KEEL_T* image, __global const KEEL_T* response,
                                             __global const KEEL_T* filter, __global const KEEL_T* bias,
                                             keel_conv_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long p[3];
  const long nc = KEEL_NAME(keel_conv_split)(i, a.image_size, a.spatial, p);
  const long n = nc / a.image_channels;
  const long c = nc - n * a.image_channels;
  const long cg = a.image_channels / a.groups;
  const long mg = a.response_channels / a.groups;
  const long g = c / cg;
  const long taps = KEEL_NAME(keel_conv_taps)(&a);
  KEEL_T sum = a.has_bias ? bias[a.bias_offset + c * a.bias_stride] : (KEEL_T)0;
  for (long m = g * mg; m < (g + 1) * mg; ++m) {
    const long response_base = a.response_offset + n * a.response_nc[0] + m * a.response_nc[1];
    const long filter_base = a.filter_offset + m * a.filter_mc[0] + (c - g * cg) * a.filter_mc[1];
    for (long t = 0; t < taps; ++t) {
      long tap[3];
      KEEL_NAME(keel_conv_split)(t, a.filter_size, a.spatial, tap);
      long response_at = response_base;
      long filter_at = filter_base;
      bool hit = true;
      for (long k = 0; k < a.spatial; ++k) {
        const long shifted = p[k] + a.pad[k] - tap[k] * a.dilation[k];
        const long o = shifted / a.step[k];
        hit = hit && shifted >= 0 && o * a.step[k] == shifted && o < a.response_size[k];
        response_at += o * a.response_stride[k];
        filter_at += tap[k] * a.filter_stride[k];
      }
      if (hit) sum += response[response_at] * filter[filter_at];
    }
  }
  long at = a.image_offset + n * a.image_nc[0] + c * a.image_nc[1];
  for (long k = 0; k < a.spatial; ++k) at += p[k] * a.image_stride[k];
  image[at] = sum;
}

// conv_backward_weight: filter[m, c, t] = Σ_{n, o} response[n, m, o] · image[n, g·C/g + c, o·s + t·l - pb].
__kernel void KEEL_NAME(keel_conv_backward_weight)(__global KEEL_T* filter, __global const KEEL_T* response,
                                                   __global const KEEL_T* image, keel_conv_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long tap[3];
  const long mc = KEEL_NAME(keel_conv_split)(i, a.filter_size, a.spatial, tap);
  const long cg = a.image_channels / a.groups;
  const long m = mc / cg;
  const long c = mc - m * cg;
  const long g = m / (a.response_channels / a.groups);
  long outputs = 1;
  for (long k = 0; k < a.spatial; ++k) outputs *= a.response_size[k];
  KEEL_T sum = 0;
  for (long n = 0; n < a.batch; ++n) {
    const long response_base = a.response_offset + n * a.response_nc[0] + m * a.response_nc[1];
    const long image_base = a.image_offset + n * a.image_nc[0] + (g * cg + c) * a.image_nc[1];
    for (long j = 0; j < outputs; ++j) {
      long o[3];
      KEEL_NAME(keel_conv_split)(j, a.response_size, a.spatial, o);
      long response_at = response_base;
      long image_at = image_base;
      bool inside = true;
      for (long k = 0; k < a.spatial; ++k) {
        const long pos = o[k] * a.step[k] + tap[k] * a.dilation[k] - a.pad[k];
        inside = inside && pos >= 0 && pos < a.image_size[k];
        response_at += o[k] * a.response_stride[k];
        image_at += pos * a.image_stride[k];
      }
      const KEEL_T v = inside ? image[image_at] : (KEEL_T)0;
      sum += response[response_at] * v;
    }
  }
  long at = a.filter_offset + m * a.filter_mc[0] + c * a.filter_mc[1];
  for (long k = 0; k < a.spatial; ++k) at += tap[k] * a.filter_stride[k];
  filter[at] = sum;
}
