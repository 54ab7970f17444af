#include "harness/op_check.h"

#include <cmath>
#include <iostream>
#include <set>
#include <sstream>

namespace keel::cuda_test {
namespace {

keel_dtype_t oracle_dtype(keel_dtype_t dtype, bool moves_data) {
  if (!is_float(dtype) || dtype == KEEL_DTYPE_F64) return dtype;  // KEEL_DTYPE_INVALID: absent
  if (moves_data && dtype == KEEL_DTYPE_F32) return dtype;
  return KEEL_DTYPE_F64;
}

std::string value_text(double x) {
  std::ostringstream text;
  text.precision(17);
  text << x;
  return text.str();
}

std::vector<HostValues> run_on(keel_device_t* device, const OpCase& c, const std::vector<HostValues>& inputs,
                               const void* attrs, bool oracle) {
  std::vector<DeviceTensor> tensors;
  tensors.reserve(inputs.size());
  for (const HostValues& input : inputs) {
    if (input.dtype == KEEL_DTYPE_INVALID) {  // an absent optional input
      tensors.emplace_back();
      continue;
    }
    const keel_dtype_t dtype = oracle ? oracle_dtype(input.dtype, c.moves_data) : input.dtype;
    tensors.push_back(upload(device, dtype, input, oracle ? Layout::kDense : c.in_layout));
  }
  std::vector<DeviceTensor*> pointers;
  for (DeviceTensor& tensor : tensors) pointers.push_back(&tensor);
  std::vector<HostValues> results;
  for (const DeviceTensor& out : run_op(device, c.op.c_str(), attrs, pointers, oracle ? Layout::kDense : c.out_layout)) {
    results.push_back(download(out));
  }
  return results;
}

}  // namespace

double Tolerance::ulps_for(keel_dtype_t dtype) const {
  switch (dtype) {
    case KEEL_DTYPE_F16: return ulp_f16;
    case KEEL_DTYPE_BF16: return ulp_bf16;
    case KEEL_DTYPE_F64: return ulp_f64;
    default: return ulp_f32;
  }
}

std::string OpCase::describe() const {
  std::string text = op + "(";
  for (size_t i = 0; i < inputs.size(); ++i) {
    text += (i ? ", " : "");
    text += inputs[i].dtype == KEEL_DTYPE_INVALID ? "absent" : name_of(inputs[i].dtype) + text_of(inputs[i].shape);
  }
  return text + ") in " + name_of(in_layout) + ", out " + name_of(out_layout);
}

testing::AssertionResult within(const HostValues& got, const std::vector<double>& ref, keel_dtype_t ref_dtype,
                                const Tolerance& tolerance, const std::vector<double>& bounds) {
  if (static_cast<int64_t>(ref.size()) != got.count()) {
    return testing::AssertionFailure() << "got " << got.count() << " elements, expected " << ref.size();
  }
  int failures = 0;
  std::ostringstream report;
  const keel_dtype_t dtype = got.dtype;
  for (int64_t i = 0; i < got.count(); ++i) {
    const double y = got.values[i];
    const double r = ref[i];
    bool ok = false;
    if (!is_float(dtype)) {
      ok = y == r;
    } else if (std::isnan(r) || std::isnan(y)) {
      ok = std::isnan(r) && std::isnan(y);
    } else if (tolerance.kind == Tolerance::kExact || (ref_dtype == dtype && tolerance.kind == Tolerance::kUlp &&
                                                       tolerance.ulps_for(dtype) == 0.5)) {
      const double expected = round_to(dtype, r);
      ok = y == expected && std::signbit(y) == std::signbit(expected);
    } else if (std::isinf(r) || std::isinf(round_to(dtype, r))) {
      // Infinite references, and results beyond the dtype's range, must come out as that infinity.
      ok = y == round_to(dtype, r) || (std::isfinite(y) && std::fabs(y - r) <= tolerance.ulps_for(dtype) *
                                                                               ulp_of(dtype, largest_of(dtype)));
    } else if (tolerance.kind == Tolerance::kUlp) {
      ok = std::fabs(y - r) <= tolerance.ulps_for(dtype) * ulp_of(dtype, r);
    } else {
      ok = std::fabs(y - r) <= bounds[i] + smallest_normal_of(dtype);
    }
    if (!ok && failures++ < 8) {
      report << "\n  element " << i << ": got " << value_text(y) << ", reference " << value_text(r);
      if (tolerance.kind == Tolerance::kAccumulation && !bounds.empty()) report << " (bound " << bounds[i] << ")";
    }
  }
  if (failures == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << failures << " of " << got.count() << " elements differ:" << report.str();
}

std::vector<double> one_per_element(const std::vector<HostValues>&, const HostValues& out) {
  return std::vector<double>(static_cast<size_t>(out.count()), 1.0);
}

void check_op(const OpCase& c, const Tolerance& tolerance, const KFunction& k, Magnitude magnitude) {
  const bool magnitude_on_abs = magnitude == Magnitude::kOpOnAbs;
  SCOPED_TRACE(c.describe());
  GpuEnvironment& env = GpuEnvironment::get();
  {
    // Ask before running: a device other than CUDA may lack a dtype (the reference has no f16/bf16).
    const auto make_probe = [&](keel_device_t* device, const HostValues& input, keel_dtype_t dtype, Layout layout) {
      return input.dtype == KEEL_DTYPE_INVALID ? DeviceTensor{} : upload(device, dtype, input, layout);
    };
    std::vector<DeviceTensor> probes;
    for (const HostValues& input : c.inputs) probes.push_back(make_probe(env.device(), input, input.dtype, c.in_layout));
    std::vector<DeviceTensor*> pointers;
    for (DeviceTensor& probe : probes) pointers.push_back(&probe);
    const keel::test::Status answer = supports(env.device(), c.op.c_str(), c.attrs, pointers);
    if (!answer.ok()) {
      if (env.testing_cuda()) ADD_FAILURE() << "the CUDA device refuses " << c.describe() << ": " << answer.to_string();
      return;
    }
    // Only kernels are compared: libkeel can also run an operator through its decomposition into others,
    // which is not what either plugin implements. Without a reference kernel for the call there is nothing
    // to compare with (the reference plugin may lag behind the spec); say so once per operator.
    const keel_op_t* op = nullptr;
    if (keel::test::CodeOf(keel_op_find(c.op.c_str(), &op)) != KEEL_STATUS_OK) {
      ADD_FAILURE() << c.op << " is not an operator of this libkeel";
      return;
    }
    if (!keel_plugin_implements_op(keel_device_plugin(env.device()), op)) {
      if (env.testing_cuda()) ADD_FAILURE() << "the CUDA plugin has no kernel for " << c.op;
      return;
    }
    static std::set<std::string> reported;
    if (!keel_plugin_implements_op(keel_device_plugin(env.oracle()), op)) {
      if (reported.insert(c.op).second) std::cout << "[ no oracle] " << c.op << ": no reference kernel\n";
      return;
    }
    std::vector<DeviceTensor> oracle_probes;
    for (const HostValues& input : c.inputs) {
      oracle_probes.push_back(make_probe(env.oracle(), input, oracle_dtype(input.dtype, c.moves_data), Layout::kDense));
    }
    std::vector<DeviceTensor*> oracle_pointers;
    for (DeviceTensor& probe : oracle_probes) oracle_pointers.push_back(&probe);
    const void* oracle_attrs = c.oracle_attrs != nullptr ? c.oracle_attrs : c.attrs;
    const keel::test::Status oracle_answer = supports(env.oracle(), c.op.c_str(), oracle_attrs, oracle_pointers);
    if (!oracle_answer.ok()) {
      if (reported.insert(c.op).second) {
        std::cout << "[ no oracle] " << c.op << ": " << oracle_answer.to_string() << "\n";
      }
      return;
    }
  }
  const std::vector<HostValues> got = run_on(env.device(), c, c.inputs, c.attrs, false);
  const void* oracle_attrs = c.oracle_attrs != nullptr ? c.oracle_attrs : c.attrs;
  const std::vector<HostValues> expected = run_on(env.oracle(), c, c.inputs, oracle_attrs, true);
  ASSERT_EQ(got.size(), expected.size());
  std::vector<HostValues> magnitudes;
  if (tolerance.kind == Tolerance::kAccumulation && magnitude_on_abs) {
    std::vector<HostValues> absolute = c.inputs;  // absent inputs have no values to change
    for (HostValues& input : absolute) {
      for (double& x : input.values) x = std::fabs(x);
    }
    magnitudes = run_on(env.oracle(), c, absolute, oracle_attrs, true);
  }
  for (size_t o = 0; o < got.size(); ++o) {
    std::vector<double> bounds;
    if (tolerance.kind == Tolerance::kAccumulation) {
      const std::vector<double> ks = k(c.inputs, expected[o]);
      for (int64_t i = 0; i < got[o].count(); ++i) {
        double m = magnitude_on_abs ? magnitudes[o].values[i] : std::fabs(expected[o].values[i]);
        if (magnitude == Magnitude::kOutputPlusOne) m += 1;
        bounds.push_back(tolerance.c * ks[i] * epsilon_of(got[o].dtype) * m);
      }
    }
    EXPECT_TRUE(within(got[o], expected[o].values, expected[o].dtype, tolerance, bounds)) << "output " << o;
  }
}

}  // namespace keel::cuda_test
