// keel::nn::Module: registration of parameters, buffers and children; dotted names; modes; device moves.
#include <string>
#include <utility>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/nn.hpp"

namespace keel::nn {

void Module::fail(const std::string& message) const {
  throw Error(KEEL_STATUS_INVALID_ARGUMENT, type_name_ + ": " + message, "keel");
}

void Module::register_parameter(std::string name, Tensor& slot) {
  if (!slot.defined()) fail("parameter '" + name + "' is undefined");
  if (!is_floating_point(slot.dtype())) fail("parameter '" + name + "' must be floating point");
  if (!slot.is_leaf()) slot = slot.detach();
  slot.requires_grad_(true);
  parameters_.emplace_back(std::move(name), &slot);
}

void Module::register_buffer(std::string name, Tensor& slot) {
  if (!slot.defined()) fail("buffer '" + name + "' is undefined");
  buffers_.emplace_back(std::move(name), &slot);
}

void Module::add_child(std::string name, ModulePtr child) {
  if (child == nullptr) fail("child module '" + name + "' is null");
  if (child.get() == this) fail("a module cannot contain itself");
  children_.emplace_back(std::move(name), std::move(child));
}

void Module::collect(const std::string& prefix, bool parameters,
                     std::vector<std::pair<std::string, Tensor*>>& out) const {
  for (const auto& [name, slot] : parameters ? parameters_ : buffers_) out.emplace_back(prefix + name, slot);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", parameters, out);
}

namespace {
std::vector<std::pair<std::string, Tensor>> values(const std::vector<std::pair<std::string, Tensor*>>& slots) {
  std::vector<std::pair<std::string, Tensor>> out;
  out.reserve(slots.size());
  for (const auto& [name, slot] : slots) out.emplace_back(name, *slot);
  return out;
}
}  // namespace

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor*>> slots;
  collect("", true, slots);
  return values(slots);
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor*>> slots;
  collect("", false, slots);
  return values(slots);
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, tensor] : named_parameters()) out.push_back(std::move(tensor));
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::state() const {
  std::vector<std::pair<std::string, Tensor*>> slots;
  collect("", true, slots);
  collect("", false, slots);
  return values(slots);
}

Tensor& Module::state_entry(const std::string& name) {
  std::vector<std::pair<std::string, Tensor*>> slots;
  collect("", true, slots);
  collect("", false, slots);
  for (const auto& [entry, slot] : slots) {
    if (entry == name) return *slot;
  }
  throw Error(KEEL_STATUS_NOT_FOUND, type_name_ + ": no parameter or buffer named '" + name + "'", "keel");
}

void Module::train(bool on) {
  training_ = on;
  for (const auto& [name, child] : children_) child->train(on);
}

void Module::to(const Device& device) {
  const autograd::NoGrad no_grad;
  std::vector<std::pair<std::string, Tensor*>> slots;
  collect("", true, slots);
  for (const auto& [name, slot] : slots) {
    *slot = slot->detach().to(device);
    slot->requires_grad_(true);
  }
  slots.clear();
  collect("", false, slots);
  for (const auto& [name, slot] : slots) *slot = slot->detach().to(device);
}

}  // namespace keel::nn
