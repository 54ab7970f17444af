#include "layers/ops/sample_calls.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "layers/ops/data_sets.h"
#include "spec/samples.h"
#include "spec/validate.h"

namespace keel::conform {
namespace {

// The dtype attribute through which alone the primary type variable is bound, or -1.
int32_t primary_dtype_attr(const spec::OpSchema& op, const std::vector<spec::TensorMeta>& inputs) {
  if (op.type_var_count == 0) return -1;
  for (size_t p = 0; p < inputs.size(); ++p) {
    const spec::TensorSchema& schema = op.inputs[std::min(p, op.input_count - 1)];
    if (schema.type_var == 0 && inputs[p].dtype != KEEL_DTYPE_INVALID) return -1;
  }
  for (size_t i = 0; i < op.attr_count; ++i) {
    if (op.attrs[i].type == spec::AttrType::kDtype && op.attrs[i].type_var == 0) return static_cast<int32_t>(i);
  }
  return -1;
}

std::string label_of(const spec::OpSchema& op, const OpCall& call) {
  std::string label;
  for (size_t v = 0; v < op.type_var_count; ++v) {
    const keel_dtype_t dtype = spec::bound_dtype(op, call.attrs_ptr(), call.inputs, static_cast<int32_t>(v));
    if (dtype != KEEL_DTYPE_INVALID) label += (label.empty() ? "" : "-") + std::string(spec::dtype_name(dtype));
  }
  return label.empty() ? "none" : label;
}

std::optional<OpCall> make_call(const spec::OpSchema& op, size_t sample_index, std::vector<spec::TensorMeta> inputs,
                                int32_t dtype_attr, keel_dtype_t attr_dtype) {
  const spec::SampleCall& sample = op.samples[sample_index];
  OpCall call;
  call.op = &op;
  call.sample = sample_index;
  call.inputs = std::move(inputs);
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    const bool present = call.inputs[i].dtype != KEEL_DTYPE_INVALID && sample.value_domains != nullptr;
    call.domains.push_back(present ? &sample.value_domains[i] : nullptr);
  }
  if (op.attr_count > 0) {
    auto attrs = std::make_shared<spec::AttrsBuffer>();
    std::string why;
    if (!spec::normalize_attrs(op, sample.attrs, attrs->bytes, &why)) return std::nullopt;
    if (dtype_attr >= 0) std::memcpy(attrs->bytes + op.attrs[dtype_attr].offset, &attr_dtype, sizeof attr_dtype);
    call.attrs = attrs;
  }
  if (spec::check(op, call.attrs_ptr(), call.inputs)) return std::nullopt;  // not a valid call
  call.outputs.resize(spec::output_count(op, call.attrs_ptr(), call.inputs));
  spec::infer(op, call.attrs_ptr(), call.inputs, call.outputs);
  call.dtype_label = label_of(op, call);
  for (size_t i = 0; i < call.inputs.size(); ++i) {
    // A sample written for floats (domain unit_interval) has no data in an integer dtype: not a case.
    if (call.domains[i] != nullptr && call.inputs[i].element_count() > 0 &&
        !domain_admits(call.inputs[i].dtype, call.domain(i, 0))) {
      return std::nullopt;
    }
  }
  return call;
}

}  // namespace

std::vector<std::shared_ptr<const OpCall>> expand_samples(const spec::OpSchema& op) {
  std::vector<std::shared_ptr<const OpCall>> calls;
  for (size_t s = 0; s < op.sample_count; ++s) {
    for (std::vector<spec::TensorMeta>& inputs : spec::expand_sample(op, op.samples[s])) {
      const int32_t dtype_attr = primary_dtype_attr(op, inputs);
      const size_t variants = dtype_attr >= 0 ? op.type_vars[0].dtype_count : 1;
      for (size_t d = 0; d < variants; ++d) {
        const keel_dtype_t dtype = dtype_attr >= 0 ? op.type_vars[0].dtypes[d] : keel_dtype_t{KEEL_DTYPE_INVALID};
        if (std::optional<OpCall> call = make_call(op, s, inputs, dtype_attr, dtype)) {
          calls.push_back(std::make_shared<const OpCall>(std::move(*call)));
        }
      }
    }
  }
  return calls;
}

std::vector<std::string> call_dtype_profiles(const OpCall& call) {
  std::vector<std::string> profiles;
  const auto add = [&](keel_dtype_t dtype) {
    for (const spec::DtypeInfo& info : spec::all_dtypes()) {
      if (info.dtype == dtype) profiles.emplace_back(info.profile);
    }
  };
  for (const spec::TensorMeta& meta : call.inputs) add(meta.dtype);
  for (const spec::TensorMeta& meta : call.outputs) add(meta.dtype);
  return profiles;
}

}  // namespace keel::conform
