// The host table kept from keel_plugin_init, and Host::guard: the one place where C++ exceptions stop and
// become statuses. Every C entry point of the plugin runs its body inside guard().
#pragma once

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "error.h"
#include "keel/keel_plugin.h"

namespace keel::onednn {

class Host {
 public:
  // True when `table` can create statuses, i.e. when a failure can be reported at all.
  static bool can_report(const keel_host_api_t* table);

  explicit Host(const keel_host_api_t* table) : table_(table) {}

  keel_status_t status(keel_status_code_t code, const char* message) const noexcept;
  void log(keel_log_level_e level, const std::string& message) const noexcept;
  // Turns a status the host returned into an Error (prefixed with `context`) and releases the status.
  Error consume(keel_status_t status, const std::string& context) const;
  // NULL when the host's table has no kernel_register slot.
  auto kernel_register_slot() const -> decltype(keel_host_api_t::kernel_register);
  void* context() const { return table_->host_ctx; }

  // Runs `body`; returns NULL, or a status for whatever it threw, prefixed with `where` unless empty.
  template <class Body>
  keel_status_t guard(const char* where, Body&& body) const noexcept;

 private:
  keel_status_t status_at(keel_status_code_t code, const char* where, const char* text) const noexcept;

  const keel_host_api_t* table_;
};

template <class Body>
keel_status_t Host::guard(const char* where, Body&& body) const noexcept {
  try {
    std::forward<Body>(body)();
    return nullptr;
  } catch (const Error& error) {
    if (error.is_relayed()) return status(error.code(), error.message().c_str());
    return status_at(error.code(), where, error.message().c_str());
  } catch (const std::bad_alloc&) {
    return status_at(KEEL_STATUS_RESOURCE_EXHAUSTED, where, "out of host memory");
  } catch (const std::exception& error) {
    return status_at(KEEL_STATUS_INTERNAL, where, error.what());
  } catch (...) {
    return status_at(KEEL_STATUS_INTERNAL, where, "unknown exception");
  }
}

}  // namespace keel::onednn
