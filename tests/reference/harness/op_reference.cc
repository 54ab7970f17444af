#include "harness/op_reference.h"

#include <cmath>
#include <map>

#include "harness/numeric.h"
#include "spec/op_schema.h"
#include "spec/validate.h"

namespace keel::reference_test {
namespace {

std::map<std::string, Reference>& registry() {
  static std::map<std::string, Reference> references;
  return references;
}

double ulps_for(const spec::Tolerance& tolerance, keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return tolerance.ulp_f16;
    case KEEL_DTYPE_BF16: return tolerance.ulp_bf16;
    case KEEL_DTYPE_F32: return tolerance.ulp_f32;
    default: return tolerance.ulp_f64;
  }
}

long double entry(const std::vector<long double>& list, size_t i) { return list.size() == 1 ? list[0] : list.at(i); }

// The largest |x| at element i over the inputs with the output's element count (magnitude inputs_and_output).
long double largest_input_at(const std::vector<HostTensor>& inputs, int64_t count, size_t i) {
  long double largest = 0;
  for (const HostTensor& input : inputs) {
    if (input.dtype == KEEL_DTYPE_INVALID || input.count() != count || !is_float(input.dtype)) continue;
    largest = std::fmax(largest, std::fabs(input.value(static_cast<int64_t>(i))));
  }
  return largest;
}

// `got` against the reference values under the operator's tolerance class.
testing::AssertionResult compare_values(const spec::OpSchema& op, const HostTensor& got, const Expected& expected,
                                        const std::vector<HostTensor>& inputs) {
  if (static_cast<size_t>(got.count()) != expected.values.size()) {
    return testing::AssertionFailure() << "the reference has " << expected.values.size() << " values for "
                                       << got.count() << " elements";
  }
  const spec::Tolerance& tolerance = op.tolerance;
  if (!is_float(got.dtype) || tolerance.cls == spec::ToleranceClass::kExact) {
    return exactly(got, tensor_of(got.dtype, got.shape, expected.values));
  }
  if (tolerance.cls == spec::ToleranceClass::kUlp) return within_ulps(got, expected.values, ulps_for(tolerance, got.dtype));
  // Accumulation: c · K · ε · M.
  std::vector<long double> bound(expected.values.size());
  for (size_t i = 0; i < bound.size(); ++i) {
    const long double ref = expected.values[i];
    long double magnitude = 0;
    switch (tolerance.magnitude) {
      case spec::Magnitude::kOutput: magnitude = std::fabs(ref); break;
      case spec::Magnitude::kOutputPlusOne: magnitude = std::fabs(ref) + 1; break;
      case spec::Magnitude::kInputsAndOutput:
        magnitude = std::fmax(std::fabs(ref), largest_input_at(inputs, got.count(), i));
        break;
      default: magnitude = entry(expected.magnitude, i); break;
    }
    bound[i] = tolerance.c * entry(expected.k, i) * epsilon_of(got.dtype) * magnitude;
  }
  return within_bounds(got, expected.values, bound);
}

}  // namespace

// Found by the spec samples (spec_samples_test.cc); each is a spec issue to fix. None is open.
const std::map<std::string, std::string>& known_decomposition_issues() {
  static const std::map<std::string, std::string> issues;
  return issues;
}

bool register_reference(const char* op, Reference reference) {
  registry()[op] = reference;
  return true;
}

Reference find_reference(const std::string& op) {
  const auto found = registry().find(op);
  return found == registry().end() ? nullptr : found->second;
}

HostTensor absent() { return HostTensor{}; }

namespace {

// Runs the call; with `compare`, checks every output against the reference.
void run_call(Session& session, const std::string& op_name, const void* attrs, const std::vector<HostTensor>& inputs,
              const std::vector<Layout>& in_layouts, const std::vector<Layout>& out_layouts, bool compare) {
  const spec::OpSchema* op = spec::find_op(op_name);
  ASSERT_NE(op, nullptr) << op_name << " is not a spec operator";
  const Reference reference = find_reference(op_name);
  ASSERT_NE(reference, nullptr) << op_name << " has no registered reference";

  // The attributes as a full struct, and the outputs the spec infers.
  spec::AttrsBuffer full{};
  std::string why;
  if (op->attrs_size > 0) {
    ASSERT_TRUE(spec::normalize_attrs(*op, attrs, &full, &why)) << why;
  }
  const void* full_attrs = op->attrs_size > 0 ? static_cast<const void*>(&full) : nullptr;
  std::vector<spec::TensorMeta> metas;
  for (const HostTensor& input : inputs) {
    spec::TensorMeta meta;
    meta.dtype = input.dtype;
    meta.rank = static_cast<uint32_t>(input.shape.size());
    for (size_t k = 0; k < input.shape.size(); ++k) meta.dims[k] = input.shape[k];
    metas.push_back(meta);
  }
  const std::optional<spec::Violation> violation = spec::check(*op, full_attrs, metas);
  ASSERT_FALSE(violation.has_value()) << "the test built an invalid call: " << violation->message;
  std::vector<spec::TensorMeta> out_metas(spec::output_count(*op, full_attrs, metas));
  spec::infer(*op, full_attrs, metas, out_metas);

  std::vector<DeviceTensor> device_inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    device_inputs.push_back(session.upload(inputs[i], i < in_layouts.size() ? in_layouts[i] : Layout::dense()));
  }
  RefCall call;
  call.op = op_name;
  call.attrs = full_attrs;
  call.inputs = inputs;
  std::vector<DeviceTensor> device_outputs;
  for (size_t i = 0; i < out_metas.size(); ++i) {
    const Dims shape(out_metas[i].dims, out_metas[i].dims + out_metas[i].rank);
    call.outputs.push_back(HostTensor::zeros(out_metas[i].dtype, shape));
    device_outputs.push_back(
        session.output(out_metas[i].dtype, shape, i < out_layouts.size() ? out_layouts[i] : Layout::dense()));
  }
  const Outcome outcome = session.run(op_name, attrs, device_inputs, device_outputs);
  ASSERT_TRUE(outcome.ok()) << op_name << " failed with code " << outcome.code << ": " << outcome.message;
  if (!compare) return;

  const std::vector<Expected> expected = reference(call);
  ASSERT_EQ(expected.size(), device_outputs.size()) << "the reference of " << op_name << " gives "
                                                    << expected.size() << " outputs";
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("output " + std::to_string(i));
    const HostTensor got = session.download(device_outputs[i]);
    switch (expected[i].kind) {
      case Expected::Kind::kSkip: break;
      case Expected::Kind::kBits: EXPECT_TRUE(bitwise(got, expected[i].bits)); break;
      case Expected::Kind::kValues: EXPECT_TRUE(compare_values(*op, got, expected[i], inputs)); break;
    }
  }
}

}  // namespace

void check_call(Session& session, const std::string& op, const void* attrs, const std::vector<HostTensor>& inputs,
                const std::vector<Layout>& in_layouts, const std::vector<Layout>& out_layouts) {
  run_call(session, op, attrs, inputs, in_layouts, out_layouts, !known_decomposition_issues().contains(op));
}

}  // namespace keel::reference_test
