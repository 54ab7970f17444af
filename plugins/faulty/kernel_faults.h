// Kernel faults: every kernel the backend registers is wrapped; the wrapper crashes, hangs, or perturbs
// the results of the calls a fault names, and otherwise forwards to the backend's kernel unchanged.
#pragma once

#include "backend.h"

namespace keel::faulty {

struct WrappedKernel {
  std::string op;
  const keel_kernel_api_t* inner = nullptr;
  void* inner_ctx = nullptr;
};

// Registers `registration` with the real host, wrapped.
keel_status_t register_wrapped(Instance& instance, const keel_kernel_registration_t* registration);

}  // namespace keel::faulty
