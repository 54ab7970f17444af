#include "runtime/host.h"

namespace keel::cuda {

bool Host::can_report(const keel_host_api_t* table) {
  return table != nullptr && KEEL_STRUCT_HAS(table->struct_size, keel_host_api_t, status_create) &&
         table->status_create != nullptr;
}

keel_status_t Host::status(keel_status_code_t code, const char* message) const noexcept {
  return table_->status_create(table_->host_ctx, code, message);
}

void Host::log(keel_log_level_e level, const std::string& message) const noexcept {
  if (KEEL_STRUCT_HAS(table_->struct_size, keel_host_api_t, log) && table_->log != nullptr) {
    table_->log(table_->host_ctx, level, message.c_str());
  }
}

Error Host::consume(keel_status_t status, const std::string& context) const {
  const size_t size = table_->struct_size;
  keel_status_code_t code = KEEL_STATUS_INTERNAL;
  std::string message = "(the host gave no message)";
  if (KEEL_STRUCT_HAS(size, keel_host_api_t, status_code) && table_->status_code != nullptr) {
    code = table_->status_code(status);
  }
  if (KEEL_STRUCT_HAS(size, keel_host_api_t, status_message) && table_->status_message != nullptr) {
    if (const char* text = table_->status_message(status)) message = text;
  }
  if (KEEL_STRUCT_HAS(size, keel_host_api_t, status_release) && table_->status_release != nullptr) {
    table_->status_release(status);
  }
  return Error(code, context + ": " + message);
}

auto Host::kernel_register_slot() const -> decltype(keel_host_api_t::kernel_register) {
  if (!KEEL_STRUCT_HAS(table_->struct_size, keel_host_api_t, kernel_register)) return nullptr;
  return table_->kernel_register;
}

// Formats into a fixed buffer so that reporting an out-of-memory condition does not itself allocate.
keel_status_t Host::status_from_text(keel_status_code_t code, const char* where, const char* text) const noexcept {
  if (where[0] == '\0') return status(code, text);
  char message[1024];
  std::snprintf(message, sizeof message, "%s: %s", where, text);
  return status(code, message);
}

}  // namespace keel::cuda
