// Fused elementwise chains on CPU-style devices: the chain runs tile by tile, each step through the device's
// own kernels on tile-sized temporaries, so the intermediates of a tile stay in cache and the chain reads
// its inputs and writes its output once. Inputs are either full-size (same element count as the output) or
// single elements (broadcast); anything else runs step by step on full-size temporaries.
#include <algorithm>

#include "graph/exec/executor_impl.h"
#include "graph/ir/errors.h"
#include "graph/validate/node_infer.h"

namespace keel::graph {
namespace {

keel_tensor_t flat(keel_buffer_t* buffer, keel_dtype_t dtype, int64_t elements, uint64_t byte_offset) {
  const int64_t shape[1] = {elements};
  return make_tensor(buffer, dtype, std::span<const int64_t>(shape, 1), byte_offset);
}

}  // namespace

void Executor::Impl::run_fused(size_t n, int32_t device, std::span<const DeviceTensor* const> inputs,
                               const DeviceTensor& output) {
  const Node& node = graph_.nodes[n];
  const DeviceSlot& slot = devices_[static_cast<size_t>(device)];
  const int64_t total = output.numel();
  if (total == 0) return;
  std::vector<spec::TensorMeta> in_metas;
  for (const DeviceTensor* t : inputs) in_metas.push_back(t->meta());
  const std::vector<spec::TensorMeta> metas = fused_metas(node, in_metas);
  std::vector<PackedAttrs> attrs;
  for (const FusedStep& step : node.body) attrs.emplace_back(*step.schema, step.attrs, nullptr, node_label(node));
  const size_t steps = node.body.size();
  auto run_step = [&](size_t s, std::span<const keel_tensor_t> args, const keel_tensor_t& out) {
    check(keel_op_run(slot.queue.get(), step_ops_[n][s], attrs[s].get(), args.data(), args.size(), &out, 1));
  };

  const bool tileable = std::all_of(inputs.begin(), inputs.end(), [&](const DeviceTensor* t) {
    return t->numel() == total || t->numel() == 1;
  });
  if (!tileable) {
    // Step by step on full-size temporaries.
    std::vector<std::shared_ptr<BufferHolder>> temps(steps);
    std::vector<keel_tensor_t> results(steps);
    for (size_t s = 0; s < steps; ++s) {
      std::vector<keel_tensor_t> args;
      for (int32_t ref : node.body[s].inputs) {
        args.push_back(is_step_ref(ref) ? results[step_of(ref)] : inputs[static_cast<size_t>(ref)]->view());
      }
      if (s + 1 == steps) {
        results[s] = output.view();
      } else {
        const spec::TensorMeta& m = metas[s];
        temps[s] = allocate_buffer(slot.device, static_cast<uint64_t>(m.element_count()) * dtype_bytes(m.dtype));
        results[s] = make_tensor(temps[s]->get(), m.dtype, m.shape());
      }
      run_step(s, args, results[s]);
    }
    check(keel_queue_synchronize(slot.queue.get()));
    return;
  }

  const int64_t tile = std::clamp<int64_t>(options_.tile_elements, 1, total);
  std::vector<std::shared_ptr<BufferHolder>>& temps = tile_buffers_[{n, device}];
  if (temps.size() != steps) {
    temps.clear();
    for (size_t s = 0; s + 1 < steps; ++s) {
      temps.push_back(allocate_buffer(slot.device, static_cast<uint64_t>(tile) * dtype_bytes(metas[s].dtype)));
    }
  }
  std::vector<keel_tensor_t> results(steps);
  std::vector<keel_tensor_t> args;
  for (int64_t start = 0; start < total; start += tile) {
    const int64_t len = std::min(tile, total - start);
    for (size_t s = 0; s < steps; ++s) {
      args.clear();
      for (int32_t ref : node.body[s].inputs) {
        if (is_step_ref(ref)) {
          args.push_back(results[step_of(ref)]);
          continue;
        }
        const DeviceTensor& t = *inputs[static_cast<size_t>(ref)];
        if (t.numel() == 1) {
          args.push_back(flat(t.buffer->get(), t.dtype, 1, t.offset));
        } else {
          args.push_back(flat(t.buffer->get(), t.dtype, len, t.offset + static_cast<uint64_t>(start) * dtype_bytes(t.dtype)));
        }
      }
      results[s] = s + 1 == steps
                       ? flat(output.buffer->get(), output.dtype, len,
                              output.offset + static_cast<uint64_t>(start) * dtype_bytes(output.dtype))
                       : flat(temps[s]->get(), metas[s].dtype, len, 0);
      run_step(s, args, results[s]);
    }
  }
}

}  // namespace keel::graph
