// Checking a call against the spec and inferring its outputs. The dispatcher runs these on every eager op,
// so check() does no heap allocation unless it fails.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "keel/keel_status.h"
#include "spec/op_schema.h"

namespace keel::spec {

// Every keel_<op>_attrs_t fits in this many bytes (the generated table static_asserts it), so callers can
// normalize into an AttrsBuffer on the stack.
inline constexpr size_t kMaxAttrsSize = 256;

struct alignas(alignof(std::max_align_t)) AttrsBuffer {
  unsigned char bytes[kMaxAttrsSize];
};

struct Violation {
  keel_status_code_t code;
  std::string message;  // "<op>: constraint <id> violated (<text>): <detail>"
};

// Copies a caller's keel_<op>_attrs_t into `out_full` (room for op.attrs_size bytes) as a struct of this
// library's size. An older caller's smaller struct gets the spec defaults for the fields it lacks; a newer
// caller's larger one is read only up to our size. NULL means every default. Fails (false; *why, when
// non-null, gets a detail such as "attribute 'axes' has 2 entries but a NULL pointer", without the op name)
// for a struct_size below sizeof(size_t) or absurdly large, an ints attribute with entries but a NULL
// pointer, or an enum value outside its values. For an op without attributes, `out_full` is untouched and a non-NULL
// `caller_attrs` is accepted only with a plausible struct_size (a newer caller's struct).
bool normalize_attrs(const OpSchema& op, const void* caller_attrs, void* out_full, std::string* why);

// Checks the input count, then C0 (typing), then C1..Cn in order; returns the first violation. `full_attrs`
// is a normalized struct (nullptr for an op without attributes). An absent optional input (dtype
// KEEL_DTYPE_INVALID) skips typing and the constraints that name it as a single tensor.
std::optional<Violation> check(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs);

// How many output tensors the call has: op.output_count, or for an operator whose last output is variadic,
// the others plus what its count rule gives. The call must have passed check().
size_t output_count(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs);

// Writes the dtype and shape of every output (outputs.size() == output_count(...)). The call must have
// passed check().
void infer(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs,
           std::span<TensorMeta> outputs);

// The dtype a call binds to type variable `type_var`: that of the first present input bound to it, else the value of
// a dtype attribute declared `of` it; KEEL_DTYPE_INVALID when neither exists. For the primary type variable
// (0) this is the dtype kernels are registered for.
keel_dtype_t bound_dtype(const OpSchema& op, const void* full_attrs, std::span<const TensorMeta> inputs,
                         int32_t type_var);

}  // namespace keel::spec
