// Eager dispatch of spec operators: infer the outputs (cached per call signature), allocate them from the
// device's caching allocator, run the operator through keel_op_run (or make a view for the view operators),
// then let autograd record the call and forward mode propagate tangents. The generated keel::ops functions
// call these.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::detail {

struct DeviceState;

using Inputs = std::span<const Tensor* const>;

// An undefined tensor: what an absent optional input is passed as.
const Tensor& absent();

// Run operator `op` (its position in op_table()) with `attrs` (a keel_<op>_attrs_t or nullptr for the
// defaults) on the inputs' device (`device` for operators without tensor inputs; nullptr or empty: the
// default device).
Tensor run_one(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device);
void run_fixed(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device,
               std::span<Tensor> outputs);
std::vector<Tensor> run_variadic(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device);
// Any operator; one entry per output tensor.
std::vector<Tensor> run_op(int32_t op, const void* attrs, Inputs inputs, const std::optional<Device>* device);

// The kernel (or view) only: no autograd recording and no forward mode. `outputs` is resized.
void run_raw(int32_t op, const void* attrs, Inputs inputs, DeviceState& device, std::vector<Tensor>& outputs);

// The libkeel handle of operator `op`.
const keel_op_t* c_op(int32_t op);

}  // namespace keel::detail
