#include "model/outcome.h"

namespace keel::conform {

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kUnsupported: return "unsupported";
    case Outcome::kExpectedFail: return "expected_fail";
    case Outcome::kXpass: return "xpass";
    case Outcome::kCrashed: return "crashed";
    case Outcome::kTimedOut: return "timed_out";
    case Outcome::kNotRun: return "not_run";
  }
  return "?";
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (Outcome outcome : kAllOutcomes) {
    if (name == outcome_name(outcome)) return outcome;
  }
  return std::nullopt;
}

const char* layer_name(Layer layer) {
  switch (layer) {
    case Layer::kAbi: return "abi";
    case Layer::kMemory: return "memory";
    case Layer::kRuntime: return "runtime";
    case Layer::kStress: return "stress";
    case Layer::kOps: return "ops";
    case Layer::kNegative: return "negative";
    case Layer::kDeterminism: return "determinism";
    case Layer::kGraph: return "graph";
    case Layer::kAutograd: return "autograd";
  }
  return "?";
}

std::optional<Layer> parse_layer(std::string_view name) {
  for (Layer layer : kAllLayers) {
    if (name == layer_name(layer)) return layer;
  }
  return std::nullopt;
}

}  // namespace keel::conform
