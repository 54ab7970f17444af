// The data domains of ir_spec/spec.yaml (`data_domains`), one function per name (signature DomainFn): the
// values a data generator may write into a sample input. They may assume the sample passes check().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "spec/op_schema.h"

namespace keel::spec::domains {

ValueRange any(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange finite(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange positive(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange non_negative(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange nonzero(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange unit_interval(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange probability(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange signed_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange below(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange signed_below(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange nd_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange signed_nd_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);
ValueRange flat_index(const CallView& call, std::span<const Arg> args, size_t input, int64_t element);

}  // namespace keel::spec::domains
