// The spec's samples (OpSchema::samples): every concrete call they stand for passes check() and infer(),
// their data domains are satisfiable, and together they cover the shape classes conformance needs.
#include "spec/samples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "spec/count_rules.h"
#include "spec/predicates.h"
#include "spec/shape_rules.h"
#include "spec_test_util.h"

namespace keel::spec {
namespace {

std::string describe(const OpSchema& op, const SampleCall& s, const std::vector<TensorMeta>& inputs) {
  std::string text = std::string(op.name) + " sample {" + s.text + "} as (";
  for (size_t i = 0; i < inputs.size(); ++i) text += (i ? ", " : "") + testing::to_string(inputs[i]);
  return text + ")";
}

TEST(Samples, EveryOperatorHasSome) {
  for (const OpSchema& op : all_ops()) EXPECT_GT(op.sample_count, 0u) << op.name;
}

TEST(Samples, EveryInstancePassesCheckAndInfer) {
  size_t instances = 0;
  for (const OpSchema& op : all_ops()) {
    for (size_t i = 0; i < op.sample_count; ++i) {
      const SampleCall& s = op.samples[i];
      for (const std::vector<TensorMeta>& inputs : expand_sample(op, s)) {
        SCOPED_TRACE(describe(op, s, inputs));
        AttrsBuffer attrs;
        std::string why;
        ASSERT_TRUE(normalize_attrs(op, s.attrs, attrs.bytes, &why)) << why;
        const void* full = op.attrs_size ? attrs.bytes : nullptr;
        std::optional<Violation> v = check(op, full, inputs);
        EXPECT_FALSE(v.has_value()) << v->message;
        if (v) continue;
        size_t count = output_count(op, full, inputs);
        EXPECT_GE(count, op.output_count - (op.has_variadic_output() ? 1 : 0));
        std::vector<TensorMeta> outputs(count);
        infer(op, full, inputs, outputs);
        for (const TensorMeta& out : outputs) {
          EXPECT_NE(out.dtype, KEEL_DTYPE_INVALID);
          EXPECT_LE(out.rank, static_cast<uint32_t>(KEEL_MAX_RANK));
          for (uint32_t d = 0; d < out.rank; ++d) EXPECT_GE(out.dims[d], 0) << testing::to_string(out);
        }
        ++instances;
      }
    }
  }
  EXPECT_GT(instances, 5 * all_ops().size());
}

TEST(Samples, AbsentInputsAreOptionalAndPassedAsInvalid) {
  for (const OpSchema& op : all_ops()) {
    for (size_t i = 0; i < op.sample_count; ++i) {
      const SampleCall& s = op.samples[i];
      for (size_t p = 0; p < s.input_count && p < 32; ++p) {
        if (!(s.absent_inputs >> p & 1u)) continue;
        EXPECT_TRUE(op.inputs[std::min(p, op.input_count - 1)].optional) << op.name << " {" << s.text << "}";
        EXPECT_EQ(s.inputs[p].dtype, KEEL_DTYPE_INVALID) << op.name << " {" << s.text << "}";
      }
    }
  }
}

// Each element of an input with a data domain has a non-empty range, and index domains sit on integer inputs.
TEST(Samples, DomainsAreSatisfiable) {
  for (const OpSchema& op : all_ops()) {
    for (size_t i = 0; i < op.sample_count; ++i) {
      const SampleCall& s = op.samples[i];
      for (const std::vector<TensorMeta>& inputs : expand_sample(op, s)) {
        AttrsBuffer attrs;
        ASSERT_TRUE(normalize_attrs(op, s.attrs, attrs.bytes, nullptr));
        CallView call(op, op.attrs_size ? attrs.bytes : nullptr, inputs);
        for (size_t p = 0; p < inputs.size(); ++p) {
          const SampleDomain& d = s.value_domains[p];
          EXPECT_STREQ(d.text, s.domains[p]);
          int64_t n = inputs[p].absent() ? 0 : inputs[p].element_count();
          for (int64_t e = 0; e < std::min<int64_t>(n, 64); ++e) {
            ValueRange r = d.domain(call, {d.args, d.arg_count}, p, e);
            EXPECT_FALSE(r.empty()) << describe(op, s, inputs) << ": input " << p << " element " << e << " in "
                                    << d.text;
            if (r.integral) {
              EXPECT_TRUE(is_integer_dtype(inputs[p].dtype)) << describe(op, s, inputs) << ": " << d.text;
            }
          }
        }
      }
    }
  }
}

// ---- Coverage of shape classes ------------------------------------------------------------------------

enum Class { kScalar, kZeroSize, kBroadcast, kRank4, kNegativeAxis };
const char* const kClassNames[] = {"0-D", "zero-size", "broadcast", "rank >= 4", "negative axis"};

// Classes an operator's rules rule out, with the reason.
const std::map<std::string, std::map<Class, const char*>>& exemptions() {
  constexpr const char* kAxis = "an axis attribute must lie in [-rank, rank), empty for rank 0";
  constexpr const char* kNchw = "x is [N, C, spatial...] (rank 3 to 5)";
  constexpr const char* kRank2 = "x has rank 2 or more";
  static const std::map<std::string, std::map<Class, const char*>> table = {
      {"matmul", {{kScalar, "C1/C2: a and b have rank >= 1"}}},
      {"gemm", {{kRank4, "a and b are 2-D"}}},
      {"arange", {{kScalar, "the output is always 1-D"}, {kRank4, "the output is always 1-D"}}},
      {"eye", {{kScalar, "the output is always 2-D"}, {kRank4, "the output is always 2-D"}}},
      {"resize", {{kScalar, "C1: x has rank 1 or more"}}},
      {"trilu", {{kScalar, kRank2}}},
      {"batch_norm", {{kScalar, kRank2}}},
      {"batch_norm_training", {{kScalar, kRank2}}},
      {"batch_norm_backward", {{kScalar, kRank2}}},
      {"group_norm", {{kScalar, kRank2}}},
      {"group_norm_backward", {{kScalar, kRank2}}},
      {"nll_loss", {{kScalar, "x is [N, C, ...]; target drops axis 1"}}},
      {"cross_entropy", {{kScalar, "x is [N, C, ...]; target drops axis 1"}}},
      {"conv", {{kScalar, kNchw}}},
      {"conv_transpose", {{kScalar, kNchw}}},
      {"conv_backward_weight", {{kScalar, kNchw}}},
      {"max_pool", {{kScalar, kNchw}}},
      {"max_pool_backward", {{kScalar, kNchw}}},
      {"avg_pool", {{kScalar, kNchw}}},
      {"avg_pool_backward", {{kScalar, kNchw}}},
  };
  static const std::map<std::string, std::map<Class, const char*>> with_axis = [&] {
    std::map<std::string, std::map<Class, const char*>> out = table;
    for (const char* op : {"softmax", "log_softmax", "concat", "argmax", "argmin", "cumsum", "topk", "split",
                           "gather_elements", "scatter_elements", "layer_norm", "layer_norm_backward", "rms_norm"}) {
      out[op][kScalar] = kAxis;
    }
    return out;
  }();
  return with_axis;
  return table;
}

bool uses_broadcasting(const OpSchema& op) {
  for (size_t i = 0; i < op.constraint_count; ++i) {
    if (op.constraints[i].predicate == predicates::broadcastable) return true;
  }
  for (size_t i = 0; i < op.output_count; ++i) {
    if (op.output_rules[i].rule == shape_rules::broadcast) return true;
  }
  return false;
}

bool is_axis_attr(const AttrSchema& a) {
  std::string name = a.name;
  bool axis_like = name == "axis" || name == "axes" || name == "perm" || name.ends_with("_axis");
  return axis_like && (a.type == AttrType::kInt || a.type == AttrType::kInts);
}

// Which classes one concrete sample call shows.
std::set<Class> classes_of(const OpSchema& op, const SampleCall& s, const std::vector<TensorMeta>& inputs,
                           const void* attrs) {
  std::set<Class> out;
  std::vector<TensorMeta> shown;  // the inputs present, or for an operator without inputs its outputs
  for (const TensorMeta& t : inputs) {
    if (!t.absent()) shown.push_back(t);
  }
  if (inputs.empty()) {  // creation operators: look at the outputs
    std::vector<TensorMeta> outputs(output_count(op, attrs, inputs));
    infer(op, attrs, inputs, outputs);
    shown = outputs;
  }
  for (const TensorMeta& t : shown) {
    if (t.rank == 0) out.insert(kScalar);
    if (t.rank >= 4) out.insert(kRank4);
    if (t.rank > 0 && t.element_count() == 0) out.insert(kZeroSize);
  }
  for (size_t a = 1; a < shown.size(); ++a) {
    bool differ = shown[a].rank != shown[0].rank;
    for (uint32_t d = 0; !differ && d < shown[a].rank; ++d) differ = shown[a].dims[d] != shown[0].dims[d];
    if (differ) out.insert(kBroadcast);
  }
  CallView call(op, attrs, inputs);
  for (size_t i = 0; i < op.attr_count; ++i) {
    if (!is_axis_attr(op.attrs[i])) continue;
    Arg arg{ArgKind::kAttr, static_cast<int32_t>(i), 1, 0};
    if (op.attrs[i].type == AttrType::kInt && call.attr_int(arg) < 0) out.insert(kNegativeAxis);
    for (int64_t v : call.attr_ints(arg)) {
      if (v < 0) out.insert(kNegativeAxis);
    }
  }
  (void)s;
  return out;
}

TEST(SampleCoverage, ShapeClasses) {
  for (const OpSchema& op : all_ops()) {
    std::set<Class> seen;
    for (size_t i = 0; i < op.sample_count; ++i) {
      const SampleCall& s = op.samples[i];
      AttrsBuffer attrs;
      ASSERT_TRUE(normalize_attrs(op, s.attrs, attrs.bytes, nullptr));
      std::vector<TensorMeta> inputs = expand_sample(op, s).front();
      std::set<Class> c = classes_of(op, s, inputs, op.attrs_size ? attrs.bytes : nullptr);
      seen.insert(c.begin(), c.end());
    }
    std::set<Class> needed = {kScalar, kZeroSize, kRank4};
    if (uses_broadcasting(op)) needed.insert(kBroadcast);
    for (size_t i = 0; i < op.attr_count; ++i) {
      if (is_axis_attr(op.attrs[i])) needed.insert(kNegativeAxis);
    }
    auto exempt = exemptions().find(op.name);
    for (Class c : needed) {
      bool excused = exempt != exemptions().end() && exempt->second.count(c);
      EXPECT_TRUE(seen.count(c) || excused) << op.name << " has no " << kClassNames[c] << " sample";
      EXPECT_FALSE(seen.count(c) && excused) << op.name << " is exempt from " << kClassNames[c] << " but has one";
    }
  }
}

// Every value of every enum attribute, and both values of every bool attribute, appear in some sample.
TEST(SampleCoverage, AttributeValues) {
  for (const OpSchema& op : all_ops()) {
    std::map<size_t, std::set<int64_t>> seen;  // attribute → values
    for (size_t i = 0; i < op.sample_count; ++i) {
      AttrsBuffer attrs;
      ASSERT_TRUE(normalize_attrs(op, op.samples[i].attrs, attrs.bytes, nullptr));
      CallView call(op, op.attrs_size ? attrs.bytes : nullptr, {});
      for (size_t a = 0; a < op.attr_count; ++a) {
        seen[a].insert(call.attr_int(Arg{ArgKind::kAttr, static_cast<int32_t>(a), 1, 0}));
      }
    }
    for (size_t a = 0; a < op.attr_count; ++a) {
      const AttrSchema& attr = op.attrs[a];
      size_t values = attr.type == AttrType::kEnum ? attr.enum_value_count : attr.type == AttrType::kBool ? 2 : 0;
      for (size_t v = 0; v < values; ++v) {
        EXPECT_TRUE(seen[a].count(static_cast<int64_t>(v))) << op.name << ": no sample sets " << attr.name << " = "
                                                            << (attr.type == AttrType::kEnum ? attr.enum_values[v]
                                                                : v                          ? "true"
                                                                                             : "false");
      }
    }
  }
}

TEST(Samples, ExpandCoversEveryDtypeOfAFreeVariable) {
  const OpSchema& add = testing::op("add");
  const SampleCall& first = add.samples[0];  // [2,3], [2,3]: both free, bound to T
  std::vector<std::vector<TensorMeta>> calls = expand_sample(add, first);
  ASSERT_EQ(calls.size(), add.type_vars[0].dtype_count);
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i][0].dtype, add.type_vars[0].dtypes[i]);
    EXPECT_EQ(calls[i][1].dtype, calls[i][0].dtype);
  }
  const OpSchema& where = testing::op("where");
  for (const std::vector<TensorMeta>& call : expand_sample(where, where.samples[0])) {
    EXPECT_EQ(call[0].dtype, KEEL_DTYPE_BOOL);  // a fixed dtype is filled in, not varied
  }
}

}  // namespace
}  // namespace keel::spec
