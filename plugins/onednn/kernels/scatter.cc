// Scatters (indexing.yaml, training.yaml): scatter_elements, scatter_nd, embedding_backward and
// max_pool_backward. The output starts as a copy of data (zeros for the gradients); scatter_elements and
// scatter_nd then apply their updates serially in row-major order of the indices, which gives reduction
// none its "last write wins" rule and makes every reduction deterministic. Indices outside the accepted
// range skip their update, as the spec defines it.
#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "attrs.h"
#include "combine.h"
#include "coords.h"
#include "copy.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "signature.h"

namespace keel::onednn {
namespace {

// ---- scatter_elements ---------------------------------------------------------------------------------

keel_scatter_elements_attrs_t scatter_elements_attrs(const void* raw) {
  using A = keel_scatter_elements_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ELEMENTS_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::axis, &A::reduction);
}

void scatter_elements_key(const void* raw, SignatureKey& key) {
  const keel_scatter_elements_attrs_t a = scatter_elements_attrs(raw);
  key.push(a.axis);
  key.push(a.reduction);
}

// y[p with axis coordinate indices[p]] (op)= updates[p].
class ScatterElements final : public Kernel {
 public:
  explicit ScatterElements(const CallInfo& call)
      : data_(call.input(0)), indices_(call.input(1)), updates_(call.input(2)), y_(call.output(0)) {
    const keel_scatter_elements_attrs_t a = scatter_elements_attrs(call.attrs());
    axis_ = normalize_axis(a.axis, data_.rank);
    how_ = static_cast<Combine>(a.reduction);
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    keel_tensor_desc_t y = y_;
    y.data = data_of(call.outputs[0]);
    keel_tensor_desc_t data = data_;
    data.data = data_of(call.inputs[0]);
    copy_tensor(y, data);
    visit_data(y_.dtype, [&]<class T>(Tag<T>) {
      const std::byte* indices = data_of(call.inputs[1]);
      const T* updates = typed_data<const T>(call.inputs[2]);
      T* out = typed_data<T>(call.outputs[0]);
      const int64_t d = y_.shape[axis_];
      walk_coords(indices_.shape, indices_.rank, 0, element_count(indices_), [&](const int64_t* at, int64_t) {
        const int64_t i = wrap_index(load_index(indices_.dtype, indices, offset_of(indices_, at)), d);
        if (i < 0) return;
        T& target = out[offset_of(y_, at) + (i - at[axis_]) * y_.strides[axis_]];
        target = combine(how_, target, updates[offset_of(updates_, at)]);
      });
    });
  }
  std::string describe() const override { return "copy + serial scatter"; }

 private:
  keel_tensor_desc_t data_, indices_, updates_, y_;
  uint32_t axis_ = 0;
  Combine how_ = Combine::kReplace;
};

// ---- scatter_nd ---------------------------------------------------------------------------------------

keel_scatter_nd_attrs_t scatter_nd_attrs(const void* raw) {
  using A = keel_scatter_nd_attrs_t;
  constexpr A kDefaults = KEEL_SCATTER_ND_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::reduction, &A::batch_dims);
}

void scatter_nd_key(const void* raw, SignatureKey& key) {
  const keel_scatter_nd_attrs_t a = scatter_nd_attrs(raw);
  key.push(a.reduction);
  key.push(a.batch_dims);
}

// The slice y[p[:b], t, :] (op)= updates[p, :] for each position p of indices.shape[:-1], t = indices[p, :].
class ScatterNd final : public Kernel {
 public:
  explicit ScatterNd(const CallInfo& call)
      : data_(call.input(0)), indices_(call.input(1)), updates_(call.input(2)), y_(call.output(0)) {
    const keel_scatter_nd_attrs_t a = scatter_nd_attrs(call.attrs());
    batch_ = static_cast<uint32_t>(a.batch_dims);
    tuple_ = static_cast<uint32_t>(indices_.shape[indices_.rank - 1]);
    how_ = static_cast<Combine>(a.reduction);
    positions_ = indices_;  // indices.shape[:-1]
    positions_.rank = indices_.rank - 1;
    slice_ = y_;  // y.shape[b + k:]
    slice_.rank = y_.rank - batch_ - tuple_;
    for (uint32_t d = 0; d < slice_.rank; ++d) {
      slice_.shape[d] = y_.shape[batch_ + tuple_ + d];
      slice_.strides[d] = y_.strides[batch_ + tuple_ + d];
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    keel_tensor_desc_t y = y_;
    y.data = data_of(call.outputs[0]);
    keel_tensor_desc_t data = data_;
    data.data = data_of(call.inputs[0]);
    copy_tensor(y, data);
    visit_data(y_.dtype, [&]<class T>(Tag<T>) {
      const std::byte* indices = data_of(call.inputs[1]);
      const T* updates = typed_data<const T>(call.inputs[2]);
      T* out = typed_data<T>(call.outputs[0]);
      const int64_t tuple_stride = indices_.strides[indices_.rank - 1];
      const int64_t slice_count = element_count(slice_);
      const uint32_t lead = positions_.rank;  // updates is indices.shape[:-1] + the slice shape
      walk_coords(positions_.shape, lead, 0, element_count(positions_), [&](const int64_t* at, int64_t) {
        const int64_t index_offset = offset_of(positions_, at);
        int64_t y_offset = 0;
        for (uint32_t d = 0; d < batch_; ++d) y_offset += at[d] * y_.strides[d];
        for (uint32_t j = 0; j < tuple_; ++j) {
          const int64_t i =
              wrap_index(load_index(indices_.dtype, indices, index_offset + j * tuple_stride), y_.shape[batch_ + j]);
          if (i < 0) return;
          y_offset += i * y_.strides[batch_ + j];
        }
        int64_t update_offset = 0;
        for (uint32_t d = 0; d < lead; ++d) update_offset += at[d] * updates_.strides[d];
        walk_coords(slice_.shape, slice_.rank, 0, slice_count, [&](const int64_t* s, int64_t) {
          int64_t u = update_offset;
          for (uint32_t d = 0; d < slice_.rank; ++d) u += s[d] * updates_.strides[lead + d];
          T& target = out[y_offset + offset_of(slice_, s)];
          target = combine(how_, target, updates[u]);
        });
      });
    });
  }
  std::string describe() const override { return "copy + serial scatter"; }

 private:
  keel_tensor_desc_t data_, indices_, updates_, y_;
  keel_tensor_desc_t positions_{}, slice_{};
  uint32_t batch_ = 0;
  uint32_t tuple_ = 0;
  Combine how_ = Combine::kReplace;
};

// ---- embedding_backward -------------------------------------------------------------------------------

keel_embedding_backward_attrs_t embedding_attrs(const void* raw) {
  using A = keel_embedding_backward_attrs_t;
  constexpr A kDefaults = KEEL_EMBEDDING_BACKWARD_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::num_weights, &A::padding_idx);
}

void embedding_key(const void* raw, SignatureKey& key) {
  const keel_embedding_backward_attrs_t a = embedding_attrs(raw);
  key.push(a.num_weights);
  key.push(a.padding_idx);
}

// dw[r, :] += dy[p, :] for r = indices[p] in [0, num_weights) other than padding_idx. f32 and f64 add in
// place; the 16-bit floats sum in an f32 copy and round once into dw. The columns are split over the pool,
// so every thread owns whole columns of dw and no two threads add into one element.
class EmbeddingBackward final : public Kernel {
 public:
  explicit EmbeddingBackward(const CallInfo& call)
      : dy_(call.input(0)), indices_(call.input(1)), dw_(call.output(0)), attrs_(embedding_attrs(call.attrs())) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_any_float(dw_.dtype, [&]<class T>(Tag<T>) {
      using Acc = std::conditional_t<std::is_same_v<T, double>, double, float>;
      const int64_t rows = dw_.shape[0];
      const int64_t width = dw_.shape[1];
      const int64_t lookups = element_count(indices_);
      const std::byte* indices = data_of(call.inputs[1]);
      const T* dy = typed_data<const T>(call.inputs[0]);
      T* dw = typed_data<T>(call.outputs[0]);
      // Which row each lookup adds to (-1: none), read once.
      std::vector<int64_t> target(static_cast<size_t>(lookups));
      walk_coords(indices_.shape, indices_.rank, 0, lookups, [&](const int64_t* at, int64_t p) {
        const int64_t r = load_index(indices_.dtype, indices, offset_of(indices_, at));
        target[static_cast<size_t>(p)] = r >= 0 && r < rows && r != attrs_.padding_idx ? r : -1;
      });
      const int64_t dy_column = dy_.strides[dy_.rank - 1];
      parallel_ranges(
          width,
          [&](int64_t begin, int64_t end) {
            // f32 and f64 add straight into dw; the 16-bit floats into an f32 copy of the columns.
            const int64_t span = end - begin;
            std::vector<Acc> copy;
            Acc* sums = nullptr;
            int64_t row_stride = 0, column_stride = 0;
            if constexpr (std::is_same_v<T, Acc>) {
              sums = dw + begin * dw_.strides[1];
              row_stride = dw_.strides[0];
              column_stride = dw_.strides[1];
            } else {
              copy.resize(static_cast<size_t>(rows * span));
              sums = copy.data();
              row_stride = span;
              column_stride = 1;
            }
            for (int64_t r = 0; r < rows; ++r) {
              for (int64_t c = 0; c < span; ++c) sums[r * row_stride + c * column_stride] = Acc{0};
            }
            walk_coords(indices_.shape, indices_.rank, 0, lookups, [&](const int64_t* at, int64_t p) {
              const int64_t r = target[static_cast<size_t>(p)];
              if (r < 0) return;
              int64_t dy_offset = begin * dy_column;
              for (uint32_t d = 0; d < indices_.rank; ++d) dy_offset += at[d] * dy_.strides[d];
              Acc* row = sums + r * row_stride;
              for (int64_t c = 0; c < span; ++c)
                row[c * column_stride] += static_cast<Acc>(widen(dy[dy_offset + c * dy_column]));
            });
            if constexpr (!std::is_same_v<T, Acc>) {
              for (int64_t r = 0; r < rows; ++r) {
                for (int64_t c = 0; c < span; ++c) {
                  dw[r * dw_.strides[0] + (begin + c) * dw_.strides[1]] = convert<T>(sums[r * span + c]);
                }
              }
            }
          },
          std::max<int64_t>(1, kMinElementsPerThread / std::max<int64_t>(1, lookups + rows)));
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t dy_, indices_, dw_;
  keel_embedding_backward_attrs_t attrs_;
};

// ---- max_pool_backward --------------------------------------------------------------------------------

// dx[n, c, idx] += dy[n, c, o] for idx = indices[n, c, o] in [0, D1·...·Dk) (a row-major spatial position);
// other indices (max_pool's -1) are skipped. Every (n, c) plane is independent, so the planes are split over
// the pool. 16-bit floats sum in an f32 copy of the plane and round once; integers wrap.
class MaxPoolBackward final : public Kernel {
 public:
  explicit MaxPoolBackward(const CallInfo& call) : dy_(call.input(0)), indices_(call.input(1)), dx_(call.output(0)) {
    planes_ = dx_;  // [N, C]
    planes_.rank = 2;
    window_.rank = dy_.rank - 2;  // dy's spatial shape
    area_.rank = dx_.rank - 2;    // dx's spatial shape
    for (uint32_t d = 2; d < dx_.rank; ++d) {
      window_.shape[d - 2] = dy_.shape[d];
      area_.shape[d - 2] = dx_.shape[d];
      area_.strides[d - 2] = dx_.strides[d];
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_data(dx_.dtype, [&]<class T>(Tag<T>) {
      using V = decltype(widen(T{}));
      const T* dy = typed_data<const T>(call.inputs[0]);
      const std::byte* indices = data_of(call.inputs[1]);
      T* dx = typed_data<T>(call.outputs[0]);
      const int64_t area = element_count(area_);
      const int64_t window = element_count(window_);
      parallel_coords(
          planes_,
          [&](const int64_t* at, int64_t) {
            const int64_t dy_plane = at[0] * dy_.strides[0] + at[1] * dy_.strides[1];
            const int64_t index_plane = at[0] * indices_.strides[0] + at[1] * indices_.strides[1];
            T* plane = dx + offset_of(planes_, at);
            const std::unique_ptr<V[]> sums(new V[static_cast<size_t>(area)]());  // zeros
            walk_coords(window_.shape, window_.rank, 0, window, [&](const int64_t* o, int64_t) {
              int64_t dy_offset = dy_plane;
              int64_t index_offset = index_plane;
              for (uint32_t d = 0; d < window_.rank; ++d) {
                dy_offset += o[d] * dy_.strides[d + 2];
                index_offset += o[d] * indices_.strides[d + 2];
              }
              const int64_t idx = reinterpret_cast<const int64_t*>(indices)[index_offset];
              if (idx < 0 || idx >= area) return;
              V& sum = sums[idx];
              sum = combine(Combine::kAdd, sum, widen(dy[dy_offset]));
            });
            walk_coords(area_.shape, area_.rank, 0, area, [&](const int64_t* p, int64_t position) {
              plane[offset_of(area_, p)] = convert<T>(sums[position]);
            });
          },
          std::max<int64_t>(1, kMinElementsPerThread / 4 / std::max<int64_t>(1, area + window)));
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t dy_, indices_, dx_;
  keel_tensor_desc_t planes_{}, window_{}, area_{};
};

std::unique_ptr<Kernel> create_scatter_elements(const CallInfo& call) {
  return std::make_unique<ScatterElements>(call);
}
std::unique_ptr<Kernel> create_scatter_nd(const CallInfo& call) { return std::make_unique<ScatterNd>(call); }
std::unique_ptr<Kernel> create_max_pool_backward(const CallInfo& call) {
  return std::make_unique<MaxPoolBackward>(call);
}
std::unique_ptr<Kernel> create_embedding_backward(const CallInfo& call) {
  return std::make_unique<EmbeddingBackward>(call);
}

// max_pool_backward's T: every numeric dtype and the 8-bit integers.
constexpr std::array<keel_dtype_t, 8> kPoolGradTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_F16, KEEL_DTYPE_BF16,
                                                        KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_I8,  KEEL_DTYPE_U8};

constexpr KernelDef kKernels[] = {
    {"scatter_elements", 1, kDataTypes, nullptr, create_scatter_elements, scatter_elements_key},
    {"scatter_nd", 1, kDataTypes, nullptr, create_scatter_nd, scatter_nd_key},
    {"embedding_backward", 1, kAnyFloatTypes, nullptr, create_embedding_backward, embedding_key},
    {"max_pool_backward", 1, kPoolGradTypes, nullptr, create_max_pool_backward, nullptr},
};

}  // namespace

std::span<const KernelDef> scatter_kernels() { return kKernels; }

}  // namespace keel::onednn
