// scatter_elements, instantiated per dtype and index type by scatter.cc with KEEL_T, KEEL_INDEX,
// KEEL_NAME(x), KEEL_ADD (wrapping for integers), KEEL_MAX and KEEL_MIN (IEEE 754-2019 for floats). Computed
// as a gather: one work-item per output element starts from data and applies, in row-major order, the
// updates whose index targets it (they differ only in their coordinate along the axis), so every reduction
// is deterministic and "none" keeps the last.

typedef struct {
  long rank;
  long axis;
  long count;   // output elements
  long mode;    // keel_scatter_elements_reduction_e: none, add, max, min
  long length;  // indices.shape[axis]
  long d;       // data.shape[axis]
  long y_offset;
  long data_offset;
  long index_offset;
  long update_offset;
  long shape[KEEL_MAX_RANK];  // data's (and y's)
  long limit[KEEL_MAX_RANK];  // indices' (and updates')
  long y_stride[KEEL_MAX_RANK];
  long data_stride[KEEL_MAX_RANK];
  long index_stride[KEEL_MAX_RANK];
  long update_stride[KEEL_MAX_RANK];
} keel_scatter_args;

__kernel void KEEL_NAME(keel_scatter_elements)(__global KEEL_T* y, __global const KEEL_T* data,
                                               __global const KEEL_INDEX* indices, __global const KEEL_T* updates,
                                               keel_scatter_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long rest = i;
  long y_at = a.y_offset;
  long data_at = a.data_offset;
  long index_at = a.index_offset;
  long update_at = a.update_offset;
  long target = 0;
  bool covered = true;  // some update position shares this element's other coordinates
  for (long k = a.rank - 1; k >= 0; --k) {
    const long c = rest % a.shape[k];
    rest /= a.shape[k];
    y_at += c * a.y_stride[k];
    data_at += c * a.data_stride[k];
    if (k == a.axis) {
      target = c;
      continue;
    }
    covered = covered && c < a.limit[k];
    index_at += c * a.index_stride[k];
    update_at += c * a.update_stride[k];
  }
  KEEL_T v = data[data_at];
  for (long j = 0; covered && j < a.length; ++j) {
    long at = (long)indices[index_at + j * a.index_stride[a.axis]];
    if (at < 0) at += a.d;
    if (at != target) continue;
    const KEEL_T u = updates[update_at + j * a.update_stride[a.axis]];
    v = a.mode == 0 ? u : a.mode == 1 ? KEEL_ADD(v, u) : a.mode == 2 ? KEEL_MAX(v, u) : KEEL_MIN(v, u);
  }
  y[y_at] = v;
}

// scatter_nd: element c of y (rank `rank`) is addressed by tuples of `k` entries after `batch` leading axes.
// It applies, in row-major order, every update row p (batch coordinates equal to c's, then `rest` positions
// over indices.shape[batch:-1]) whose tuple resolves to c[batch .. batch + k - 1], reading updates at c's
// trailing coordinates.
typedef struct {
  long rank;
  long batch;
  long k;
  long count;
  long mode;
  long rest_rank;
  long rest_count;
  long tuple_stride;
  long y_offset;
  long data_offset;
  long index_offset;
  long update_offset;
  long shape[KEEL_MAX_RANK];  // data's (and y's)
  long y_stride[KEEL_MAX_RANK];
  long data_stride[KEEL_MAX_RANK];
  long index_batch_stride[KEEL_MAX_RANK];
  long update_batch_stride[KEEL_MAX_RANK];
  long rest_shape[KEEL_MAX_RANK];
  long index_rest_stride[KEEL_MAX_RANK];
  long update_rest_stride[KEEL_MAX_RANK];
  long update_trailing_stride[KEEL_MAX_RANK];  // for data axes batch + k onwards
} keel_scatter_nd_args;

__kernel void KEEL_NAME(keel_scatter_nd)(__global KEEL_T* y, __global const KEEL_T* data,
                                         __global const KEEL_INDEX* indices, __global const KEEL_T* updates,
                                         keel_scatter_nd_args a) {
  const long i = get_global_id(0);
  if (i >= a.count) return;
  long c[KEEL_MAX_RANK];
  long rest = i;
  for (long j = a.rank - 1; j >= 0; --j) {
    c[j] = rest % a.shape[j];
    rest /= a.shape[j];
  }
  long y_at = a.y_offset;
  long data_at = a.data_offset;
  long index_base = a.index_offset;
  long update_base = a.update_offset;
  for (long j = 0; j < a.rank; ++j) {
    y_at += c[j] * a.y_stride[j];
    data_at += c[j] * a.data_stride[j];
    if (j < a.batch) {
      index_base += c[j] * a.index_batch_stride[j];
      update_base += c[j] * a.update_batch_stride[j];
    } else if (j >= a.batch + a.k) {
      update_base += c[j] * a.update_trailing_stride[j];
    }
  }
  KEEL_T v = data[data_at];
  for (long r = 0; r < a.rest_count; ++r) {
    long index_at = index_base;
    long update_at = update_base;
    long left = r;
    for (long j = a.rest_rank - 1; j >= 0; --j) {
      const long coordinate = left % a.rest_shape[j];
      left /= a.rest_shape[j];
      index_at += coordinate * a.index_rest_stride[j];
      update_at += coordinate * a.update_rest_stride[j];
    }
    bool hit = true;
    for (long j = 0; j < a.k && hit; ++j) {
      const long d = a.shape[a.batch + j];
      long at = (long)indices[index_at + j * a.tuple_stride];
      if (at < 0) at += d;
      hit = at == c[a.batch + j];
    }
    if (!hit) continue;
    const KEEL_T u = updates[update_at];
    v = a.mode == 0 ? u : a.mode == 1 ? KEEL_ADD(v, u) : a.mode == 2 ? KEEL_MAX(v, u) : KEEL_MIN(v, u);
  }
  y[y_at] = v;
}
