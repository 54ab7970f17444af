#include "runtime_faults.h"

#include "faults.h"

namespace keel::faulty {
namespace {

const keel_plugin_api_t* backend_table = nullptr;  // the same table for every instance

constexpr uint64_t kOverReportPerBuffer = 64;

extern "C" {

static keel_status_t faulty_memory_stats(keel_plugin_device_t* device, uint32_t memory_space,
                                         keel_memory_stats_t* inout_stats) {
  keel_status_t status = backend_table->memory_stats(device, memory_space, inout_stats);
  if (status == nullptr && inout_stats != nullptr &&
      KEEL_STRUCT_HAS(inout_stats->struct_size, keel_memory_stats_t, allocation_count)) {
    inout_stats->bytes_in_use += kOverReportPerBuffer * inout_stats->allocation_count;  // the injected fault
  }
  return status;
}

static void faulty_buffer_release(keel_plugin_buffer_t*) {
  // The injected leak: the buffer is never freed, and the backend keeps counting it.
}

static keel_status_t faulty_queue_signal(keel_plugin_queue_t*, keel_plugin_event_t*, uint64_t) {
  return nullptr;  // the injected fault: the event is never set
}

}  // extern "C"

}  // namespace

void install_runtime_faults(keel_plugin_api_t* table, const keel_plugin_api_t* backend) {
  backend_table = backend;
  const Config& faults = *config();
  if (faults.wrong_memory_stats) table->memory_stats = faulty_memory_stats;
  if (faults.leak_buffers) table->buffer_release = faulty_buffer_release;
  if (faults.never_signal) table->queue_signal = faulty_queue_signal;
}

}  // namespace keel::faulty
