#include "runtime/storage.h"

namespace keel::detail {

Storage* new_storage(DeviceState& device, uint64_t bytes) {
  CachingAllocator::Block block = device.allocator->allocate(bytes);
  auto* storage = new Storage;
  storage->device = &device;
  storage->block = block;
  storage->bytes = bytes;
  device.context->retain();
  return storage;
}

void release(Storage* storage) noexcept {
  if (storage->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  Context* context = storage->device->context;
  storage->device->allocator->release(storage->block);
  delete storage;
  context->release();
}

}  // namespace keel::detail
