// Argument checks shared by the optimizers and schedules. Internal to the front end.
#pragma once

#include <string_view>

namespace keel::optim::detail {

// Throws INVALID_ARGUMENT "<owner>: <argument> must be <rule> (got <value>)" unless `ok`.
void require(bool ok, std::string_view owner, std::string_view argument, std::string_view rule, double value);

// The common cases.
void require_non_negative(double value, std::string_view owner, std::string_view argument);
// 0 <= value < 1 (a decay rate such as beta1 and beta2).
void require_unit_interval(double value, std::string_view owner, std::string_view argument);

}  // namespace keel::optim::detail
