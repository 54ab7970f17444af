#include "layers/autograd/autograd_layer.h"

#include <string>

namespace keel::conform {
namespace {

constexpr const char* kPendingReason =
    "pending: the autograd front end (core/autograd) does not exist yet, so gradients cannot be computed "
    "through the plugin; this case is not on any must-pass list";

CaseResult run_pending(WorkerContext&, const CaseSpec&) {
  CaseResult result;
  result.outcome = Outcome::kNotRun;
  result.reason = kPendingReason;
  return result;
}

}  // namespace

void add_autograd_cases(std::vector<CaseSpec>& cases) {
  for (const spec::OpSchema& op : spec::all_ops()) {
    if (!op.differentiable) continue;
    for (const char* mode : {"vjp", "jvp"}) {
      CaseSpec spec;
      spec.id = "autograd." + std::string(op.name) + "." + mode;
      spec.layer = Layer::kAutograd;
      spec.profile = Profile::kCoreTraining;
      spec.must_pass = false;
      spec.quick = true;
      spec.run = run_pending;
      spec.op = &op;
      spec.description = std::string(mode) + " of " + op.name + " through the plugin vs f64 finite differences";
      cases.push_back(std::move(spec));
    }
  }
}

}  // namespace keel::conform
