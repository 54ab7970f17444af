// embedding_backward, instantiated per float dtype and index type by embedding.cc with KEEL_T, KEEL_INDEX and
// KEEL_NAME(x). One work-item per dw element gathers, in index order, the dy rows whose index names its row,
// so the result does not depend on scheduling.

typedef struct {
  long rows;  // num_weights
  long width;  // D
  long padding_idx;
  long dw_offset;
  long dw_row;
  long dw_col;
  long dy_col;
  keel_layout positions;  // over indices' shape: tensor 0 the indices, tensor 1 dy's row starts
} keel_embedding_args;

__kernel void KEEL_NAME(keel_embedding_backward)(__global KEEL_T* dw, __global const KEEL_INDEX* indices,
                                                 __global const KEEL_T* dy, keel_embedding_args a) {
  const long i = get_global_id(0);
  if (i >= a.rows * a.width) return;
  const long r = i / a.width;
  const long d = i - r * a.width;
  KEEL_T sum = 0;
  if (r != a.padding_idx) {
    for (long p = 0; p < a.positions.count; ++p) {
      long o[2];
      keel_offsets(&a.positions, p, 2, o);
      if ((long)indices[o[0]] == r) sum += dy[o[1] + d * a.dy_col];
    }
  }
  dw[a.dw_offset + r * a.dw_row + d * a.dw_col] = sum;
}
