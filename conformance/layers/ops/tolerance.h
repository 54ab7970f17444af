// Comparing a result with the reference by the operator's tolerance class, exactly as ir_spec/README.md
// defines the classes:
//   integer and bool results: equal values.
//   exact: bit for bit after rounding the reference to the output dtype; any NaN matches any NaN, except
//          for data-movement operators (data_movement_groups() and data_movement_ops()), which keep NaN
//          payloads.
//   ulp:   |y - ref| <= n · ulp(ref), ulp taken in the output dtype, n per dtype from the spec; NaN must
//          match NaN, infinities must match exactly (after rounding the reference to the output dtype).
//   accumulation: |y - ref| <= c · K · ε · M + the dtype's smallest normal, per element (bounds below);
//          NaN and infinities as for ulp.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layers/ops/call_execution.h"

namespace keel::conform {

struct Comparison {
  bool ok = true;
  std::string detail;   // the first element outside the tolerance
  double max_ulp = 0;   // float outputs: the largest error in ulps of the output dtype
  double max_abs = 0;   // float outputs: the largest absolute error
  bool has_errors = false;  // max_ulp and max_abs are meaningful (a float output with elements)
};

// The operators that move data without computing (their results keep NaN payloads): every operator of
// these groups, and these operators of other groups. The spec has no flag for it yet.
std::span<const std::string_view> data_movement_groups();
std::span<const std::string_view> data_movement_ops();

// `bounds` holds the per-element accumulation bound (ignored for the other classes).
Comparison compare_output(const spec::OpSchema& op, const HostTensor& got, const HostTensor& reference,
                          std::span<const double> bounds);

}  // namespace keel::conform
