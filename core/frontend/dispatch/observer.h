// Observing eager calls, for tracing (core/graph/trace): while an observer is installed on a thread, it sees
// every spec call made there at top level, after the call ran. Calls made on behalf of another call (a
// composite's decomposition, forward-mode tangents) are part of that call and are not reported separately;
// the autograd engine's backward calls are top level and are reported.
#pragma once

#include <cstdint>
#include <span>

#include "dispatch/dispatch.h"

namespace keel::detail {

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // `op` is the call's index in op_table(); `attrs` its keel_<op>_attrs_t (nullptr: the defaults).
  virtual void on_call(int32_t op, const void* attrs, Inputs inputs, std::span<const Tensor> outputs) = 0;
};

// Installs `observer` for the calling thread (nullptr removes it); returns the one it replaces. The observer
// must outlive its installation.
CallObserver* set_call_observer(CallObserver* observer);

}  // namespace keel::detail
