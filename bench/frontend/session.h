// The front end set up for this build's plugins (not the environment's), and the devices the cases run on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keel/tensor.hpp"

namespace keel::bench {

// Loads the plugins of this build directory; call once before the first tensor.
void configure_runtime();
// The device named `name`, or nullopt with `why` saying what is missing (the plugin is not built, or it found
// no device on this machine).
std::optional<Device> find_device(std::string_view name, std::string& why);

}  // namespace keel::bench
