#include "scratch_output.h"

#include <algorithm>
#include <vector>

#include "copy.h"
#include "scratch.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

bool same_view(const keel_tensor_desc_t& a, const keel_tensor_desc_t& b) {
  if (data_of(a) != data_of(b) || a.rank != b.rank || dtype_size(a.dtype) != dtype_size(b.dtype)) return false;
  for (uint32_t d = 0; d < a.rank; ++d) {
    if (a.shape[d] != b.shape[d] || (a.shape[d] != 1 && a.strides[d] != b.strides[d])) return false;
  }
  return true;
}

bool overlaps(const keel_tensor_desc_t& a, const keel_tensor_desc_t& b) {
  const ByteExtent ea = byte_extent(a);
  const ByteExtent eb = byte_extent(b);
  if (ea.first == ea.last || eb.first == eb.last) return false;  // zero-size
  const std::byte* a0 = data_of(a);
  const std::byte* b0 = data_of(b);
  return a0 + ea.first < b0 + eb.last && b0 + eb.first < a0 + ea.last;
}

// True when output `o` must be computed into scratch memory.
bool needs_scratch(const Kernel& kernel, const keel_kernel_call_t& call, size_t o) {
  const keel_tensor_desc_t& out = call.outputs[o];
  for (size_t i = 0; i < call.input_count; ++i) {
    if (!overlaps(out, call.inputs[i])) continue;
    if (kernel.tolerates_identical_alias() && same_view(out, call.inputs[i])) continue;
    return true;
  }
  for (size_t other = 0; other < o; ++other) {
    if (overlaps(out, call.outputs[other])) return true;
  }
  return false;
}

}  // namespace

void Kernel::record_extents(const keel_kernel_call_t& call) {
  extent_count_ = call.input_count + call.output_count;
  extent_inputs_ = call.input_count;
  extents_ = std::make_unique<ByteExtent[]>(extent_count_);
  outputs_empty_ = call.output_count > 0;
  for (size_t i = 0; i < extent_count_; ++i) {
    const bool input = i < call.input_count;
    const keel_tensor_desc_t& t = input ? call.inputs[i] : call.outputs[i - call.input_count];
    extents_[i] = byte_extent(t);
    if (!input && element_count(t) != 0) outputs_empty_ = false;
  }
}

namespace {

// The common case, checked with the extents recorded for the signature: no output overlaps any input or
// any other output.
bool disjoint(const Kernel& kernel, const keel_kernel_call_t& call) {
  const std::span<const ByteExtent> extents = kernel.extents();
  const size_t inputs = kernel.extent_inputs();
  if (extents.size() != call.input_count + call.output_count) return false;  // not recorded: check fully
  for (size_t o = 0; o < call.output_count; ++o) {
    const ByteExtent& eo = extents[inputs + o];
    if (eo.first == eo.last) continue;
    const std::byte* out = data_of(call.outputs[o]);
    for (size_t i = 0; i < inputs + o; ++i) {
      const ByteExtent& ei = extents[i];
      if (ei.first == ei.last) continue;  // empty, or an absent optional input
      const std::byte* other = data_of(i < inputs ? call.inputs[i] : call.outputs[i - inputs]);
      if (other + ei.first < out + eo.last && out + eo.first < other + ei.last) return false;
    }
  }
  return true;
}

}  // namespace

void run_checked(const Kernel& kernel, Queue& queue, const keel_kernel_call_t& call) {
  if (kernel.outputs_empty()) return;  // nothing to write
  if (disjoint(kernel, call)) {
    kernel.run(queue, call);
    return;
  }
  size_t first = call.output_count;
  for (size_t o = 0; o < call.output_count; ++o) {
    if (needs_scratch(kernel, call, o)) {
      first = o;
      break;
    }
  }
  if (first == call.output_count) {
    kernel.run(queue, call);
    return;
  }
  // Redirect every overlapping output to a dense scratch tensor, run, then copy the results into place.
  std::vector<keel_tensor_desc_t> outputs(call.outputs, call.outputs + call.output_count);
  std::vector<Scratch> scratch(call.output_count);
  for (size_t o = first; o < call.output_count; ++o) {
    if (o != first && !needs_scratch(kernel, call, o)) continue;
    keel_tensor_desc_t dense = dense_like(call.outputs[o]);
    scratch[o] = Scratch(static_cast<size_t>(element_count(dense)) * dtype_size(dense.dtype));
    dense.data = scratch[o].data();
    outputs[o] = dense;
  }
  keel_kernel_call_t redirected = call;
  redirected.outputs = outputs.data();
  kernel.run(queue, redirected);
  for (size_t o = first; o < call.output_count; ++o) {
    if (scratch[o].data() != nullptr) copy_tensor(call.outputs[o], outputs[o]);
  }
}

}  // namespace keel::onednn
