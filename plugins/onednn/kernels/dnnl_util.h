// Mapping Keel tensors onto oneDNN: data types, memory descriptors with the caller's strides, and the test
// for oneDNN's slow reference implementations (which the kernels avoid by packing operands or by using their
// own loops).
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "keel/keel_plugin.h"

namespace keel::onednn {

// The oneDNN data type of a Keel dtype; nullopt for those oneDNN has none for (i64, bool, f64 in 2.6).
std::optional<dnnl::memory::data_type> dnnl_type(keel_dtype_t dtype);

// A descriptor with these dims and strides (in elements), or nullopt when oneDNN cannot describe the view:
// negative strides, zero strides on a dimension larger than 1, or strides oneDNN rejects (overlap).
// Zero dims are allowed; an empty `dims` (a 0-D tensor) becomes one dimension of 1.
std::optional<dnnl::memory::desc> strided_desc(std::span<const int64_t> dims, std::span<const int64_t> strides,
                                               dnnl::memory::data_type type);

// The tensor as it is laid out (see strided_desc); nullopt also when oneDNN lacks the dtype.
std::optional<dnnl::memory::desc> desc_of(const keel_tensor_desc_t& tensor);

// True for oneDNN's generic reference implementations ("ref:any", "simple:any" reorders excepted): correct
// but orders of magnitude slower than the JIT ones.
bool is_reference_impl(const dnnl::primitive_desc_base& pd);

std::string impl_name(const dnnl::primitive_desc_base& pd);

// Argument map for one execution, on the stack for up to four arguments.
using ExecArgs = std::unordered_map<int, dnnl::memory>;

}  // namespace keel::onednn
