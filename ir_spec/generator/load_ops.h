// Loads ops/*.yaml: one group of operators per file.
#pragma once

#include <string>

#include "diagnostics.h"
#include "model.h"

namespace keel::specgen {

// Reads one operator file. Everything that one entry can be checked against on its own (keys, value types,
// names, dtypes, type sets, attribute values, example syntax, constraint numbering) is checked here; what
// refers to other operators or to spec.yaml's rules is left to check_spec().
bool load_op_group(const std::string& path, const GlobalSpec& global, Diagnostics& diag, GroupDef& out);

}  // namespace keel::specgen
