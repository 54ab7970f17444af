// Loads spec.yaml: the spec version, dtypes, profiles, type sets, predicates, shape rules and helpers.
#pragma once

#include <string>

#include "diagnostics.h"
#include "model.h"

namespace keel::specgen {

// Fills `out` from the file at `path`; reports every problem through `diag`. Returns diag.ok() for this file.
bool load_global_spec(const std::string& path, Diagnostics& diag, GlobalSpec& out);

}  // namespace keel::specgen
