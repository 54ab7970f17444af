// Helpers shared by the spec tests.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spec/op_schema.h"
#include "spec/validate.h"

namespace keel::spec::testing {

// "f32[2,3]" → TensorMeta; "f32[]" is 0-D. Aborts the test on a malformed string.
TensorMeta meta(std::string_view text);
// TensorMeta → "f32[2,3]".
std::string to_string(const TensorMeta& t);

const OpSchema& op(std::string_view name);

// Normalizes `attrs` (a caller struct or nullptr) and runs check(); the violation, if any.
std::optional<Violation> check_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs);
// Normalizes, checks (failing the test on a violation) and infers; the outputs as "dtype[dims]" strings.
std::vector<std::string> infer_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs);

}  // namespace keel::spec::testing
