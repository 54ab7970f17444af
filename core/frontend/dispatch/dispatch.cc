#include "dispatch/dispatch.h"

#include <array>
#include <mutex>
#include <string>
#include <utility>

#include "autograd/graph.h"
#include "autograd/hooks.h"
#include "dispatch/infer.h"
#include "dispatch/observer.h"
#include "dispatch/op_table.h"
#include "dispatch/views.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

// libkeel's handle of every front-end operator, looked up by name once.
struct COps {
  std::vector<const keel_op_t*> handles;
  COps() {
    handles.resize(op_table().size(), nullptr);
    for (size_t i = 0; i < handles.size(); ++i) {
      const keel_op_t* op = nullptr;
      keel_status_t status = keel_op_find(op_table()[i].name, &op);
      keel_status_release(status);
      handles[i] = op;
    }
  }
};

// The device of the call: the inputs' (which must agree), else `device`, else the default.
DeviceState& call_device(const OpEntry& op, Inputs inputs, const std::optional<Device>* device) {
  DeviceState* found = nullptr;
  for (const Tensor* t : inputs) {
    if (!t->defined()) continue;
    DeviceState& d = device_of(*t);
    if (found == nullptr) {
      found = &d;
    } else if (found != &d) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, std::string(op.name) + ": inputs live on different devices (" + found->name +
                                             " and " + d.name + "); move them with Tensor::to(device)");
    }
  }
  if (found != nullptr) return *found;
  return state_of(device != nullptr ? *device : std::optional<Device>());
}

bool any_input_strided(Inputs inputs) {
  for (const Tensor* t : inputs) {
    if (t->defined() && !t->is_contiguous()) return true;
  }
  return false;
}

int32_t copy_op() {
  static const int32_t index = find_op_index("copy");
  return index;
}

// keel_op_run into fresh outputs. A device that refuses strided inputs gets contiguous copies once.
void run_kernel(int32_t op, const void* attrs, Inputs inputs, DeviceState& device,
                const OutputMetas& metas, std::vector<Tensor>& outputs) {
  constexpr size_t kInline = 8;
  keel_tensor_t in_inline[kInline];
  std::vector<keel_tensor_t> in_heap;
  keel_tensor_t* in = in_inline;
  if (inputs.size() > kInline) {
    in_heap.resize(inputs.size());
    in = in_heap.data();
  }
  for (size_t i = 0; i < inputs.size(); ++i) in[i] = c_tensor(*inputs[i]);
  keel_tensor_t out_inline[kInline];
  std::vector<keel_tensor_t> out_heap;
  keel_tensor_t* out = out_inline;
  if (metas.size() > kInline) {
    out_heap.resize(metas.size());
    out = out_heap.data();
  }
  outputs.resize(metas.size());
  for (size_t i = 0; i < metas.size(); ++i) {
    outputs[i] = empty_on(device, static_cast<Dtype>(metas[i].dtype), std::span<const int64_t>(metas[i].dims, metas[i].rank));
    out[i] = c_tensor(outputs[i]);
  }
  keel_status_t status;
  {
    std::lock_guard<std::mutex> lock(device.queue_mutex);
    status = keel_op_run(device.queue, c_op(op), attrs, in, inputs.size(), out, metas.size());
  }
  if (status != nullptr && keel_status_code(status) == KEEL_STATUS_UNIMPLEMENTED && op != copy_op() &&
      any_input_strided(inputs)) {
    std::vector<Tensor> dense(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i]->defined() || inputs[i]->is_contiguous()) {
        dense[i] = *inputs[i];
        continue;
      }
      std::vector<Tensor> copied;
      const Tensor* source[] = {inputs[i]};
      run_raw(copy_op(), nullptr, source, device, copied);
      dense[i] = std::move(copied[0]);
      in[i] = c_tensor(dense[i]);
    }
    keel_status_release(status);
    std::lock_guard<std::mutex> lock(device.queue_mutex);
    status = keel_op_run(device.queue, c_op(op), attrs, in, inputs.size(), out, metas.size());
  }
  check(status);
}

bool any_needs_grad(Inputs inputs) {
  for (const Tensor* t : inputs) {
    if (needs_grad(*t)) return true;
  }
  return false;
}

bool any_tangent(Inputs inputs) {
  for (const Tensor* t : inputs) {
    if (has_active_tangent(*t)) return true;
  }
  return false;
}

thread_local CallObserver* t_observer = nullptr;
thread_local int32_t t_call_depth = 0;  // calls in progress on this thread (nested ones run on behalf of others)

void execute_call(int32_t op_index, const void* attrs, Inputs inputs, const std::optional<Device>* device,
                  std::vector<Tensor>& outputs) {
  const OpEntry& op = op_table()[op_index];
  DeviceState& dev = call_device(op, inputs, device);
  const bool grad = grad_enabled() && any_needs_grad(inputs);
  const bool forward = forward_active() && any_tangent(inputs);
  if ((grad || forward) && !op.differentiable && op.decomposition_count > 0) {
    // The spec differentiates this operator through its decomposition.
    run_decomposition(op_index, attrs, inputs, outputs);
    return;
  }
  run_raw(op_index, attrs, inputs, dev, outputs);
  if (grad) record_call(op_index, attrs, inputs, outputs);
  if (forward) propagate_tangents(op_index, attrs, inputs, outputs);
}

void execute(int32_t op_index, const void* attrs, Inputs inputs, const std::optional<Device>* device,
             std::vector<Tensor>& outputs) {
  CallObserver* observer = t_call_depth == 0 ? t_observer : nullptr;
  struct Depth {
    Depth() { ++t_call_depth; }
    ~Depth() { --t_call_depth; }
  } depth;
  execute_call(op_index, attrs, inputs, device, outputs);
  if (observer != nullptr) observer->on_call(op_index, attrs, inputs, outputs);
}

// The output list of a call that hands back single tensors (run_one, run_fixed). Each call depth of a thread
// reuses one list, so such a call does not allocate a vector; a call nested in it (a decomposition, a
// tangent, an observer's work) runs one level deeper and takes the next list. Emptied when done, so no
// output outlives its caller's handle.
class PooledOutputs {
 public:
  PooledOutputs() {
    const auto depth = static_cast<size_t>(t_call_depth);
    list_ = depth < t_lists.size() ? &t_lists[depth] : &own_;
  }
  ~PooledOutputs() { list_->clear(); }
  PooledOutputs(const PooledOutputs&) = delete;
  PooledOutputs& operator=(const PooledOutputs&) = delete;
  std::vector<Tensor>& get() { return *list_; }

 private:
  static constexpr size_t kPooledDepths = 8;
  static thread_local std::array<std::vector<Tensor>, kPooledDepths> t_lists;
  std::vector<Tensor>* list_;
  std::vector<Tensor> own_;  // deeper than the pool
};

thread_local std::array<std::vector<Tensor>, PooledOutputs::kPooledDepths> PooledOutputs::t_lists;

}  // namespace

const keel_op_t* c_op(int32_t op) {
  static const COps ops;
  const keel_op_t* handle = ops.handles[static_cast<size_t>(op)];
  if (handle == nullptr) {
    fail(KEEL_STATUS_NOT_FOUND, std::string("operator '") + op_table()[op].name + "' (spec " + spec_version() +
                                    ") is not in libkeel's spec " + keel_spec_version_string());
  }
  return handle;
}

CallObserver* set_call_observer(CallObserver* observer) { return std::exchange(t_observer, observer); }

const Tensor& absent() {
  static const Tensor none;
  return none;
}

void run_raw(int32_t op, const void* attrs, Inputs inputs, DeviceState& device, std::vector<Tensor>& outputs) {
  OutputMetas metas;
  infer_outputs(op, attrs, inputs, metas);
  if (is_view_op(op)) {
    outputs.resize(1);
    if (make_view(op, attrs, *inputs[0], metas[0], outputs[0])) return;
  }
  run_kernel(op, attrs, inputs, device, metas, outputs);
}

std::vector<Tensor> run_op(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device) {
  std::vector<Tensor> outputs;
  execute(op, attrs, inputs, device, outputs);
  return outputs;
}

Tensor run_one(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device) {
  PooledOutputs outputs;
  execute(op, attrs, inputs, device, outputs.get());
  return std::move(outputs.get()[0]);
}

void run_fixed(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device,
               std::span<Tensor> outputs) {
  PooledOutputs all;
  execute(op, attrs, inputs, device, all.get());
  for (size_t i = 0; i < outputs.size(); ++i) outputs[i] = std::move(all.get()[i]);
}

std::vector<Tensor> run_variadic(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device) {
  std::vector<Tensor> outputs;
  execute(op, attrs, inputs, device, outputs);
  return outputs;
}

}  // namespace keel::detail
