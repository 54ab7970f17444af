#include "layers/ops/numeric_cases.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "layers/check.h"
#include "layers/ops/accumulation_bounds.h"
#include "layers/ops/data_sets.h"
#include "layers/ops/dtype_convert.h"
#include "layers/ops/op_inputs.h"
#include "layers/ops/sample_calls.h"
#include "layers/ops/tolerance.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

// Inputs and reference results of one data set of one call, shared by the view cases of a group.
struct Prepared {
  std::string input_error;      // the inputs could not be made (a data domain admits no value)
  std::vector<HostTensor> inputs;
  bool reference_done = false;
  std::string reference_error;  // the reference plugin could not compute the call
  std::vector<HostTensor> reference;
  std::vector<HostTensor> on_abs;  // only for magnitude op_on_abs
};

struct NumericGroup {
  std::map<std::string, std::shared_ptr<Prepared>> prepared;
};

std::shared_ptr<Prepared> prepare_inputs(WorkerContext& context, const CaseSpec& spec) {
  std::shared_ptr<void>& slot = context.group_slot(spec.group);
  if (!slot) slot = std::make_shared<NumericGroup>();
  NumericGroup& group = *std::static_pointer_cast<NumericGroup>(slot);
  const bool broadcast = spec.view == ViewKind::kBroadcast;
  const std::string key = std::string(data_set_name(spec.data)) + (broadcast ? "+broadcast" : "");
  std::shared_ptr<Prepared>& prepared = group.prepared[key];
  if (prepared) return prepared;
  prepared = std::make_shared<Prepared>();
  std::optional<std::vector<HostTensor>> inputs = make_inputs(*spec.call, spec.data, broadcast, &prepared->input_error);
  if (inputs) prepared->inputs = std::move(*inputs);
  return prepared;
}

// The reference: exact operators (and those promotion would change) in their own dtype when the reference
// plugin computes it, every other operator promoted to f64 (call_execution.h).
std::vector<HostTensor> reference_for(WorkerContext& context, const OpCall& call, const std::vector<HostTensor>& inputs) {
  const bool keep_dtype = promotion_changes_meaning(call);
  if (!keep_dtype && call.op->tolerance.cls != spec::ToleranceClass::kExact) {
    return reference_outputs(context.reference(), call, inputs, ReferenceMode::kPromoted);
  }
  try {
    return reference_outputs(context.reference(), call, inputs, ReferenceMode::kSameDtype);
  } catch (const Error& error) {
    const bool declined = error.code() == KEEL_STATUS_UNIMPLEMENTED || error.code() == KEEL_STATUS_UNAVAILABLE;
    if (keep_dtype || !declined) throw;
    return reference_outputs(context.reference(), call, inputs, ReferenceMode::kPromoted);
  }
}

void prepare_reference(WorkerContext& context, const OpCall& call, Prepared& prepared) {
  if (prepared.reference_done) return;
  prepared.reference_done = true;
  try {
    prepared.reference = reference_for(context, call, prepared.inputs);
    if (call.op->tolerance.cls == spec::ToleranceClass::kAccumulation &&
        call.op->tolerance.magnitude == spec::Magnitude::kOpOnAbs) {
      prepared.on_abs = reference_outputs(context.reference(), call, prepared.inputs, ReferenceMode::kOnAbs);
    }
  } catch (const Error& error) {
    prepared.reference_error = error.what();
  }
}

// The device under test runs first: a call it declines is unsupported whatever the reference can do. A
// call the reference plugin cannot compute is not_run (no verdict without an oracle), never a pass.
CaseResult run_numeric(WorkerContext& context, const CaseSpec& spec) {
  const std::shared_ptr<Prepared> prepared = prepare_inputs(context, spec);
  require(prepared->input_error.empty(), "the suite could not make inputs: " + prepared->input_error);
  const OpCall& call = *spec.call;
  DeviceRun run;
  try {
    run = run_on_device(context.dut(), call, prepared->inputs, spec.view);
  } catch (const Error& error) {
    if (error.code() == KEEL_STATUS_UNIMPLEMENTED || error.code() == KEEL_STATUS_UNAVAILABLE) {
      return unsupported(error.what());
    }
    return failed(error.what());
  }
  require(run.padding_error.empty(), run.padding_error);
  prepare_reference(context, call, *prepared);
  if (!prepared->reference_error.empty()) {
    CaseResult result;
    result.outcome = Outcome::kNotRun;
    result.reason = "no reference: the reference plugin cannot compute this call (" + prepared->reference_error + ")";
    return result;
  }
  CaseResult result;
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    std::vector<double> bounds;
    if (call.op->tolerance.cls == spec::ToleranceClass::kAccumulation) {
      bounds = accumulation_bounds(call, prepared->inputs, i, prepared->reference[i],
                                   prepared->on_abs.empty() ? nullptr : &prepared->on_abs[i]);
    }
    const Comparison comparison = compare_output(*call.op, run.outputs[i], prepared->reference[i], bounds);
    if (comparison.has_errors) {
      result.max_ulp = std::max(result.max_ulp.value_or(0), comparison.max_ulp);
      result.max_abs_error = std::max(result.max_abs_error.value_or(0), comparison.max_abs);
    }
    if (!comparison.ok && result.outcome == Outcome::kPass) {
      result.outcome = Outcome::kFail;
      result.reason = "output " + std::to_string(i) + ": " + comparison.detail;
    }
  }
  return result;
}

bool accumulating(const OpCall& call) { return call.op->tolerance.cls == spec::ToleranceClass::kAccumulation; }

bool has_float_input(const OpCall& call) {
  for (const spec::TensorMeta& meta : call.inputs) {
    if (is_float_dtype(meta.dtype) && meta.element_count() > 0) return true;
  }
  return false;
}

CaseSpec numeric_case(const std::shared_ptr<const OpCall>& call, Profile profile, const std::string& suffix,
                      ViewKind view, DataSet data, bool quick) {
  CaseSpec spec;
  spec.id = "ops." + call_key(*call) + "." + suffix;
  spec.layer = Layer::kOps;
  spec.profile = profile;
  spec.quick = quick;
  spec.group = "ops." + call_key(*call);
  spec.run = run_numeric;
  spec.op = call->op;
  spec.call = call;
  spec.view = view;
  spec.data = data;
  spec.description = std::string(call->op->name) + " " + call->dtype_label + " sample " + std::to_string(call->sample) +
                     " (" + call->op->samples[call->sample].text + "), " + view_name(view) + " views, " +
                     data_set_name(data) + " data";
  return spec;
}

}  // namespace

bool has_several_elements(const OpCall& call) {
  for (const auto* list : {&call.inputs, &call.outputs}) {
    for (const spec::TensorMeta& meta : *list) {
      if (meta.element_count() > 1) return true;
    }
  }
  return false;
}

bool has_matrix(const OpCall& call) {
  for (const auto* list : {&call.inputs, &call.outputs}) {
    for (const spec::TensorMeta& meta : *list) {
      int large = 0;
      for (uint32_t i = 0; i < meta.rank; ++i) large += meta.dims[i] > 1 ? 1 : 0;
      if (large >= 2) return true;
    }
  }
  return false;
}

bool has_broadcastable_input(const OpCall& call) {
  for (const spec::TensorMeta& meta : call.inputs) {
    for (uint32_t i = 0; i < meta.rank; ++i) {
      if (meta.dims[i] > 1) return true;
    }
  }
  return false;
}

void add_numeric_cases(std::vector<CaseSpec>& cases) {
  for (const spec::OpSchema& op : spec::all_ops()) {
    std::set<std::string> quick_labels;  // the first call of each dtype label is in the quick subset
    for (const std::shared_ptr<const OpCall>& call : expand_samples(op)) {
      const std::optional<Profile> profile = op_case_profile(op.name, op.group, call_dtype_profiles(*call));
      if (!profile) continue;
      const bool quick = quick_labels.insert(call->dtype_label).second;
      cases.push_back(numeric_case(call, *profile, "dense", ViewKind::kDense, DataSet::kUniform, quick));
      if (has_several_elements(*call)) {
        cases.push_back(numeric_case(call, *profile, "offset", ViewKind::kOffset, DataSet::kUniform, false));
        cases.push_back(numeric_case(call, *profile, "strided", ViewKind::kStrided, DataSet::kUniform, quick));
        cases.push_back(numeric_case(call, *profile, "reversed", ViewKind::kReversed, DataSet::kUniform, false));
        if (has_matrix(*call)) {
          cases.push_back(numeric_case(call, *profile, "transposed", ViewKind::kTransposed, DataSet::kUniform, false));
        }
        if (has_broadcastable_input(*call)) {
          cases.push_back(numeric_case(call, *profile, "broadcast", ViewKind::kBroadcast, DataSet::kUniform, false));
        }
        if (accumulating(*call) && has_float_input(*call)) {
          cases.push_back(numeric_case(call, *profile, "cancel", ViewKind::kDense, DataSet::kCancel, quick));
        }
      }
      if (admits_special_values(*call)) {
        cases.push_back(numeric_case(call, *profile, "special", ViewKind::kDense, DataSet::kSpecial, quick));
      }
    }
  }
}

}  // namespace keel::conform
