// matmul (ir_spec/ops/linalg.yaml): numpy matmul with batch broadcasting, on oneDNN's matmul primitive.
//
// Mapping. Both operands are promoted to rank batch+2 (a 1-D a is [1, K], a 1-D b is [K, 1]; the output gets
// size-1 dimensions where M or N was dropped), and the batch dimensions are aligned from the right. oneDNN's
// matmul broadcasts batch dimensions of size 1 itself, so an operand's batch dimension that has size 1, or
// stride 0 (an expanded view), is described to oneDNN as size 1 (unless the other operand is 1 there too:
// oneDNN needs the output's size on one of them, so the expanded operand is packed at its full size). Every
// operand keeps its own strides (transposed views included) when oneDNN has a JIT implementation for them;
// when it would fall back to its reference implementation, or cannot describe a view at all (negative
// strides), the offending operands are packed into dense scratch memory first (and a packed output is copied
// into place afterwards). A problem oneDNN has no implementation for at all fails with UNIMPLEMENTED.
//
// Special cases: K = 0 gives zeros; small problems (up to kSmallWork multiply-adds) use a plain loop that
// accumulates in f64 and avoids oneDNN's per-execution overhead. f64 and f16 are declined: oneDNN 2.6 has no
// f64 matmul, and no f16 matmul without AVX512-FP16.
#include <algorithm>
#include <array>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>

#include "copy.h"
#include "device.h"
#include "dnnl_util.h"
#include "dtype.h"
#include "kernels.h"
#include "queue.h"
#include "scratch.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

constexpr int64_t kSmallWork = 4096;

// One operand as oneDNN sees it: its view promoted to the common rank, the descriptor, and whether it is
// packed into dense scratch first (or, for the output, computed in scratch and copied back).
struct Operand {
  keel_tensor_desc_t view{};         // promoted view of the caller's tensor (data filled per call)
  keel_tensor_desc_t dense{};        // the packed layout, when packed
  bool packed = false;
  dnnl::memory::desc md;
};

struct Geometry {
  uint32_t rank = 2;  // batch + 2
  int64_t m = 0, n = 0, k = 0;
  int64_t batch = 1;  // product of the output's batch dimensions
};

// Promotes `t` to `rank` dimensions: leading 1s, and a 1-D operand made a row (a) or a column (b).
keel_tensor_desc_t promote(const keel_tensor_desc_t& t, uint32_t rank, bool is_a) {
  keel_tensor_desc_t p{};
  p.dtype = t.dtype;
  p.rank = rank;
  int64_t shape[KEEL_MAX_RANK];
  int64_t strides[KEEL_MAX_RANK];
  uint32_t r = t.rank;
  for (uint32_t d = 0; d < r; ++d) {
    shape[d] = t.shape[d];
    strides[d] = t.strides[d];
  }
  if (r == 1) {
    if (is_a) {  // [K] -> [1, K]
      shape[1] = shape[0];
      strides[1] = strides[0];
      shape[0] = 1;
      strides[0] = 0;
    } else {  // [K] -> [K, 1]
      shape[1] = 1;
      strides[1] = 0;
    }
    r = 2;
  }
  const uint32_t shift = rank - r;
  for (uint32_t d = 0; d < rank; ++d) {
    p.shape[d] = d < shift ? 1 : shape[d - shift];
    p.strides[d] = d < shift ? 0 : strides[d - shift];
  }
  // Broadcast batch dimensions (stride 0) are size 1 to oneDNN, which broadcasts them again.
  for (uint32_t d = 0; d + 2 < rank; ++d) {
    if (p.strides[d] == 0) p.shape[d] = 1;
  }
  return p;
}

// The output promoted to `rank`: size-1 dimensions where a 1-D operand dropped M or N.
keel_tensor_desc_t promote_output(const keel_tensor_desc_t& y, uint32_t rank, bool a_is_vector, bool b_is_vector) {
  keel_tensor_desc_t p{};
  p.dtype = y.dtype;
  p.rank = rank;
  int64_t shape[KEEL_MAX_RANK + 2];
  int64_t strides[KEEL_MAX_RANK + 2];
  uint32_t r = 0;
  for (uint32_t d = 0; d < y.rank; ++d, ++r) {
    shape[r] = y.shape[d];
    strides[r] = y.strides[d];
  }
  if (b_is_vector) {  // N dropped: append it
    shape[r] = 1;
    strides[r] = 1;
    ++r;
  }
  if (a_is_vector) {  // M dropped: insert it before N
    shape[r] = shape[r - 1];
    strides[r] = strides[r - 1];
    shape[r - 1] = 1;
    strides[r - 1] = 0;
    ++r;
  }
  const uint32_t shift = rank - r;
  for (uint32_t d = 0; d < rank; ++d) {
    p.shape[d] = d < shift ? 1 : shape[d - shift];
    p.strides[d] = d < shift ? 0 : strides[d - shift];
  }
  return p;
}

// oneDNN broadcasts a batch dimension of size 1 against the other operand's, but the output's batch
// dimensions must be those of an operand: where both operands are 1 (at least one of them an expanded view,
// stride 0) and the output is not, the expanded operand gets its full size back. It cannot be described with
// a zero stride, so it is packed (the expansion materialized).
void restore_expanded_batch(const keel_tensor_desc_t& a, keel_tensor_desc_t& a_view, keel_tensor_desc_t& b_view,
                            const keel_tensor_desc_t& y_view) {
  const uint32_t rank = y_view.rank;
  for (uint32_t d = 0; d + 2 < rank; ++d) {
    if (y_view.shape[d] == 1 || a_view.shape[d] != 1 || b_view.shape[d] != 1) continue;
    // The operand whose caller shape has the full size here (a batch dimension of a reaches this far only
    // when a has it; otherwise b is the expanded one).
    const uint32_t a_shift = rank - std::max<uint32_t>(a.rank, 2);
    const bool a_expanded = d >= a_shift && a.rank >= 2 && a.shape[d - a_shift] == y_view.shape[d];
    keel_tensor_desc_t& view = a_expanded ? a_view : b_view;
    view.shape[d] = y_view.shape[d];
    view.strides[d] = 0;
  }
}

std::string text_of(const keel_tensor_desc_t& t) {
  std::string text = "[";
  for (uint32_t d = 0; d < t.rank; ++d) text += concat(d ? "," : "", t.shape[d]);
  return text + "]";
}

dnnl::memory::desc dense_md(const keel_tensor_desc_t& view, dnnl::memory::data_type type) {
  const keel_tensor_desc_t dense = dense_like(view);
  return *strided_desc({dense.shape, dense.rank}, {dense.strides, dense.rank}, type);
}

void use_dense(Operand& operand, dnnl::memory::data_type type) {
  operand.packed = true;
  operand.dense = dense_like(operand.view);
  operand.md = dense_md(operand.view, type);
}

class MatmulPrimitive final : public Kernel {
 public:
  MatmulPrimitive(const CallInfo& call, const Geometry& geometry) : geometry_(geometry) {
    const keel_tensor_desc_t& a = call.input(0);
    const keel_tensor_desc_t& b = call.input(1);
    const keel_tensor_desc_t& y = call.output(0);
    const uint32_t rank = geometry.rank;
    a_.view = promote(a, rank, true);
    b_.view = promote(b, rank, false);
    y_.view = promote_output(y, rank, a.rank == 1, b.rank == 1);
    restore_expanded_batch(a, a_.view, b_.view, y_.view);
    const dnnl::memory::data_type type = *dnnl_type(a.dtype);
    const dnnl::engine& engine = call.device().engine();
    // First try: every operand with its own strides.
    for (Operand* operand : {&a_, &b_, &y_}) {
      std::optional<dnnl::memory::desc> md =
          strided_desc({operand->view.shape, rank}, {operand->view.strides, rank}, type);
      if (md) {
        operand->md = *md;
      } else {
        use_dense(*operand, type);
      }
    }
    std::optional<dnnl::matmul::primitive_desc> pd = matmul_pd(engine);
    if (!pd || is_reference_impl(*pd)) {
      // Second try: dense operands, which the JIT implementations all take.
      for (Operand* operand : {&a_, &b_, &y_}) {
        if (!operand->packed && !is_dense(operand->view)) use_dense(*operand, type);
      }
      pd = matmul_pd(engine);
    }
    if (!pd) {
      fail(KEEL_STATUS_UNIMPLEMENTED, "matmul: oneDNN has no ", dtype_name(a.dtype), " implementation for a ",
           text_of(a_.view), " x ", text_of(b_.view), " -> ", text_of(y_.view), " problem");
    }
    // Execute with the descriptors as oneDNN normalized them.
    a_.md = pd->src_desc();
    b_.md = pd->weights_desc();
    y_.md = pd->dst_desc();
    impl_ = impl_name(*pd);
    primitive_ = dnnl::matmul(*pd);
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    Scratch scratch[3];
    void* pointers[3];
    const Operand* operands[3] = {&a_, &b_, &y_};
    const keel_tensor_desc_t* tensors[3] = {&call.inputs[0], &call.inputs[1], &call.outputs[0]};
    for (int i = 0; i < 3; ++i) {
      const Operand& operand = *operands[i];
      keel_tensor_desc_t view = operand.view;
      view.data = data_of(*tensors[i]);
      if (!operand.packed) {
        pointers[i] = view.data;
        continue;
      }
      keel_tensor_desc_t dense = operand.dense;
      scratch[i] = Scratch(static_cast<size_t>(element_count(dense)) * dtype_size(dense.dtype));
      dense.data = scratch[i].data();
      if (i < 2) copy_tensor(dense, view);  // pack an input
      pointers[i] = dense.data;
    }
    primitive_.execute(queue.stream(), {{DNNL_ARG_SRC, dnnl::memory(a_.md, engine, pointers[0])},
                                        {DNNL_ARG_WEIGHTS, dnnl::memory(b_.md, engine, pointers[1])},
                                        {DNNL_ARG_DST, dnnl::memory(y_.md, engine, pointers[2])}});
    queue.stream().wait();
    if (y_.packed) {
      keel_tensor_desc_t view = y_.view;
      view.data = data_of(call.outputs[0]);
      keel_tensor_desc_t dense = y_.dense;
      dense.data = pointers[2];
      copy_tensor(view, dense);
    }
  }

  std::string describe() const override {
    return concat("oneDNN matmul ", impl_, a_.packed || b_.packed || y_.packed ? " (packed operands)" : "");
  }

 private:
  // The primitive descriptor for the operands' current descriptors, or nullopt when oneDNN has none.
  std::optional<dnnl::matmul::primitive_desc> matmul_pd(const dnnl::engine& engine) const {
    try {
      return dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_.md, b_.md, y_.md), engine);
    } catch (const dnnl::error&) {
      return std::nullopt;
    }
  }

  Geometry geometry_;
  Operand a_, b_, y_;
  std::string impl_;
  dnnl::matmul primitive_;
};

// Small f32 problems: a direct loop accumulating in f64.
class MatmulLoop final : public Kernel {
 public:
  MatmulLoop(const CallInfo& call, const Geometry& geometry) : geometry_(geometry) {
    const uint32_t rank = geometry.rank;
    a_ = promote(call.input(0), rank, true);
    b_ = promote(call.input(1), rank, false);
    y_ = promote_output(call.output(0), rank, call.input(0).rank == 1, call.input(1).rank == 1);
  }

  void run(Queue&, const keel_kernel_call_t& call) const override {
    const float* a = typed_data<float>(call.inputs[0]);
    const float* b = typed_data<float>(call.inputs[1]);
    float* y = typed_data<float>(call.outputs[0]);
    const uint32_t rank = geometry_.rank;
    const uint32_t batch_rank = rank - 2;
    const int64_t m_count = geometry_.m, n_count = geometry_.n, k_count = geometry_.k;
    int64_t index[KEEL_MAX_RANK] = {};
    for (int64_t batch = 0; batch < geometry_.batch; ++batch) {
      int64_t rest = batch;
      for (uint32_t d = batch_rank; d-- > 0;) {
        index[d] = rest % y_.shape[d];
        rest /= y_.shape[d];
      }
      int64_t ao = 0, bo = 0, yo = 0;
      for (uint32_t d = 0; d < batch_rank; ++d) {
        ao += (a_.shape[d] == 1 ? 0 : index[d]) * a_.strides[d];
        bo += (b_.shape[d] == 1 ? 0 : index[d]) * b_.strides[d];
        yo += index[d] * y_.strides[d];
      }
      for (int64_t m = 0; m < m_count; ++m) {
        for (int64_t n = 0; n < n_count; ++n) {
          double sum = 0.0;
          for (int64_t k = 0; k < k_count; ++k) {
            sum += static_cast<double>(a[ao + m * a_.strides[rank - 2] + k * a_.strides[rank - 1]]) *
                   static_cast<double>(b[bo + k * b_.strides[rank - 2] + n * b_.strides[rank - 1]]);
          }
          y[yo + m * y_.strides[rank - 2] + n * y_.strides[rank - 1]] = static_cast<float>(sum);
        }
      }
    }
  }

  std::string describe() const override { return "loop (small problem, f64 accumulation)"; }

 private:
  Geometry geometry_;
  keel_tensor_desc_t a_{}, b_{}, y_{};
};

Geometry geometry_of(const CallInfo& call) {
  const keel_tensor_desc_t& a = call.input(0);
  const keel_tensor_desc_t& b = call.input(1);
  const keel_tensor_desc_t& y = call.output(0);
  Geometry g;
  const uint32_t a_rank = std::max<uint32_t>(a.rank, 2);
  const uint32_t b_rank = std::max<uint32_t>(b.rank, 2);
  g.rank = std::max(a_rank, b_rank);
  g.k = a.shape[a.rank - 1];
  g.m = a.rank == 1 ? 1 : a.shape[a.rank - 2];
  g.n = b.rank == 1 ? 1 : b.shape[b.rank - 1];
  const int64_t dropped = (a.rank == 1 ? 1 : 0) + (b.rank == 1 ? 1 : 0);
  for (uint32_t d = 0; d + 2 < y.rank + static_cast<uint32_t>(dropped); ++d) g.batch *= y.shape[d];
  return g;
}

void supports_matmul(const CallInfo& call) {
  const keel_dtype_t dtype = call.input(0).dtype;
  if (dtype == KEEL_DTYPE_F64) decline("f64: oneDNN 2.6 has no f64 matmul");
  if (dtype == KEEL_DTYPE_F16) decline("f16: oneDNN 2.6 has no f16 matmul on CPUs without AVX512-FP16");
  if (dtype != KEEL_DTYPE_F32 && dtype != KEEL_DTYPE_BF16) decline("dtype ", dtype_name(dtype), " not implemented");
}

// K = 0 (an empty sum) or an empty output: the output is all +0 (all-zero bits in every float dtype).
class MatmulZeros final : public Kernel {
 public:
  void run(Queue&, const keel_kernel_call_t& call) const override { fill_zero_bits(call.outputs[0]); }
  std::string describe() const override { return "zeros (K = 0)"; }
};

std::unique_ptr<Kernel> create_matmul(const CallInfo& call) {
  const Geometry g = geometry_of(call);
  if (g.k == 0 || g.batch * g.m * g.n == 0) return std::make_unique<MatmulZeros>();
  if (call.input(0).dtype == KEEL_DTYPE_F32 && g.batch * g.m * g.n * g.k <= kSmallWork) {
    return std::make_unique<MatmulLoop>(call, g);
  }
  return std::make_unique<MatmulPrimitive>(call, g);
}

constexpr std::array<keel_dtype_t, 2> kMatmulTypes = {KEEL_DTYPE_F32, KEEL_DTYPE_BF16};

constexpr KernelDef kKernels[] = {
    {"matmul", 1, kMatmulTypes, supports_matmul, create_matmul, nullptr},
};

}  // namespace

std::span<const KernelDef> matmul_kernels() { return kKernels; }

}  // namespace keel::onednn
