// Sequential: children applied in order, named by position.
#include <string>
#include <utility>
#include <vector>

#include "keel/nn.hpp"

namespace keel::nn {

Sequential::Sequential(std::vector<ModulePtr> modules) : Module("Sequential") {
  for (ModulePtr& module : modules) push_back(std::move(module));
}

void Sequential::push_back(ModulePtr module) { register_module(std::to_string(children().size()), std::move(module)); }

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, child] : children()) x = child->forward(x);
  return x;
}

}  // namespace keel::nn
