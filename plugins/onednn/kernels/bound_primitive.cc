#include "bound_primitive.h"

#include "copy.h"
#include "device.h"
#include "dnnl_util.h"
#include "queue.h"
#include "scratch.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

dnnl::memory::desc dense_desc(const keel_tensor_desc_t& view) {
  const keel_tensor_desc_t dense = dense_like(view);
  return *strided_desc({dense.shape, dense.rank}, {dense.strides, dense.rank}, *dnnl_type(view.dtype));
}

}  // namespace

dnnl::memory::desc BoundPrimitive::user_desc(const keel_tensor_desc_t& view) {
  if (std::optional<dnnl::memory::desc> md = desc_of(view)) return *md;
  return dense_desc(view);
}

void BoundPrimitive::bind(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive,
                          const std::vector<Argument>& arguments, const dnnl::engine& engine) {
  primitive_ = std::move(primitive);
  impl_ = impl_name(pd);
  for (const Argument& argument : arguments) {
    Bound b;
    b.argument = argument;
    std::optional<dnnl::memory::desc> described = desc_of(argument.view);
    b.packed = !described;
    b.user = described ? *described : dense_desc(argument.view);
    b.wanted = pd.query_md(dnnl::query::exec_arg_md, argument.dnnl_arg);
    if (b.user != b.wanted) {
      b.reorder = argument.output ? dnnl::reorder(dnnl::reorder::primitive_desc(engine, b.wanted, engine, b.user))
                                  : dnnl::reorder(dnnl::reorder::primitive_desc(engine, b.user, engine, b.wanted));
    }
    bound_.push_back(std::move(b));
  }
}

void BoundPrimitive::execute(Queue& queue, const keel_kernel_call_t& call, int first_slot) const {
  const dnnl::engine& engine = queue.device().engine();
  dnnl::stream& stream = queue.stream();
  ExecArgs args;
  struct Pending {
    const Bound* bound;
    dnnl::memory user;
    dnnl::memory wanted;
    keel_tensor_desc_t view;
    keel_tensor_desc_t dense;
  };
  std::vector<Pending> outputs;
  int slot = first_slot;
  for (const Bound& b : bound_) {
    const keel_tensor_desc_t& tensor = b.argument.output ? call.outputs[b.argument.tensor] : call.inputs[b.argument.tensor];
    keel_tensor_desc_t view = b.argument.view;
    view.data = data_of(tensor);
    keel_tensor_desc_t dense{};
    void* user_data = view.data;
    if (b.packed) {
      dense = dense_like(view);
      dense.data = thread_scratch(slot, b.user.get_size());
      if (!b.argument.output) copy_tensor(dense, view);
      user_data = dense.data;
    }
    dnnl::memory user(b.user, engine, user_data);
    dnnl::memory wanted = user;
    if (b.reorder) {
      wanted = dnnl::memory(b.wanted, engine, thread_scratch(slot + 1, b.wanted.get_size()));
      if (!b.argument.output) b.reorder->execute(stream, user, wanted);
    }
    slot += 2;
    args.emplace(b.argument.dnnl_arg, wanted);
    if (b.argument.output) outputs.push_back({&b, user, wanted, view, dense});
  }
  primitive_.execute(stream, args);
  for (Pending& p : outputs) {
    if (p.bound->reorder) p.bound->reorder->execute(stream, p.wanted, p.user);
  }
  stream.wait();
  for (const Pending& p : outputs) {
    if (p.bound->packed) copy_tensor(p.view, p.dense);
  }
}

std::string BoundPrimitive::describe() const {
  std::string text = impl_;
  int reorders = 0;
  int packed = 0;
  for (const Bound& b : bound_) {
    reorders += b.reorder ? 1 : 0;
    packed += b.packed ? 1 : 0;
  }
  if (reorders > 0) text += concat(", ", reorders, " reorder(s)");
  if (packed > 0) text += concat(", ", packed, " packed argument(s)");
  return text;
}

}  // namespace keel::onednn
