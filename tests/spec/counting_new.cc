// Replaces the global operator new/delete with malloc/free plus a counter. Kept apart from any code that
// allocates, so the compiler never sees a replaced new paired with free in one function.
#include "counting_new.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

namespace keel::spec::testing {
size_t allocation_count() { return g_allocations.load(); }
}  // namespace keel::spec::testing

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
