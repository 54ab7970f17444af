// Gathers (indexing.yaml): gather, gather_elements, gather_nd, one_hot and nonzero, as the plugin's own
// loops over the output's coordinates. Indices outside the accepted range read as 0 (false for bool), as
// the spec defines it: kernels run after validation and cannot fail on data. Values are moved as raw words
// of their size, so every dtype of the `data` set shares one loop.
#include <algorithm>
#include <cstring>

#include "attrs.h"
#include "convert.h"
#include "coords.h"
#include "keel/keel_ops.h"
#include "kernels.h"
#include "signature.h"

namespace keel::onednn {
namespace {

// ---- gather -------------------------------------------------------------------------------------------

int64_t gather_axis(const void* raw) {
  constexpr keel_gather_attrs_t kDefaults = KEEL_GATHER_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_gather_attrs_t::axis).axis;
}

void gather_key(const void* raw, SignatureKey& key) { key.push(gather_axis(raw)); }

// y[outer, j, inner] = x[outer, indices[j], inner]. When the inner axes are one dense run in both x and y
// (an embedding lookup: whole rows), each (outer, j) copies its run with memcpy.
class Gather final : public Kernel {
 public:
  explicit Gather(const CallInfo& call)
      : x_(call.input(0)),
        indices_(call.input(1)),
        y_(call.output(0)),
        axis_(normalize_axis(gather_axis(call.attrs()), call.input(0).rank)) {
    const uint32_t inner_axes = x_.rank - 1 - axis_;
    for (uint32_t d = axis_ + 1; d < x_.rank; ++d) run_ *= x_.shape[d];
    if (run_ >= kMinRun && dense_tail(x_, inner_axes) && dense_tail(y_, inner_axes)) {
      heads_ = y_;  // y without its inner axes: one entry per run
      heads_.rank = y_.rank - inner_axes;
    } else {
      run_ = 0;
    }
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    if (run_ > 0) {
      copy_runs(call);
      return;
    }
    visit_bits(dtype_size(y_.dtype), [&]<class W>(Tag<W>) {
      const W* x = typed_data<const W>(call.inputs[0]);
      const std::byte* indices = data_of(call.inputs[1]);
      W* y = typed_data<W>(call.outputs[0]);
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        const int64_t i = index_at(indices, at);
        W value{0};
        if (i >= 0) {
          int64_t x_offset = i * x_.strides[axis_];
          for (uint32_t d = 0; d < axis_; ++d) x_offset += at[d] * x_.strides[d];
          for (uint32_t d = axis_ + 1; d < x_.rank; ++d) x_offset += at[d - 1 + indices_.rank] * x_.strides[d];
          value = x[x_offset];
        }
        y[offset_of(y_, at)] = value;
      });
    });
  }
  std::string describe() const override { return run_ > 0 ? "row copies" : "loop"; }

 private:
  static constexpr int64_t kMinRun = 8;

  // The wrapped index for output coordinates `at` (-1: out of range).
  int64_t index_at(const std::byte* indices, const int64_t* at) const {
    int64_t offset = 0;
    for (uint32_t d = 0; d < indices_.rank; ++d) offset += at[axis_ + d] * indices_.strides[d];
    return wrap_index(load_index(indices_.dtype, indices, offset), x_.shape[axis_]);
  }

  void copy_runs(const keel_kernel_call_t& call) const {
    const size_t size = dtype_size(y_.dtype);
    const auto* x = data_of(call.inputs[0]);
    const std::byte* indices = data_of(call.inputs[1]);
    std::byte* y = data_of(call.outputs[0]);
    const size_t bytes = static_cast<size_t>(run_) * size;
    parallel_coords(
        heads_,
        [&](const int64_t* at, int64_t) {
          std::byte* to = y + offset_of(heads_, at) * static_cast<int64_t>(size);
          const int64_t i = index_at(indices, at);
          if (i < 0) {
            std::memset(to, 0, bytes);
            return;
          }
          int64_t x_offset = i * x_.strides[axis_];
          for (uint32_t d = 0; d < axis_; ++d) x_offset += at[d] * x_.strides[d];
          std::memcpy(to, x + x_offset * static_cast<int64_t>(size), bytes);
        },
        std::max<int64_t>(1, kMinElementsPerThread / run_));
  }

  keel_tensor_desc_t x_, indices_, y_;
  uint32_t axis_;
  int64_t run_ = 1;  // elements per dense run of the inner axes; 0: no row copies
  keel_tensor_desc_t heads_{};
};

// ---- gather_elements ----------------------------------------------------------------------------------

int64_t gather_elements_axis(const void* raw) {
  constexpr keel_gather_elements_attrs_t kDefaults = KEEL_GATHER_ELEMENTS_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_gather_elements_attrs_t::axis).axis;
}

void gather_elements_key(const void* raw, SignatureKey& key) { key.push(gather_elements_axis(raw)); }

// y[p] = x[p with its axis coordinate replaced by indices[p]].
class GatherElements final : public Kernel {
 public:
  explicit GatherElements(const CallInfo& call)
      : x_(call.input(0)),
        indices_(call.input(1)),
        y_(call.output(0)),
        axis_(normalize_axis(gather_elements_axis(call.attrs()), call.input(0).rank)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_bits(dtype_size(y_.dtype), [&]<class W>(Tag<W>) {
      const W* x = typed_data<const W>(call.inputs[0]);
      const std::byte* indices = data_of(call.inputs[1]);
      W* y = typed_data<W>(call.outputs[0]);
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        const int64_t i = wrap_index(load_index(indices_.dtype, indices, offset_of(indices_, at)), x_.shape[axis_]);
        W value{0};
        if (i >= 0) value = x[offset_of(x_, at) + (i - at[axis_]) * x_.strides[axis_]];
        y[offset_of(y_, at)] = value;
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, indices_, y_;
  uint32_t axis_;
};

// ---- gather_nd ----------------------------------------------------------------------------------------

int64_t gather_nd_batch_dims(const void* raw) {
  constexpr keel_gather_nd_attrs_t kDefaults = KEEL_GATHER_ND_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &keel_gather_nd_attrs_t::batch_dims).batch_dims;
}

void gather_nd_key(const void* raw, SignatureKey& key) { key.push(gather_nd_batch_dims(raw)); }

// y[p, s] = x[p[:b], t, s] with the tuple t = indices[p, :]; a tuple with any entry out of range gives 0.
class GatherNd final : public Kernel {
 public:
  explicit GatherNd(const CallInfo& call)
      : x_(call.input(0)),
        indices_(call.input(1)),
        y_(call.output(0)),
        batch_(static_cast<uint32_t>(gather_nd_batch_dims(call.attrs()))),
        tuple_(static_cast<uint32_t>(call.input(1).shape[call.input(1).rank - 1])) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_bits(dtype_size(y_.dtype), [&]<class W>(Tag<W>) {
      const W* x = typed_data<const W>(call.inputs[0]);
      const std::byte* indices = data_of(call.inputs[1]);
      W* y = typed_data<W>(call.outputs[0]);
      const uint32_t positions = indices_.rank - 1;  // y's leading axes walk indices.shape[:-1]
      const int64_t tuple_stride = indices_.strides[indices_.rank - 1];
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        int64_t index_offset = 0;
        for (uint32_t d = 0; d < positions; ++d) index_offset += at[d] * indices_.strides[d];
        int64_t x_offset = 0;
        for (uint32_t d = 0; d < batch_; ++d) x_offset += at[d] * x_.strides[d];
        bool inside = true;
        for (uint32_t j = 0; j < tuple_ && inside; ++j) {
          const int64_t i =
              wrap_index(load_index(indices_.dtype, indices, index_offset + j * tuple_stride), x_.shape[batch_ + j]);
          inside = i >= 0;
          x_offset += i * x_.strides[batch_ + j];
        }
        for (uint32_t d = batch_ + tuple_; d < x_.rank; ++d)
          x_offset += at[positions + d - batch_ - tuple_] * x_.strides[d];
        y[offset_of(y_, at)] = inside ? x[x_offset] : W{0};
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, indices_, y_;
  uint32_t batch_;
  uint32_t tuple_;
};

// ---- one_hot ------------------------------------------------------------------------------------------

keel_one_hot_attrs_t one_hot_attrs(const void* raw) {
  using A = keel_one_hot_attrs_t;
  constexpr A kDefaults = KEEL_ONE_HOT_ATTRS_INIT;
  return read_attrs(raw, kDefaults, &A::depth, &A::axis, &A::on_value, &A::off_value, &A::dtype);
}

void one_hot_key(const void* raw, SignatureKey& key) {
  const keel_one_hot_attrs_t a = one_hot_attrs(raw);
  key.push(a.depth);
  key.push(a.axis);
  key.push_double(a.on_value);
  key.push_double(a.off_value);
  key.push(a.dtype);
}

// y = on_value where the coordinate along the new axis equals the (wrapped) index, off_value elsewhere.
class OneHot final : public Kernel {
 public:
  explicit OneHot(const CallInfo& call)
      : indices_(call.input(0)), y_(call.output(0)), attrs_(one_hot_attrs(call.attrs())) {
    axis_ = normalize_axis(attrs_.axis, y_.rank);
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    visit_every(y_.dtype, [&]<class T>(Tag<T>) {
      const T on = convert<T>(attrs_.on_value);
      const T off = convert<T>(attrs_.off_value);
      const std::byte* indices = data_of(call.inputs[0]);
      T* y = typed_data<T>(call.outputs[0]);
      parallel_coords(y_, [&](const int64_t* at, int64_t) {
        int64_t index_offset = 0;
        for (uint32_t d = 0; d < indices_.rank; ++d) index_offset += at[d < axis_ ? d : d + 1] * indices_.strides[d];
        const int64_t i = wrap_index(load_index(indices_.dtype, indices, index_offset), attrs_.depth);
        y[offset_of(y_, at)] = at[axis_] == i ? on : off;
      });
    });
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t indices_, y_;
  keel_one_hot_attrs_t attrs_;
  uint32_t axis_ = 0;
};

// ---- nonzero ------------------------------------------------------------------------------------------

// Non-zero as the spec defines it: x != 0 on the value (NaN counts, -0 does not).
template <class T>
bool is_nonzero(T value) {
  if constexpr (kIsHalf<T>)
    return to_float(value) != 0.0f;
  else
    return value != T{0};
}

// Serial: column j depends on how many non-zero elements precede it.
class Nonzero final : public Kernel {
 public:
  explicit Nonzero(const CallInfo& call) : x_(call.input(0)), indices_(call.output(0)), count_(call.output(1)) {}

  void run(Queue&, const keel_kernel_call_t& call) const override {
    int64_t* indices = typed_data<int64_t>(call.outputs[0]);
    const int64_t columns = element_count(x_);
    const int64_t row = indices_.strides[0];
    const int64_t column = indices_.strides[1];
    int64_t found = 0;
    visit_data(x_.dtype, [&]<class T>(Tag<T>) {
      const T* x = typed_data<const T>(call.inputs[0]);
      walk_coords(x_.shape, x_.rank, 0, columns, [&](const int64_t* at, int64_t) {
        if (!is_nonzero(x[offset_of(x_, at)])) return;
        for (uint32_t d = 0; d < x_.rank; ++d) indices[d * row + found * column] = at[d];
        ++found;
      });
    });
    for (uint32_t d = 0; d < x_.rank; ++d) {
      for (int64_t j = found; j < columns; ++j) indices[d * row + j * column] = -1;
    }
    *typed_data<int64_t>(call.outputs[1]) = found;
  }
  std::string describe() const override { return "loop"; }

 private:
  keel_tensor_desc_t x_, indices_, count_;
};

std::unique_ptr<Kernel> create_gather(const CallInfo& call) { return std::make_unique<Gather>(call); }
std::unique_ptr<Kernel> create_gather_elements(const CallInfo& call) { return std::make_unique<GatherElements>(call); }
std::unique_ptr<Kernel> create_gather_nd(const CallInfo& call) { return std::make_unique<GatherNd>(call); }
std::unique_ptr<Kernel> create_one_hot(const CallInfo& call) { return std::make_unique<OneHot>(call); }
std::unique_ptr<Kernel> create_nonzero(const CallInfo& call) { return std::make_unique<Nonzero>(call); }

void supports_one_hot(const CallInfo& call) {
  if (!listed(kEveryType, call.output(0).dtype))
    decline("output dtype ", dtype_name(call.output(0).dtype), " is not implemented");
}

constexpr KernelDef kKernels[] = {
    {"gather", 1, kDataTypes, nullptr, create_gather, gather_key},
    {"gather_elements", 1, kDataTypes, nullptr, create_gather_elements, gather_elements_key},
    {"gather_nd", 1, kDataTypes, nullptr, create_gather_nd, gather_nd_key},
    {"one_hot", 1, kIndexTypes, supports_one_hot, create_one_hot, one_hot_key},
    {"nonzero", 1, kDataTypes, nullptr, create_nonzero, nullptr},
};

}  // namespace

std::span<const KernelDef> indexing_kernels() { return kKernels; }

}  // namespace keel::onednn
