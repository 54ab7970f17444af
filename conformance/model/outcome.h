// What a conformance case can come to, and the layers cases belong to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keel::conform {

// The result of one case. The parent process turns pass/fail into xpass/expected_fail when a waiver covers
// the case; a worker never reports those two.
enum class Outcome {
  kPass,
  kFail,
  kUnsupported,   // the plugin declined the call (UNIMPLEMENTED or UNAVAILABLE), with its reason
  kExpectedFail,  // did not pass, and a waiver for this plugin says so
  kXpass,         // passed although a waiver expected a failure: counts as a failure
  kCrashed,       // the worker died while running the case
  kTimedOut,      // the case ran past its time limit; the worker was killed
  kNotRun,        // the layer cannot run yet (e.g. autograd before the front end exists); never a pass
};

inline constexpr Outcome kAllOutcomes[] = {Outcome::kPass,         Outcome::kFail,    Outcome::kUnsupported,
                                           Outcome::kExpectedFail, Outcome::kXpass,   Outcome::kCrashed,
                                           Outcome::kTimedOut,     Outcome::kNotRun};

const char* outcome_name(Outcome outcome);  // "pass", "fail", "unsupported", "expected_fail", ...
std::optional<Outcome> parse_outcome(std::string_view name);

// Whether a must-pass case with this outcome lets its profile pass.
inline bool satisfies_must_pass(Outcome outcome) {
  return outcome == Outcome::kPass || outcome == Outcome::kExpectedFail;
}

enum class Layer { kAbi, kMemory, kRuntime, kStress, kOps, kNegative, kDeterminism, kGraph, kAutograd };

inline constexpr Layer kAllLayers[] = {Layer::kAbi,      Layer::kMemory,      Layer::kRuntime,
                                       Layer::kStress,   Layer::kOps,         Layer::kNegative,
                                       Layer::kDeterminism, Layer::kGraph,    Layer::kAutograd};

const char* layer_name(Layer layer);  // "abi", "memory", "runtime", "stress", "ops", "negative", ...
std::optional<Layer> parse_layer(std::string_view name);

}  // namespace keel::conform
