// One conformance case: its identity, the profile it belongs to, and what a worker needs to run it.
//
// Case identifiers are stable, dot-separated and unique, e.g.
//   abi.exports                      memory.copy_nan_payloads        stress.threads_queues
//   ops.add.f32.s0.strided           ops.reduce_sum.f32.s1.cancel     ops.exp.f16.s0.special
//   negative.add.C1                  determinism.matmul.f32.s2        autograd.tanh.f32.s0.vjp
// The must-pass lists under conformance/profiles/ are lists of these identifiers.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/outcome.h"
#include "model/profiles.h"
#include "spec/op_schema.h"
#include "spec/validate.h"

namespace keel::conform {

class WorkerContext;
struct CaseSpec;

// What a case comes to in the worker. The parent adds waivers, crashes and timeouts.
struct CaseResult {
  Outcome outcome = Outcome::kPass;
  std::string reason;                  // why it did not pass (or what was unsupported); empty on a pass
  std::optional<double> max_ulp;       // numeric cases: the largest error in ulps of the output dtype
  std::optional<double> max_abs_error; // numeric cases: the largest absolute error
  double time_ms = 0;
};

using CaseRunner = CaseResult (*)(WorkerContext& context, const CaseSpec& spec);

// How a numeric case lays its tensors out in their buffers (inputs and outputs alike, except `broadcast`,
// which only changes inputs).
enum class ViewKind {
  kDense,      // row-major, byte_offset 0
  kOffset,     // row-major, starting a few elements into the buffer
  kStrided,    // row-major with a gap after every element of the innermost dimension and after every row
  kReversed,   // every dimension walked backwards (negative strides)
  kTransposed, // the storage is column-major: the view is a transpose of a dense buffer
  kBroadcast,  // inputs repeat along their outermost dimension larger than 1 (stride 0)
};
const char* view_name(ViewKind view);

// Which values fill the inputs.
enum class DataSet {
  kUniform, // values spread over the input's data domain
  kCancel,  // large values of both signs that cancel, plus small ones (accumulating operators)
  kSpecial, // special values the operator's semantics define: NaN, ±inf, ±0, extremes, INT_MIN, ...
};
const char* data_set_name(DataSet data);

// A concrete, valid call of a spec operator: one of its samples with every dtype decided.
struct OpCall {
  const spec::OpSchema* op = nullptr;
  size_t sample = 0;                          // index into op->samples
  std::vector<spec::TensorMeta> inputs;       // dtypes and shapes
  std::vector<spec::TensorMeta> outputs;      // as the spec infers them
  std::shared_ptr<const spec::AttrsBuffer> attrs; // normalized keel_<op>_attrs_t; null without attributes
  std::vector<const spec::SampleDomain*> domains; // data domain per input; null for an absent input
  std::string dtype_label;                    // "f32", or "f32-i64" when several type variables vary
  const void* attrs_ptr() const { return attrs ? attrs->bytes : nullptr; }
  // An absent optional input has dtype KEEL_DTYPE_INVALID.
  bool absent(size_t input) const { return inputs[input].dtype == KEEL_DTYPE_INVALID; }
  // The values input `input` may hold at flat position `element` (its data domain, evaluated).
  spec::ValueRange domain(size_t input, int64_t element) const;
};

struct CaseSpec {
  std::string id;
  Layer layer = Layer::kAbi;
  Profile profile = Profile::kBase;
  bool must_pass = true;       // false for cases a layer cannot run yet (they stay off the lists)
  bool quick = false;          // part of the --quick subset
  std::string group;           // cases of one group share inputs and references: run on one worker in order
  double timeout_scale = 1.0;  // multiplies the per-case time limit
  CaseRunner run = nullptr;
  std::string description;     // one line for reports

  // Operator layers.
  const spec::OpSchema* op = nullptr;
  std::shared_ptr<const OpCall> call;
  ViewKind view = ViewKind::kDense;
  DataSet data = DataSet::kUniform;
  // Negative layer: the constraint id and which of the op's negative examples.
  std::string constraint;
  size_t example = 0;
};

// Helpers for case runners.
inline CaseResult passed() { return CaseResult{}; }
inline CaseResult failed(std::string reason) {
  CaseResult result;
  result.outcome = Outcome::kFail;
  result.reason = std::move(reason);
  return result;
}
inline CaseResult unsupported(std::string reason) {
  CaseResult result;
  result.outcome = Outcome::kUnsupported;
  result.reason = std::move(reason);
  return result;
}

}  // namespace keel::conform
