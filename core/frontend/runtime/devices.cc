// Device selection, dtypes and the allocator controls of keel/tensor.hpp.
#include <string>

#include "runtime/context.h"
#include "tensor/make.h"

namespace keel {

const char* dtype_name(Dtype dtype) { return keel_dtype_name(static_cast<keel_dtype_t>(dtype)); }
size_t dtype_size(Dtype dtype) { return keel_dtype_size(static_cast<keel_dtype_t>(dtype)); }
bool is_floating_point(Dtype dtype) {
  return dtype == Dtype::f16 || dtype == Dtype::bf16 || dtype == Dtype::f32 || dtype == Dtype::f64;
}

void configure(const RuntimeOptions& options) { detail::Context::configure(options); }

namespace {

// Runs `f` with the current context held.
template <class F>
auto with_context(F&& f) {
  detail::Context* context = detail::Context::acquire();
  struct Release {
    detail::Context* c;
    ~Release() { c->release(); }
  } release{context};
  return f(*context);
}

}  // namespace

std::vector<Device> devices() {
  return with_context([](detail::Context& c) {
    std::vector<Device> all;
    for (size_t i = 0; i < keel_runtime_device_count(c.runtime()); ++i) all.emplace_back(keel_runtime_device(c.runtime(), i));
    return all;
  });
}

Device device(std::string_view name) {
  return with_context([&](detail::Context& c) {
    keel_device_t* found = nullptr;
    check(keel_runtime_find_device(c.runtime(), std::string(name).c_str(), &found));
    return Device(found);
  });
}

Device default_device() {
  return with_context([](detail::Context& c) { return Device(c.default_state().device); });
}

void set_default_device(const Device& target) {
  with_context([&](detail::Context& c) {
    c.set_default(target.get());
    return 0;
  });
}

CacheStats cache_stats(const Device& target) {
  const detail::CachingAllocator::Stats s = detail::state_of(target).allocator->stats();
  return {s.cached_bytes, s.live_bytes, s.hits, s.misses};
}

void empty_cache() {
  with_context([](detail::Context& c) {
    c.empty_caches();
    return 0;
  });
}

void synchronize(const Device& target) { detail::state_of(target).synchronize(); }

}  // namespace keel
