#include "binary_primitive.h"

#include <optional>

#include "device.h"
#include "dnnl_util.h"
#include "queue.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

class BinaryPrimitive final : public Kernel {
 public:
  BinaryPrimitive(const dnnl::binary::primitive_desc& pd, bool swapped)
      : src0_(pd.src_desc(0)), src1_(pd.src_desc(1)), dst_(pd.dst_desc()), swapped_(swapped),
        impl_(impl_name(pd)), primitive_(pd) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    void* first = data_of(call.inputs[swapped_ ? 1 : 0]);
    void* second = data_of(call.inputs[swapped_ ? 0 : 1]);
    primitive_.execute(queue.stream(), {{DNNL_ARG_SRC_0, dnnl::memory(src0_, engine, first)},
                                        {DNNL_ARG_SRC_1, dnnl::memory(src1_, engine, second)},
                                        {DNNL_ARG_DST, dnnl::memory(dst_, engine, data_of(call.outputs[0]))}});
    queue.stream().wait();
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return concat("oneDNN binary ", impl_, swapped_ ? " (operands swapped)" : ""); }

 private:
  dnnl::memory::desc src0_, src1_, dst_;
  bool swapped_;
  std::string impl_;
  dnnl::binary primitive_;
};

// `t` described with the output's rank: leading size-1 dimensions, and broadcast (stride 0) dimensions as
// size 1, which is how oneDNN expresses broadcasting.
std::optional<dnnl::memory::desc> broadcast_desc(const keel_tensor_desc_t& t, uint32_t rank,
                                                 dnnl::memory::data_type type) {
  int64_t dims[KEEL_MAX_RANK];
  int64_t strides[KEEL_MAX_RANK];
  const uint32_t shift = rank - t.rank;
  for (uint32_t d = 0; d < rank; ++d) {
    dims[d] = d < shift ? 1 : t.shape[d - shift];
    strides[d] = d < shift ? 1 : t.strides[d - shift];
    if (strides[d] == 0) dims[d] = 1;
  }
  return strided_desc({dims, rank}, {strides, rank}, type);
}

bool broadcasts(const keel_tensor_desc_t& t, const keel_tensor_desc_t& out) {
  if (t.rank != out.rank) return true;
  for (uint32_t d = 0; d < t.rank; ++d) {
    if (t.shape[d] != out.shape[d] || (t.shape[d] > 1 && t.strides[d] == 0)) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<Kernel> try_binary_primitive(const CallInfo& call, dnnl::algorithm algorithm, bool commutative,
                                             int64_t min_elements) {
  const keel_tensor_desc_t& y = call.output(0);
  if (element_count(y) < min_elements || y.rank == 0) return nullptr;
  const std::optional<dnnl::memory::data_type> type = dnnl_type(y.dtype);
  if (!type) return nullptr;
  bool swapped = false;
  const keel_tensor_desc_t* first = &call.input(0);
  const keel_tensor_desc_t* second = &call.input(1);
  if (broadcasts(*first, y)) {
    if (!commutative || broadcasts(*second, y)) return nullptr;
    std::swap(first, second);
    swapped = true;
  }
  const std::optional<dnnl::memory::desc> src0 = desc_of(*first);
  const std::optional<dnnl::memory::desc> src1 = broadcast_desc(*second, y.rank, *type);
  const std::optional<dnnl::memory::desc> dst = desc_of(y);
  if (!src0 || !src1 || !dst) return nullptr;
  try {
    dnnl::binary::primitive_desc pd(dnnl::binary::desc(algorithm, *src0, *src1, *dst), call.device().engine());
    if (is_reference_impl(pd)) return nullptr;
    return std::make_unique<BinaryPrimitive>(pd, swapped);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

}  // namespace keel::onednn
