// Forward-mode levels and tangents (autograd/forward.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "autograd/graph.h"

namespace keel::detail {

uint64_t push_level();
void pop_level(uint64_t level);
uint64_t innermost_level();
std::vector<uint64_t> active_levels();

Tensor tangent_at(const Tensor& tensor, uint64_t level);
void set_tangent(const Tensor& tensor, uint64_t level, const Tensor& value);
void drop_tangent(const Tensor& tensor, uint64_t level);

// Hides one level for its scope (a level's JVP formulas must not see their own perturbation).
class LevelMask {
 public:
  explicit LevelMask(uint64_t level);
  ~LevelMask();
  LevelMask(const LevelMask&) = delete;
  LevelMask& operator=(const LevelMask&) = delete;

 private:
  uint64_t level_;
  size_t position_;
  bool found_;
};

// Hides every level for its scope (a custom function's forward).
class ForwardOff {
 public:
  ForwardOff();
  ~ForwardOff();
  ForwardOff(const ForwardOff&) = delete;
  ForwardOff& operator=(const ForwardOff&) = delete;

 private:
  std::vector<uint64_t> saved_;
};

void set_grad_enabled(bool enabled);

}  // namespace keel::detail
