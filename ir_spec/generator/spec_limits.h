// Limits the generated code relies on.
#pragma once

#include <cstddef>

namespace keel::specgen {

// KEEL_MAX_RANK of api/keel/keel_types.h: the most dimensions an example tensor may have. The generated
// table static_asserts that the two agree.
inline constexpr size_t kMaxRank = 8;

}  // namespace keel::specgen
