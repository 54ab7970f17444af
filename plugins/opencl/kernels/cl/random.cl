// The random operators (ir_spec/ops/random.yaml), instantiated per float dtype by random.cc with KEEL_T, KEEL_NAME(x)
// and KEEL_WIDE (1 for f64, which takes 53 bits from two words). Philox4x32-10 exactly as the spec gives it;
// the affine map happens in f64 (contraction off) and rounds once to KEEL_T.

// Block `counter` under key (k0, k1): the four words x0..x3.
void keel_philox(ulong counter, uint k0, uint k1, uint* x) {
  uint c0 = (uint)counter;
  uint c1 = (uint)(counter >> 32);
  uint c2 = 0;
  uint c3 = 0;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    const ulong p0 = (ulong)0xD2511F53u * c0;
    const ulong p1 = (ulong)0xCD9E8D57u * c2;
    c0 = (uint)(p1 >> 32) ^ c1 ^ k0;
    c1 = (uint)p1;
    c2 = (uint)(p0 >> 32) ^ c3 ^ k1;
    c3 = (uint)p0;
  }
  x[0] = c0;
  x[1] = c1;
  x[2] = c2;
  x[3] = c3;
}

// Element e of the output (row-major, placed through `side`) from seed and offset. `below` is the largest
// KEEL_T value under high, which replaces a result that rounds up to high.
__kernel void KEEL_NAME(keel_rng_uniform)(__global KEEL_T* y, keel_side side, long count, ulong seed, ulong offset,
                                          double low, double high, KEEL_T below) {
  const long e = get_global_id(0);
  if (e >= count) return;
  uint x[4];
  double u;
  if (KEEL_WIDE) {
    keel_philox(offset + (ulong)(e / 2), (uint)seed, (uint)(seed >> 32), x);
    const long j = e % 2;
    u = ((double)(x[2 * j] >> 5) * 67108864.0 + (double)(x[2 * j + 1] >> 6)) * 0x1.0p-53;
  } else {
    keel_philox(offset + (ulong)(e / 4), (uint)seed, (uint)(seed >> 32), x);
    u = (double)(x[e % 4] >> 8) * 0x1.0p-24;
  }
  const double span = high - low;
  const double scaled = span * u;
  KEEL_T r = (KEEL_T)(low + scaled);
  if (low == high) r = (KEEL_T)low;
  else if ((double)r >= high) r = below;
  y[keel_side_offset(&side, e)] = r;
}

// rng_normal: Box-Muller's cosine branch on the word pair (x_2j, x_2j+1) of block e / 2, in f64. Its argument
// list matches keel_rng_uniform's (mean and std in place of low and high; the last one is unused).
__kernel void KEEL_NAME(keel_rng_normal)(__global KEEL_T* y, keel_side side, long count, ulong seed, ulong offset,
                                         double mean, double std, KEEL_T unused) {
  const long e = get_global_id(0);
  if (e >= count) return;
  uint x[4];
  keel_philox(offset + (ulong)(e / 2), (uint)seed, (uint)(seed >> 32), x);
  const long j = e % 2;
  const double u1 = ((double)(x[2 * j] >> 8) + 1.0) * 0x1.0p-24;
  const double u2 = (double)(x[2 * j + 1] >> 8) * 0x1.0p-24;
  const double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
  const double scaled = std * z;
  y[keel_side_offset(&side, e)] = (KEEL_T)(mean + scaled);
}

// A 24-bit uniform in [0, 1) from one word.
double keel_u24(uint w) { return (double)(w >> 8) * 0x1.0p-24; }

// bernoulli: element e (row-major; `layout` tensor 0: y, tensor 1: p) is `one` where u24(x_(e mod 4) of block
// e / 4) < p, else `zero` (the output dtype's bit patterns), for every output element size.
#define KEEL_BERNOULLI(bits)                                                                                     \
  __kernel void KEEL_NAME(keel_bernoulli_##bits)(__global bits* y, __global const KEEL_T* p, keel_layout layout, \
                                                  ulong seed, ulong offset, bits one, bits zero) {              \
    const long e = get_global_id(0);                                                                             \
    if (e >= layout.count) return;                                                                               \
    long o[2];                                                                                                   \
    keel_offsets(&layout, e, 2, o);                                                                              \
    uint x[4];                                                                                                   \
    keel_philox(offset + (ulong)(e / 4), (uint)seed, (uint)(seed >> 32), x);                                     \
    y[o[0]] = keel_u24(x[e % 4]) < (double)p[o[1]] ? one : zero;                                                 \
  }
KEEL_BERNOULLI(uchar)
KEEL_BERNOULLI(uint)
KEEL_BERNOULLI(ulong)

// dropout: `layout` tensor 0: y, 1: mask, 2: x. Kept where u24 >= ratio, scaled by `scale` = 1 / (1 - ratio)
// in f64; dropped elements are +0. Without training y is x and the mask all true.
__kernel void KEEL_NAME(keel_dropout)(__global KEEL_T* y, __global uchar* mask, __global const KEEL_T* x,
                                      keel_layout layout, ulong seed, ulong offset, double ratio, double scale,
                                      long training) {
  const long e = get_global_id(0);
  if (e >= layout.count) return;
  long o[3];
  keel_offsets(&layout, e, 3, o);
  if (!training) {
    y[o[0]] = x[o[2]];
    mask[o[1]] = 1;
    return;
  }
  uint w[4];
  keel_philox(offset + (ulong)(e / 4), (uint)seed, (uint)(seed >> 32), w);
  const bool kept = keel_u24(w[e % 4]) >= ratio;
  y[o[0]] = kept ? (KEEL_T)((double)x[o[2]] * scale) : (KEEL_T)0;
  mask[o[1]] = kept ? 1 : 0;
}
