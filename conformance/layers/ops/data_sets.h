// Deterministic input data for the numeric cases, in the manner of TOSA's set_data: values drawn from an
// input's data domain (spec.yaml `data_domains`, evaluated per element) for the case's data set, so the
// same case always gets the same values on every machine.
//
//   uniform  values spread over the domain, unbounded ends cut to a window around zero ([-4, 4] for
//            floats, [-100, 100] for integers), one float in eight with a magnitude spread over 2^-8..2^2
//   cancel   accumulating operators: pairs of large values of opposite sign that nearly cancel, among small
//            ones (sums end far below the sum of magnitudes, which the accumulation bound is measured in)
//   special  where the domain admits special values (`any`): NaN, ±inf, ±0, subnormals, the extremes of
//            the dtype, INT_MIN/INT_MAX (extremes are left out for accumulating operators, whose overflow
//            would depend on the order of accumulation, which the spec leaves free)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/keel_types.h"
#include "model/case.h"

namespace keel::conform {

using RangeOf = std::function<spec::ValueRange(int64_t element)>;

// The values (already representable in `dtype`) for `count` elements of one input. nullopt with *error when
// an element's domain admits no value of the dtype.
std::optional<std::vector<double>> input_values(keel_dtype_t dtype, const RangeOf& range_of, DataSet set, size_t count,
                                                uint64_t seed, bool accumulating, std::string* error);

// Whether a value of `dtype` fits `range` (an integer dtype needs an integer inside it).
bool domain_admits(keel_dtype_t dtype, const spec::ValueRange& range);

// Whether the call has an input whose domain admits special values (the special data set applies).
bool admits_special_values(const OpCall& call);

}  // namespace keel::conform
