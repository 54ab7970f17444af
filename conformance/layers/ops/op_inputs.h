// The host-side inputs of a numeric case: deterministic values from each input's data domain and the
// case's data set, seeded by the call's identity (so every view of one call sees the same values).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layers/ops/call_execution.h"

namespace keel::conform {

// "<op>.<dtypes>.s<sample>": the identity numeric, determinism and group names share.
std::string call_key(const OpCall& call);

// nullopt with *error when a domain is unknown. With `repeat_for_broadcast`, every input repeats along the
// dimension the kBroadcast view gives stride 0.
std::optional<std::vector<HostTensor>> make_inputs(const OpCall& call, DataSet set, bool repeat_for_broadcast,
                                                   std::string* error);

}  // namespace keel::conform
