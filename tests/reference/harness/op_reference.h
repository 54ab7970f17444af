// Independent references for the spec's operators, and the check that runs one call on a backend and compares
// every output with its reference under the operator's tolerance class from the spec.
//
// Each test file registers the references of the operators it covers (KEEL_REFERENCE below), written from
// the spec's semantics in long double (or exact integer arithmetic) without any code of the plugin. The
// registry is also the coverage list: spec_samples_test.cc runs every sample of every operator through its
// reference and fails for an operator that has none.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "harness/host_tensor.h"
#include "harness/session.h"

namespace keel::reference_test {

// One call as a reference sees it.
struct RefCall {
  std::string op;
  const void* attrs = nullptr;     // the full keel_<op>_attrs_t (defaults filled in); nullptr without attributes
  std::vector<HostTensor> inputs;  // row-major; an absent optional input has dtype KEEL_DTYPE_INVALID
  std::vector<HostTensor> outputs; // zero tensors with the dtypes and shapes the spec infers

  template <class Attrs>
  const Attrs& attrs_as() const {
    return *static_cast<const Attrs*>(attrs);
  }
  bool present(size_t input) const { return inputs.at(input).dtype != KEEL_DTYPE_INVALID; }
};

// What one output must match.
struct Expected {
  enum class Kind {
    kValues,  // `values` under the operator's tolerance class (integers and bools: exactly)
    kBits,    // `bits`, byte for byte (data movement)
    kSkip,    // not checked (documented at the reference)
  };
  Kind kind = Kind::kValues;
  std::vector<long double> values;
  // For the accumulation class: K and, with magnitude op_on_abs, M per element (one entry: every element).
  // Magnitudes output and output_plus_one are taken from `values`.
  std::vector<long double> k;
  std::vector<long double> magnitude;
  HostTensor bits;

  static Expected of_values(std::vector<long double> values) {
    Expected e;
    e.values = std::move(values);
    return e;
  }
  static Expected accumulated(std::vector<long double> values, std::vector<long double> k,
                              std::vector<long double> magnitude = {}) {
    Expected e;
    e.values = std::move(values);
    e.k = std::move(k);
    e.magnitude = std::move(magnitude);
    return e;
  }
  static Expected of_bits(HostTensor bits) {
    Expected e;
    e.kind = Kind::kBits;
    e.bits = std::move(bits);
    return e;
  }
  static Expected skipped() {
    Expected e;
    e.kind = Kind::kSkip;
    return e;
  }
};

using Reference = std::vector<Expected> (*)(const RefCall& call);

// Registration (at static initialization) and lookup.
bool register_reference(const char* op, Reference reference);
Reference find_reference(const std::string& op);

// Runs `op` on the session with the inputs placed under `in_layouts` and fresh outputs under `out_layouts`
// (dense where a list is short), output shapes inferred by the spec; then compares every output with the
// registered reference. attrs NULL means the defaults. Failures are reported through gtest.
void check_call(Session& session, const std::string& op, const void* attrs, const std::vector<HostTensor>& inputs,
                const std::vector<Layout>& in_layouts = {}, const std::vector<Layout>& out_layouts = {});

// Composites whose decomposition, as the spec writes it, does not meet the spec's own semantics and tolerance,
// with the reason. check_call still runs them (and requires success) but compares no number for them, and
// the coverage test counts them as missing until the spec is fixed.
const std::map<std::string, std::string>& known_decomposition_issues();

// An absent optional input.
HostTensor absent();

}  // namespace keel::reference_test

// Defines and registers the reference of operator `name`: KEEL_REFERENCE(add) { ... return {...}; }
#define KEEL_REFERENCE(name)                                                                              \
  std::vector<::keel::reference_test::Expected> reference_##name(const ::keel::reference_test::RefCall&); \
  [[maybe_unused]] const bool registered_##name =                                                        \
      ::keel::reference_test::register_reference(#name, reference_##name);                                \
  std::vector<::keel::reference_test::Expected> reference_##name(const ::keel::reference_test::RefCall& call)
