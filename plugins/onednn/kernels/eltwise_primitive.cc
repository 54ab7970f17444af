#include "eltwise_primitive.h"

#include "device.h"
#include "dnnl_util.h"
#include "queue.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

class EltwisePrimitive final : public Kernel {
 public:
  explicit EltwisePrimitive(const dnnl::eltwise_forward::primitive_desc& pd)
      : src_(pd.src_desc()), dst_(pd.dst_desc()), impl_(impl_name(pd)), primitive_(pd) {}

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const dnnl::engine& engine = queue.device().engine();
    primitive_.execute(queue.stream(), {{DNNL_ARG_SRC, dnnl::memory(src_, engine, data_of(call.inputs[0]))},
                                        {DNNL_ARG_DST, dnnl::memory(dst_, engine, data_of(call.outputs[0]))}});
    queue.stream().wait();
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "oneDNN eltwise " + impl_; }

 private:
  dnnl::memory::desc src_, dst_;
  std::string impl_;
  dnnl::eltwise_forward primitive_;
};

bool same_layout(const keel_tensor_desc_t& a, const keel_tensor_desc_t& b) {
  if (a.rank != b.rank || a.dtype != b.dtype) return false;
  for (uint32_t d = 0; d < a.rank; ++d) {
    if (a.shape[d] != b.shape[d] || (a.shape[d] != 1 && a.strides[d] != b.strides[d])) return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Kernel> try_eltwise_primitive(const CallInfo& call, dnnl::algorithm algorithm, float alpha,
                                              float beta, int64_t min_elements) {
  const keel_tensor_desc_t& x = call.input(0);
  const keel_tensor_desc_t& y = call.output(0);
  if (element_count(y) < min_elements || !same_layout(x, y)) return nullptr;
  const std::optional<dnnl::memory::desc> md = desc_of(x);
  if (!md) return nullptr;
  try {
    dnnl::eltwise_forward::primitive_desc pd(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, algorithm, *md, alpha, beta),
        call.device().engine());
    if (is_reference_impl(pd)) return nullptr;
    return std::make_unique<EltwisePrimitive>(pd);
  } catch (const dnnl::error&) {
    return nullptr;  // oneDNN has no implementation for this case: the caller's loop takes it
  }
}

}  // namespace keel::onednn
