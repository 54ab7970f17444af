// Status objects behind keel_status_t, and the helpers the core uses to make and hand them on.
#pragma once

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "keel/keel_status.h"

// The object a keel_status_t points at. Allocated by libkeel only, so one allocator owns every status,
// whichever side of the ABI created it.
struct keel_status_s {
  keel_status_code_t code;
  std::string message;
  std::string source; // "keel" or a plugin name
};

namespace keel {

// A new status; never NULL for a non-OK code (falls back to a static RESOURCE_EXHAUSTED status when even
// that allocation fails). Returns NULL for KEEL_STATUS_OK.
keel_status_t make_status(keel_status_code_t code, std::string_view message, std::string_view source = "keel");

// The static status returned when memory runs out; releasing it is a no-op.
keel_status_t out_of_memory_status();

void release_status(keel_status_t status);

// Owns a status and releases it on scope exit.
struct StatusDeleter {
  void operator()(keel_status_s* status) const { release_status(status); }
};
using StatusPtr = std::unique_ptr<keel_status_s, StatusDeleter>;

// "<code name>: <message>" for logs.
std::string describe(keel_status_t status);

const char* code_name(keel_status_code_t code);

// Runs `body` (returning keel_status_t) and turns any C++ exception into a status, so that nothing throws
// across the C ABI. `where` names the entry point for the message.
template <class Body>
keel_status_t guarded(const char* where, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return out_of_memory_status();
  } catch (const std::exception& error) {
    return make_status(KEEL_STATUS_INTERNAL, std::string(where) + ": internal error: " + error.what());
  } catch (...) {
    return make_status(KEEL_STATUS_INTERNAL, std::string(where) + ": internal error (unknown exception)");
  }
}

// Prefix a status message with context, keeping code and source. Takes ownership of `status`.
keel_status_t annotate(keel_status_t status, std::string_view prefix);

}  // namespace keel

// Returns early from a function returning keel_status_t when `expr` yields an error.
#define KEEL_RETURN_IF_ERROR(expr)            \
  do {                                        \
    keel_status_t keel_status_tmp_ = (expr);  \
    if (keel_status_tmp_ != nullptr) {        \
      return keel_status_tmp_;                \
    }                                         \
  } while (0)
