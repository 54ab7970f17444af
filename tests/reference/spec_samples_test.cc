// Every sample of every spec operator (ir_spec/ops/*.yaml `samples`), in every dtype it allows, checked against
// the operator's registered reference: once with dense tensors and once with the inputs transposed, reversed
// or offset and the outputs scattered, on both backends (composites, which the plugin leaves to the core's
// lowering, only through libkeel). Input values follow the sample's data domains; the domain `any` mixes in
// the special values of the dtype.
//
// The coverage test fails for every operator of the spec without a reference, i.e. without numeric tests.
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "harness/op_reference.h"
#include "harness/test_support.h"
#include "spec/op_schema.h"
#include "spec/samples.h"
#include "spec/validate.h"

namespace keel::reference_test {
namespace {

// A value of `dtype` from `range`. Unbounded ends are replaced by a small magnitude; for `any`, one value in
// six is a special one (NaN, ±inf, ±0, extremes, subnormals for floats; extremes for integers). Composites
// get no huge finite values: their decompositions square or exponentiate intermediate values in the dtype,
// which overflows where the exact result (the reference) does not, and the spec's bounds do not cover that.
long double draw(const spec::ValueRange& range, keel_dtype_t dtype, bool composite, Random& random) {
  if (dtype == KEEL_DTYPE_BOOL) return static_cast<long double>(random.integer(0, 1));
  if (range.special_values && random.integer(0, 5) == 0) {
    std::vector<long double> specials = special_values(dtype);
    if (composite && is_float(dtype)) {
      std::erase_if(specials, [](long double v) { return std::isfinite(v) && std::fabs(v) > 1e4L; });
    }
    return specials[static_cast<size_t>(random.integer(0, static_cast<int64_t>(specials.size()) - 1))];
  }
  const bool integral = range.integral || !is_float(dtype);
  double lo = std::isfinite(range.lo) ? range.lo : -8.0;
  double hi = std::isfinite(range.hi) ? range.hi : 8.0;
  if (!std::isfinite(range.lo) && std::isfinite(range.hi)) lo = std::min(hi - 8.0, -8.0);
  if (std::isfinite(range.lo) && !std::isfinite(range.hi)) hi = std::max(lo + 8.0, 8.0);
  if (dtype == KEEL_DTYPE_U8) lo = std::max(lo, 0.0);
  for (int attempt = 0; attempt < 100; ++attempt) {
    long double v = integral ? static_cast<long double>(random.integer(static_cast<int64_t>(std::ceil(lo)),
                                                                       static_cast<int64_t>(std::floor(hi))))
                             : random.uniform(lo, hi);
    if (is_float(dtype)) v = round_to(v, dtype);
    const bool inside = (range.lo_open ? v > range.lo : v >= range.lo) && (range.hi_open ? v < range.hi : v <= range.hi);
    if (inside && !(range.exclude_zero && v == 0)) return v;
  }
  return integral ? std::ceil(lo) : (lo + hi) / 2;
}

// Inputs for one expanded sample.
std::vector<HostTensor> sample_inputs(const spec::OpSchema& op, const spec::SampleCall& sample,
                                      const std::vector<spec::TensorMeta>& metas, Random& random) {
  const void* attrs = sample.attrs != nullptr ? sample.attrs : op.default_attrs;
  const spec::CallView view(op, attrs, metas);
  std::vector<HostTensor> inputs;
  for (size_t i = 0; i < metas.size(); ++i) {
    if (metas[i].absent()) {
      inputs.push_back(absent());
      continue;
    }
    const Dims shape(metas[i].dims, metas[i].dims + metas[i].rank);
    std::vector<long double> values(static_cast<size_t>(count_of(shape)));
    const spec::SampleDomain& domain = sample.value_domains[i];
    for (size_t e = 0; e < values.size(); ++e) {
      const spec::ValueRange range = domain.domain(view, {domain.args, domain.arg_count}, i, static_cast<int64_t>(e));
      values[e] = range.empty() ? 0 : draw(range, metas[i].dtype, op.composite(), random);
    }
    inputs.push_back(tensor_of(metas[i].dtype, shape, values));
  }
  return inputs;
}

// The second placement of a sample: inputs and outputs cycle through the non-dense layouts.
std::vector<Layout> strided_layouts(const std::vector<size_t>& ranks, size_t shift) {
  std::vector<Layout> layouts;
  for (size_t i = 0; i < ranks.size(); ++i) {
    const std::vector<Layout> all = Layout::all(ranks[i]);
    layouts.push_back(all[1 + (i + shift) % (all.size() - 1)]);
  }
  return layouts;
}

class SpecSamples : public BackendTest {};

TEST_P(SpecSamples, EverySampleMatchesTheReference) {
  size_t calls = 0;
  for (const spec::OpSchema& op : spec::all_ops()) {
    const Reference reference = find_reference(op.name);
    if (reference == nullptr) continue;
    // The direct backend reaches only the plugin's own kernels; composites may be left to the core's lowering.
    if (!session().backend().can_run(op.name)) {
      if (!op.composite()) ADD_FAILURE() << "the plugin has no kernel for the primitive " << op.name;
      continue;
    }
    for (size_t s = 0; s < op.sample_count; ++s) {
      const spec::SampleCall& sample = op.samples[s];
      for (const std::vector<spec::TensorMeta>& metas : spec::expand_sample(op, sample)) {
        std::string dtypes;
        for (const spec::TensorMeta& meta : metas) dtypes += std::string(" ") + spec::dtype_name(meta.dtype);
        SCOPED_TRACE(std::string(op.name) + " sample " + sample.text + " dtypes" + dtypes);
        Random random(1000 * s + calls);
        const std::vector<HostTensor> inputs = sample_inputs(op, sample, metas, random);
        check_call(session(), op.name, sample.attrs, inputs);

        // The same call with strided views on both sides.
        std::vector<size_t> in_ranks;
        for (const HostTensor& input : inputs) in_ranks.push_back(input.shape.size());
        std::vector<size_t> out_ranks;
        spec::AttrsBuffer full{};
        if (op.attrs_size > 0) spec::normalize_attrs(op, sample.attrs, &full, nullptr);
        const void* full_attrs = op.attrs_size > 0 ? static_cast<const void*>(&full) : nullptr;
        std::vector<spec::TensorMeta> outs(spec::output_count(op, full_attrs, metas));
        spec::infer(op, full_attrs, metas, outs);
        for (const spec::TensorMeta& out : outs) out_ranks.push_back(out.rank);
        check_call(session(), op.name, sample.attrs, inputs, strided_layouts(in_ranks, s),
                   strided_layouts(out_ranks, s + 1));
        ++calls;
      }
    }
  }
  EXPECT_GT(calls, 0u);
}

KEEL_INSTANTIATE_FOR_BACKENDS(SpecSamples);

// Every operator of the spec has a reference here (so its samples above, and usually more cases in its
// group's test file, check its numbers). Composites count only because the libkeel run above takes them
// through the core's lowering.
TEST(Coverage, EverySpecOperatorHasNumericTests) {
  std::vector<std::string> missing;
  for (const spec::OpSchema& op : spec::all_ops()) {
    if (find_reference(op.name) == nullptr) missing.push_back(std::string(op.name) + (op.composite() ? " (composite)" : ""));
    const auto issue = known_decomposition_issues().find(op.name);
    if (issue != known_decomposition_issues().end()) missing.push_back(std::string(op.name) + ": " + issue->second);
    if (op.sample_count == 0) ADD_FAILURE() << op.name << " has no samples, so nothing runs it";
  }
  std::string list;
  for (const std::string& name : missing) list += "\n  " + name;
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << spec::all_ops().size()
                               << " spec operators have no numeric test:" << list;
}

}  // namespace
}  // namespace keel::reference_test
