#include "runtime/context.h"

#include <cstdlib>
#include <string_view>

namespace keel::detail {
namespace {

// The context new tensors use; holds one reference.
struct Current {
  std::mutex mutex;
  Context* context = nullptr;
  ~Current() {
    if (context != nullptr) context->release();
  }
};

Current& current() {
  static Current instance;
  return instance;
}

}  // namespace

DeviceState::DeviceState(Context* owner, keel_device_t* handle)
    : context(owner), device(handle), name(keel_device_name(handle)) {
  check(keel_queue_create(device, nullptr, &queue));
  allocator = std::make_unique<CachingAllocator>(device, queue);
}

DeviceState::~DeviceState() {
  allocator.reset();
  keel_queue_release(queue);
}

void DeviceState::synchronize() {
  std::lock_guard<std::mutex> lock(queue_mutex);
  check(keel_queue_synchronize(queue));
}

Context::Context(const RuntimeOptions& options) : runtime_(Runtime::create(options)) {}

Context::~Context() { states_.clear(); }

Context* Context::acquire() {
  Current& c = current();
  std::lock_guard<std::mutex> lock(c.mutex);
  if (c.context == nullptr) c.context = new Context(RuntimeOptions{});
  c.context->retain();
  return c.context;
}

void Context::configure(const RuntimeOptions& options) {
  Context* fresh = new Context(options);
  Current& c = current();
  std::lock_guard<std::mutex> lock(c.mutex);
  if (c.context != nullptr) c.context->release();
  c.context = fresh;
}

DeviceState& Context::state(keel_device_t* device) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::unique_ptr<DeviceState>& s : states_) {
    if (s->device == device) return *s;
  }
  states_.push_back(std::make_unique<DeviceState>(this, device));
  return *states_.back();
}

keel_device_t* Context::choose_default() const {
  if (const char* env = std::getenv("KEEL_DEVICE"); env != nullptr && *env != '\0') {
    keel_device_t* device = nullptr;
    check(keel_runtime_find_device(runtime(), env, &device));
    return device;
  }
  keel_device_t* best = nullptr;
  int32_t best_score = -1;
  for (size_t i = 0; i < keel_runtime_device_count(runtime()); ++i) {
    keel_device_t* device = keel_runtime_device(runtime(), i);
    const int32_t score = plugin_info(keel_device_plugin(device)).probe_score;
    if (score > best_score) {
      best = device;
      best_score = score;
    }
  }
  if (best == nullptr) {
    throw Error(KEEL_STATUS_NOT_FOUND,
                "no Keel device: no plugin was loaded (see `keel plugins`; KEEL_PLUGIN_PATH adds search paths)", "keel");
  }
  return best;
}

DeviceState& Context::default_state() {
  if (DeviceState* s = default_.load(std::memory_order_acquire)) return *s;
  DeviceState& s = state(choose_default());
  default_.store(&s, std::memory_order_release);
  return s;
}

void Context::set_default(keel_device_t* device) { default_.store(&state(device), std::memory_order_release); }

void Context::empty_caches() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::unique_ptr<DeviceState>& s : states_) s->allocator->empty();
}

DeviceState& state_of(const Device& device) {
  Context* context = Context::acquire();
  DeviceState& s = context->state(device.get());
  context->release();
  return s;
}

DeviceState& state_of(const std::optional<Device>& device) {
  if (device) return state_of(*device);
  Context* context = Context::acquire();
  DeviceState& s = context->default_state();
  context->release();
  return s;
}

}  // namespace keel::detail
