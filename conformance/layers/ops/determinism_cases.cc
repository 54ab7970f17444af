#include "layers/ops/determinism_cases.h"

#include <set>

#include "layers/check.h"
#include "layers/ops/numeric_cases.h"
#include "layers/ops/op_inputs.h"
#include "layers/ops/sample_calls.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

constexpr int kRepeats = 3;

CaseResult run_determinism(WorkerContext& context, const CaseSpec& spec) {
  const OpCall& call = *spec.call;
  std::string error;
  std::optional<std::vector<HostTensor>> inputs = make_inputs(call, DataSet::kUniform, false, &error);
  require(inputs.has_value(), error);
  std::vector<HostTensor> first;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    DeviceRun run;
    try {
      run = run_on_device(context.dut(), call, *inputs, ViewKind::kDense);
    } catch (const Error& failure) {
      if (failure.code() == KEEL_STATUS_UNIMPLEMENTED || failure.code() == KEEL_STATUS_UNAVAILABLE) {
        return unsupported(failure.what());
      }
      return failed(failure.what());
    }
    if (repeat == 0) {
      first = std::move(run.outputs);
      continue;
    }
    for (size_t i = 0; i < first.size(); ++i) {
      if (run.outputs[i].bytes != first[i].bytes) {
        size_t byte = 0;
        while (run.outputs[i].bytes[byte] == first[i].bytes[byte]) ++byte;
        return failed("run " + std::to_string(repeat + 1) + " differs from run 1 in output " + std::to_string(i) +
                      " at byte " + std::to_string(byte) + " (the spec marks " + call.op->name + " deterministic)");
      }
    }
  }
  return passed();
}

}  // namespace

void add_determinism_cases(std::vector<CaseSpec>& cases) {
  for (const spec::OpSchema& op : spec::all_ops()) {
    if (!op.deterministic) continue;
    std::set<std::string> quick_labels;
    for (const std::shared_ptr<const OpCall>& call : expand_samples(op)) {
      const std::optional<Profile> profile = op_case_profile(op.name, op.group, call_dtype_profiles(*call));
      if (!profile || !has_several_elements(*call)) continue;
      CaseSpec spec;
      spec.id = "determinism." + call_key(*call);
      spec.layer = Layer::kDeterminism;
      spec.profile = *profile;
      spec.quick = quick_labels.insert(call->dtype_label).second;
      spec.run = run_determinism;
      spec.op = &op;
      spec.call = call;
      spec.description = std::string(op.name) + " " + call->dtype_label + " sample " + std::to_string(call->sample) +
                         ": " + std::to_string(kRepeats) + " runs give the same bits";
      cases.push_back(std::move(spec));
    }
  }
}

}  // namespace keel::conform
