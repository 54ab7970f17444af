// A oneDNN primitive whose arguments are Keel tensors in whatever layout the caller has: each argument is
// described with the caller's strides where oneDNN can take them (or packed densely first when it cannot),
// and reordered into the layout the primitive prefers when that differs (oneDNN's blocked layouts for
// convolutions, pre-packed weights). The reorders and the primitive run in one stream; temporaries live in
// the calling thread's scratch slots, so repeated calls do not fault in fresh pages.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kernel.h"

namespace keel::onednn {

class BoundPrimitive {
 public:
  // One argument: which tensor of the call (an input, or an output when `output` is set), seen through
  // `view` (the tensor's own dtype and strides, possibly regrouped dimensions, no data).
  struct Argument {
    int dnnl_arg;
    size_t tensor;
    bool output;
    keel_tensor_desc_t view;
  };

  // The descriptor oneDNN should see for an argument: the caller's layout, or a dense one when oneDNN cannot
  // describe the caller's.
  static dnnl::memory::desc user_desc(const keel_tensor_desc_t& view);

  // `pd` was created for the arguments (with their user_desc() or format `any`).
  void bind(const dnnl::primitive_desc_base& pd, dnnl::primitive primitive, const std::vector<Argument>& arguments,
            const dnnl::engine& engine);

  // Runs the primitive on the call's tensors, with the reorders and packing it needs. Scratch slots from
  // `first_slot` on are used (two per argument).
  void execute(Queue& queue, const keel_kernel_call_t& call, int first_slot = 0) const;

  std::string describe() const;

 private:
  struct Bound {
    Argument argument;
    bool packed = false;        // the view is not describable: a dense copy stands in for it
    dnnl::memory::desc user;    // the view (or its dense copy)
    dnnl::memory::desc wanted;  // what the primitive takes
    std::optional<dnnl::reorder> reorder;  // user -> wanted (inputs) or wanted -> user (outputs)
  };
  std::vector<Bound> bound_;
  dnnl::primitive primitive_;
  std::string impl_;
};

}  // namespace keel::onednn
