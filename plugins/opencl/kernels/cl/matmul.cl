// The tiled matrix product, instantiated per float dtype by matmul.cc with KEEL_T, KEEL_NAME(x) and the tile
// shape: a work-group of KEEL_GROUP x KEEL_GROUP work-items computes a KEEL_TILE x KEEL_TILE block of y
// (KEEL_TILE = KEEL_GROUP * KEEL_WORK, each work-item KEEL_WORK x KEEL_WORK outputs spread KEEL_GROUP apart),
// staging KEEL_DEPTH-deep slices of a and b in local memory. Out-of-range elements load as 0, so any M, N,
// K and any strides work; products accumulate in KEEL_T (KEEL_MAD is fma where the device has it in hardware).

__kernel __attribute__((reqd_work_group_size(KEEL_GROUP, KEEL_GROUP, 1)))
void KEEL_NAME(keel_matmul)(__global KEEL_T* y, __global const KEEL_T* a, __global const KEEL_T* b,
                            keel_matmul_args args) {
  __local KEEL_T a_tile[KEEL_DEPTH][KEEL_TILE];  // a_tile[k][m]
  __local KEEL_T b_tile[KEEL_DEPTH][KEEL_TILE];  // b_tile[k][n]
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int thread = ty * KEEL_GROUP + tx;
  const long row0 = get_group_id(1) * KEEL_TILE;
  const long col0 = get_group_id(0) * KEEL_TILE;
  long o[3];
  keel_offsets(&args.batch, get_group_id(2), 3, o);

  KEEL_T acc[KEEL_WORK][KEEL_WORK];
  for (int i = 0; i < KEEL_WORK; ++i) {
    for (int j = 0; j < KEEL_WORK; ++j) acc[i][j] = 0;
  }

  for (long k0 = 0; k0 < args.k; k0 += KEEL_DEPTH) {
    for (int e = thread; e < KEEL_TILE * KEEL_DEPTH; e += KEEL_GROUP * KEEL_GROUP) {
      const int r = e / KEEL_DEPTH;
      const int c = e - r * KEEL_DEPTH;
      const long row = row0 + r;
      const long k = k0 + c;
      a_tile[c][r] = (row < args.m && k < args.k) ? a[o[1] + row * args.a_row + k * args.a_col] : (KEEL_T)0;
    }
    for (int e = thread; e < KEEL_TILE * KEEL_DEPTH; e += KEEL_GROUP * KEEL_GROUP) {
      const int r = e / KEEL_TILE;
      const int c = e - r * KEEL_TILE;
      const long k = k0 + r;
      const long col = col0 + c;
      b_tile[r][c] = (k < args.k && col < args.n) ? b[o[2] + k * args.b_row + col * args.b_col] : (KEEL_T)0;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int kk = 0; kk < KEEL_DEPTH; ++kk) {
      KEEL_T av[KEEL_WORK];
      KEEL_T bv[KEEL_WORK];
      for (int i = 0; i < KEEL_WORK; ++i) av[i] = a_tile[kk][ty + i * KEEL_GROUP];
      for (int j = 0; j < KEEL_WORK; ++j) bv[j] = b_tile[kk][tx + j * KEEL_GROUP];
      for (int i = 0; i < KEEL_WORK; ++i) {
        for (int j = 0; j < KEEL_WORK; ++j) acc[i][j] = KEEL_MAD(av[i], bv[j], acc[i][j]);
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  for (int i = 0; i < KEEL_WORK; ++i) {
    const long row = row0 + ty + i * KEEL_GROUP;
    if (row >= args.m) continue;
    for (int j = 0; j < KEEL_WORK; ++j) {
      const long col = col0 + tx + j * KEEL_GROUP;
      if (col < args.n) y[o[0] + row * args.y_row + col * args.y_col] = acc[i][j];
    }
  }
}
