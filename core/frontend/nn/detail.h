// Helpers shared by the nn layer sources.
#pragma once

#include "keel/nn.hpp"

namespace keel::nn::detail {

// The TensorOptions of a module's new tensors.
inline TensorOptions options_of(const ModuleTensorOptions& options) {
  return {.dtype = options.dtype, .device = options.device};
}

}  // namespace keel::nn::detail
