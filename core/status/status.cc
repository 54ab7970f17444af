#include "status/status.h"

namespace keel {
namespace {

keel_status_s& static_out_of_memory() {
  static keel_status_s status{KEEL_STATUS_RESOURCE_EXHAUSTED, "out of host memory", "keel"};
  return status;
}

}  // namespace

keel_status_t make_status(keel_status_code_t code, std::string_view message, std::string_view source) {
  if (code == KEEL_STATUS_OK) {
    return nullptr;
  }
  try {
    return new keel_status_s{code, std::string(message), std::string(source)};
  } catch (...) {
    return &static_out_of_memory();
  }
}

keel_status_t out_of_memory_status() { return &static_out_of_memory(); }

void release_status(keel_status_t status) {
  if (status != nullptr && status != &static_out_of_memory()) {
    delete status;
  }
}

const char* code_name(keel_status_code_t code) {
  switch (code) {
    case KEEL_STATUS_OK: return "OK";
    case KEEL_STATUS_CANCELLED: return "CANCELLED";
    case KEEL_STATUS_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case KEEL_STATUS_NOT_FOUND: return "NOT_FOUND";
    case KEEL_STATUS_ALREADY_EXISTS: return "ALREADY_EXISTS";
    case KEEL_STATUS_PERMISSION_DENIED: return "PERMISSION_DENIED";
    case KEEL_STATUS_RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case KEEL_STATUS_FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case KEEL_STATUS_OUT_OF_RANGE: return "OUT_OF_RANGE";
    case KEEL_STATUS_UNIMPLEMENTED: return "UNIMPLEMENTED";
    case KEEL_STATUS_INTERNAL: return "INTERNAL";
    case KEEL_STATUS_UNAVAILABLE: return "UNAVAILABLE";
    case KEEL_STATUS_DEVICE_LOST: return "DEVICE_LOST";
    case KEEL_STATUS_DATA_LOSS: return "DATA_LOSS";
    default: return "UNKNOWN";
  }
}

std::string describe(keel_status_t status) {
  if (status == nullptr) {
    return "OK";
  }
  return std::string(code_name(status->code)) + ": " + status->message;
}

keel_status_t annotate(keel_status_t status, std::string_view prefix) {
  if (status == nullptr || status == &static_out_of_memory()) {
    return status;
  }
  try {
    status->message = std::string(prefix) + ": " + status->message;
  } catch (...) {
    // Keep the original message; the status itself is still valid.
  }
  return status;
}

}  // namespace keel
