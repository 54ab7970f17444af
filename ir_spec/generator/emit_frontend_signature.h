// The C++ signatures of a spec operator in keel/ops.hpp: one with every input, plus one per way of leaving
// out trailing optional inputs, plus a braced-list overload for a variadic input.
#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace keel::specgen {

struct FrontendSignature {
  std::string return_type;
  std::string params_decl;  // with default arguments
  std::string params_def;   // without them
  size_t inputs_given = 0;  // leading inputs this overload takes; the rest are absent optional inputs
  bool braced_list = false; // the variadic input as std::initializer_list (forwards to the span overload)
};

std::vector<FrontendSignature> frontend_signatures(const OpDef& op);

}  // namespace keel::specgen
