#include "spec/samples.h"

#include <algorithm>

namespace keel::spec {
namespace {

const TensorSchema& input_schema(const OpSchema& op, size_t position) {
  return op.inputs[std::min(position, op.input_count - 1)];
}

}  // namespace

std::vector<std::vector<TensorMeta>> expand_sample(const OpSchema& op, const SampleCall& sample) {
  std::vector<TensorMeta> base(sample.inputs, sample.inputs + sample.input_count);
  // Per type variable: the pinned dtype, if any, and whether a free input needs one.
  std::vector<keel_dtype_t> pinned(op.type_var_count, KEEL_DTYPE_INVALID);
  std::vector<bool> needed(op.type_var_count, false);
  for (size_t p = 0; p < base.size(); ++p) {
    const TensorSchema& schema = input_schema(op, p);
    bool absent = p < 32 && (sample.absent_inputs >> p & 1u);
    if (absent) continue;
    if (schema.type_var < 0) {
      base[p].dtype = schema.fixed_dtype;
    } else if (base[p].dtype != KEEL_DTYPE_INVALID) {
      pinned[schema.type_var] = base[p].dtype;
    } else {
      needed[schema.type_var] = true;
    }
  }
  std::vector<int32_t> varying;  // free type variables, in declaration order
  for (size_t v = 0; v < op.type_var_count; ++v) {
    if (needed[v] && pinned[v] == KEEL_DTYPE_INVALID) varying.push_back(static_cast<int32_t>(v));
  }
  std::vector<std::vector<TensorMeta>> out;
  std::vector<size_t> choice(varying.size(), 0);  // an odometer over the varying variables' dtypes
  while (true) {
    std::vector<keel_dtype_t> dtype = pinned;
    for (size_t i = 0; i < varying.size(); ++i) dtype[varying[i]] = op.type_vars[varying[i]].dtypes[choice[i]];
    std::vector<TensorMeta> call = base;
    for (size_t p = 0; p < call.size(); ++p) {
      const TensorSchema& schema = input_schema(op, p);
      bool absent = p < 32 && (sample.absent_inputs >> p & 1u);
      if (!absent && schema.type_var >= 0 && call[p].dtype == KEEL_DTYPE_INVALID)
        call[p].dtype = dtype[schema.type_var];
    }
    out.push_back(std::move(call));
    size_t i = varying.size();
    while (i > 0 && ++choice[i - 1] == op.type_vars[varying[i - 1]].dtype_count) choice[--i] = 0;
    if (i == 0) break;
  }
  return out;
}

}  // namespace keel::spec
