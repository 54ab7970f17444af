// This test binary replaces the global operator new to count allocations (counting_new.cc).
#pragma once

#include <cstddef>

namespace keel::spec::testing {

// How many times the global operator new has run in this process.
size_t allocation_count();

}  // namespace keel::spec::testing
