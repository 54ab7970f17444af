#include "spec/count_rules.h"

namespace keel::spec::count_rules {

int64_t split_count(const CallView& call, std::span<const Arg> args) {
  std::span<const int64_t> sizes = call.attr_ints(args[0]);
  return sizes.empty() ? call.attr_int(args[1]) : static_cast<int64_t>(sizes.size());
}

}  // namespace keel::spec::count_rules
