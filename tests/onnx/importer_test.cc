// The ONNX importer on small models built here through the ONNX protobuf API: what each part of a model
// becomes, results on the reference plugin against formulas evaluated in double precision, and hostile or
// unsupported models.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/ir/attr_pack.h"
#include "graph/ir/errors.h"
#include "graph/serialize/graph_file.h"
#include "graph/validate/validator.h"
#include "onnx/onnx_import.h"
#include "onnx/tensor_proto.h"

namespace keel::onnx_import {
namespace {

using graph::HostTensor;

// A model under construction: one graph, opset `opset` of the default domain.
class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13) {
    model_.set_ir_version(8);
    auto* entry = model_.add_opset_import();
    entry->set_domain("");
    entry->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  onnx::ValueInfoProto* input(const std::string& name, int32_t elem, std::vector<std::string> dims) {
    return info(model_.mutable_graph()->add_input(), name, elem, dims);
  }
  onnx::ValueInfoProto* output(const std::string& name) {
    auto* out = model_.mutable_graph()->add_output();
    out->set_name(name);
    return out;
  }
  onnx::TensorProto* initializer(const std::string& name, std::vector<int64_t> dims, std::vector<float> values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
    return t;
  }
  onnx::TensorProto* int_initializer(const std::string& name, std::vector<int64_t> values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return t;
  }
  onnx::NodeProto* node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                        const std::string& name = "") {
    onnx::NodeProto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + std::to_string(model_.graph().node_size()) : name);
    for (const std::string& i : inputs) n->add_input(i);
    for (const std::string& o : outputs) n->add_output(o);
    return n;
  }
  static void attr_int(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr_float(onnx::NodeProto* n, const std::string& name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void attr_ints(onnx::NodeProto* n, const std::string& name, std::vector<int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void attr_string(onnx::NodeProto* n, const std::string& name, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }

  std::vector<uint8_t> bytes() const {
    const std::string s = model_.SerializeAsString();
    return {s.begin(), s.end()};
  }
  graph::Graph import() const { return import_onnx_bytes(bytes(), "test model"); }
  onnx::ModelProto& model() { return model_; }

 private:
  static onnx::ValueInfoProto* info(onnx::ValueInfoProto* v, const std::string& name, int32_t elem,
                                    const std::vector<std::string>& dims) {
    v->set_name(name);
    auto* tensor = v->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(elem);
    auto* shape = tensor->mutable_shape();
    for (const std::string& d : dims) {
      auto* dim = shape->add_dim();
      if (!d.empty() && std::isdigit(static_cast<unsigned char>(d[0]))) {
        dim->set_dim_value(std::stoll(d));
      } else {
        dim->set_dim_param(d);
      }
    }
    return v;
  }
  onnx::ModelProto model_;
};

Runtime make_runtime() {
  RuntimeOptions options;
  options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
  options.use_env_path = false;
  options.use_manifests = false;
  return Runtime::create(options);
}

std::vector<HostTensor> run(graph::Graph g, std::vector<HostTensor> inputs) {
  const Runtime runtime = make_runtime();
  graph::ExecutorOptions options;
  options.device = "reference:0";
  options.log = [](const std::string&) {};
  graph::Executor executor(runtime, std::move(g), options);
  return executor.run(inputs);
}

HostTensor ramp(std::vector<int64_t> shape, double scale, double offset) {
  HostTensor t(KEEL_DTYPE_F32, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t.set(i, scale * static_cast<double>((i * 7) % 11) + offset);
  return t;
}

template <class Fn>
::testing::AssertionResult throws(Fn&& fn, keel_status_code_t code, std::vector<std::string> parts) {
  try {
    fn();
  } catch (const Error& error) {
    const std::string text = graph::error_text(error);
    if (error.code() != code)
      return ::testing::AssertionFailure() << "code " << keel_status_code_name(error.code()) << ": " << text;
    for (const std::string& part : parts) {
      if (text.find(part) == std::string::npos)
        return ::testing::AssertionFailure() << "lacks \"" << part << "\": " << text;
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no keel::Error";
}

TEST(OnnxImport, InitializersInputsAndSymbolicDims) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {"N", "3"});
  m.initializer("w", {3}, {0.5f, -1.0f, 2.0f});
  onnx::TensorProto* raw = m.model().mutable_graph()->add_initializer();
  raw->set_name("b");
  raw->set_data_type(onnx::TensorProto::FLOAT);
  raw->add_dims(3);
  const float b[3] = {1.0f, 2.0f, -3.0f};
  raw->set_raw_data(std::string(reinterpret_cast<const char*>(b), sizeof(b)));
  m.node("Mul", {"x", "w"}, {"t"});
  m.node("Add", {"t", "b"}, {"y"});
  m.output("y");
  const graph::Graph g = m.import();
  ASSERT_EQ(g.inputs.size(), 1u);
  const graph::Value& x = g.value(g.inputs[0]);
  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.type.dtype, KEEL_DTYPE_F32);
  ASSERT_EQ(x.type.rank(), 2u);
  EXPECT_EQ(x.type.dims[0], graph::Dim::named("N"));
  EXPECT_EQ(x.type.dims[1], graph::Dim::of(3));
  const graph::Value& w = g.value(g.find_value("w"));
  ASSERT_TRUE(w.is_constant());
  EXPECT_EQ(w.constant->to_doubles(), (std::vector<double>{0.5, -1.0, 2.0}));
  EXPECT_EQ(g.value(g.find_value("b")).constant->to_doubles(), (std::vector<double>{1.0, 2.0, -3.0}));
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.value(g.outputs[0]).name, "y");

  const HostTensor in = ramp({2, 3}, 0.25, -1.0);
  const std::vector<HostTensor> out = run(g, {in});
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(static_cast<float>(out[0].get(i)),
                    static_cast<float>(in.get(i) * w.constant->get(i % 3) + b[i % 3]));
}

TEST(OnnxImport, GemmAttributesMatchTheFormula) {
  ModelBuilder m(11);
  m.input("a", onnx::TensorProto::FLOAT, {"3", "2"});  // transposed: A is [2, 3]
  m.input("b", onnx::TensorProto::FLOAT, {"4", "3"});  // transposed: B is [3, 4]
  m.initializer("c", {4}, {1, 2, 3, 4});
  onnx::NodeProto* n = m.node("Gemm", {"a", "b", "c"}, {"y"});
  ModelBuilder::attr_float(n, "alpha", 0.5f);
  ModelBuilder::attr_float(n, "beta", -2.0f);
  ModelBuilder::attr_int(n, "transA", 1);
  ModelBuilder::attr_int(n, "transB", 1);
  m.output("y");
  const HostTensor a = ramp({3, 2}, 0.5, -1), b = ramp({4, 3}, -0.25, 1);
  const std::vector<HostTensor> out = run(m.import(), {a, b});
  ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{2, 4}));
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 4; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < 3; ++k) acc += a.get(k * 2 + i) * b.get(j * 3 + k);
      EXPECT_NEAR(out[0].get(i * 4 + j), 0.5 * acc - 2.0 * static_cast<double>(j + 1), 1e-5);
    }
  }
}

TEST(OnnxImport, ConvAutoPadSameUpperComputesPads) {
  ModelBuilder m(11);
  m.input("x", onnx::TensorProto::FLOAT, {"1", "1", "5", "6"});
  m.initializer("w", {1, 1, 3, 2}, std::vector<float>(6, 1.0f));
  onnx::NodeProto* n = m.node("Conv", {"x", "w"}, {"y"});
  ModelBuilder::attr_string(n, "auto_pad", "SAME_UPPER");
  ModelBuilder::attr_ints(n, "strides", {2, 2});
  m.output("y");
  const graph::Graph g = m.import();
  // out = ceil(in / s); total = (out - 1)·s + k - in, the odd pad at the end: H 5 → 3: total 2 → 1, 1;
  // W 6 → 3: total 0 + 2 - 6 + 4 = 0.
  const graph::AttrValue& pads = g.nodes.back().attrs.at("pads");
  EXPECT_EQ(pads.ints, (std::vector<int64_t>{1, 0, 1, 0}));
  const HostTensor x = ramp({1, 1, 5, 6}, 1, 0);
  const std::vector<HostTensor> out = run(g, {x});
  ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{1, 1, 3, 3}));
  for (int64_t oh = 0; oh < 3; ++oh) {
    for (int64_t ow = 0; ow < 3; ++ow) {
      double acc = 0;
      for (int64_t kh = 0; kh < 3; ++kh) {
        for (int64_t kw = 0; kw < 2; ++kw) {
          const int64_t h = oh * 2 + kh - 1, w = ow * 2 + kw;
          if (h >= 0 && h < 5 && w < 6) acc += x.get(h * 6 + w);
        }
      }
      EXPECT_NEAR(out[0].get(oh * 3 + ow), acc, 1e-5);
    }
  }
}

TEST(OnnxImport, ReshapeZeroCopiesTheInputDimension) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {"2", "3", "4"});
  m.int_initializer("shape", {0, -1});
  m.node("Reshape", {"x", "shape"}, {"y"});
  m.output("y");
  const std::vector<HostTensor> out = run(m.import(), {ramp({2, 3, 4}, 1, 0)});
  EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{2, 12}));
}

TEST(OnnxImport, SoftmaxBeforeOpset13FlattensAtAxis) {
  ModelBuilder m(11);
  m.input("x", onnx::TensorProto::FLOAT, {"2", "2", "3"});
  ModelBuilder::attr_int(m.node("Softmax", {"x"}, {"y"}), "axis", 1);
  m.output("y");
  const HostTensor x = ramp({2, 2, 3}, 0.3, -1);
  const std::vector<HostTensor> out = run(m.import(), {x});
  ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{2, 2, 3}));
  // Opset 11: each batch row's 6 elements form one softmax.
  for (int64_t n = 0; n < 2; ++n) {
    double sum = 0;
    for (int64_t i = 0; i < 6; ++i) sum += std::exp(x.get(n * 6 + i));
    for (int64_t i = 0; i < 6; ++i) EXPECT_NEAR(out[0].get(n * 6 + i), std::exp(x.get(n * 6 + i)) / sum, 1e-6);
  }
}

TEST(OnnxImport, SqueezeAxesAttributeBefore13InputAfter) {
  for (int64_t opset : {11, 13}) {
    ModelBuilder m(opset);
    m.input("x", onnx::TensorProto::FLOAT, {"1", "3", "1"});
    onnx::NodeProto* n = m.node("Squeeze", {"x"}, {"y"});
    if (opset < 13) {
      ModelBuilder::attr_ints(n, "axes", {2});
    } else {
      m.int_initializer("axes", {2});
      n->add_input("axes");
    }
    m.output("y");
    const std::vector<HostTensor> out = run(m.import(), {ramp({1, 3, 1}, 1, 0)});
    EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{1, 3})) << "opset " << opset;
  }
}

TEST(OnnxImport, GraphOutputThatIsAnInputGetsACopy) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {"2"});
  m.node("Identity", {"x"}, {"y"});
  m.output("y");
  m.output("x");
  const graph::Graph g = m.import();
  ASSERT_EQ(g.outputs.size(), 2u);
  EXPECT_NE(g.outputs[1], g.inputs[0]);
  const std::vector<HostTensor> out = run(g, {ramp({2}, 1, 3)});
  EXPECT_EQ(out[1].to_doubles(), (std::vector<double>{3, 10}));
}

TEST(OnnxImport, UnsupportedOperatorsAreListedTogether) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {"2", "2"});
  m.node("Det", {"x"}, {"d"}, "det_node");
  m.node("Relu", {"x"}, {"r"});
  m.node("LpNormalization", {"r"}, {"y"}, "lp_node");
  m.output("y");
  EXPECT_TRUE(throws([&] { m.import(); }, KEEL_STATUS_UNIMPLEMENTED,
                     {"2 node(s)", "Det-11 node 'det_node'", "LpNormalization-1 node 'lp_node'", "no spec operator"}));
}

TEST(OnnxImport, UnsupportedAttributeValuesAndDtypes) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {"1", "1", "4", "4"});
  m.input("s", onnx::TensorProto::UINT16, {"2"});
  m.output("x");
  EXPECT_TRUE(throws([&] { m.import(); }, KEEL_STATUS_UNIMPLEMENTED, {"input 's'", "UINT16"}));

  ModelBuilder r;
  r.input("x", onnx::TensorProto::FLOAT, {"1", "1", "4", "4"});
  r.initializer("scales", {4}, {1, 1, 2, 2});
  ModelBuilder::attr_string(r.node("Resize", {"x", "", "scales"}, {"y"}, "rs"), "mode", "cubic");
  r.output("y");
  EXPECT_TRUE(throws([&] { r.import(); }, KEEL_STATUS_UNIMPLEMENTED, {"Resize-13 node 'rs'", "mode 'cubic'"}));
}

TEST(OnnxImport, HostileModelsAreClearErrors) {
  const std::vector<uint8_t> garbage = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01};
  EXPECT_TRUE(throws([&] { import_onnx_bytes(garbage); }, KEEL_STATUS_INVALID_ARGUMENT, {"not a valid ONNX model"}));
  EXPECT_TRUE(throws([&] { import_onnx("/nonexistent/model.onnx"); }, KEEL_STATUS_NOT_FOUND, {"model.onnx"}));

  ModelBuilder truncated;
  truncated.input("x", onnx::TensorProto::FLOAT, {"2"});
  truncated.initializer("w", {2}, {1, 2});
  truncated.node("Add", {"x", "w"}, {"y"});
  truncated.output("y");
  std::vector<uint8_t> bytes = truncated.bytes();
  for (size_t cut = 1; cut < bytes.size(); cut += 3) {
    const std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    try {
      import_onnx_bytes(part);  // a prefix may still parse (protobuf fields are optional): it must not crash
    } catch (const Error&) {
    }
  }

  ModelBuilder undefined;  // a node reading a value defined later: a cycle or a missing value
  undefined.input("x", onnx::TensorProto::FLOAT, {"2"});
  undefined.node("Relu", {"z"}, {"y"}, "reads_z");
  undefined.node("Relu", {"y"}, {"z"});
  undefined.output("z");
  EXPECT_TRUE(throws([&] { undefined.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"reads_z", "'z' is not defined"}));

  ModelBuilder twice;
  twice.input("x", onnx::TensorProto::FLOAT, {"2"});
  twice.node("Relu", {"x"}, {"y"});
  twice.node("Neg", {"x"}, {"y"}, "again");
  twice.output("y");
  EXPECT_TRUE(throws([&] { twice.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"'y' is defined twice"}));

  ModelBuilder huge;
  huge.initializer("w", {1 << 30, 1 << 30, 1 << 30}, {});
  huge.output("w");
  EXPECT_TRUE(throws([&] { huge.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"initializer 'w'", "size limit"}));

  ModelBuilder short_data;
  short_data.initializer("w", {4}, {1, 2});
  short_data.output("w");
  EXPECT_TRUE(throws([&] { short_data.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"float_data holds 2", "needs 4"}));

  ModelBuilder raw;
  onnx::TensorProto* t = raw.initializer("w", {3}, {});
  t->set_raw_data("12345");
  raw.output("w");
  EXPECT_TRUE(throws([&] { raw.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"raw_data holds 5 bytes"}));

  ModelBuilder external;
  onnx::TensorProto* e = external.initializer("w", {1}, {});
  e->set_data_location(onnx::TensorProto::EXTERNAL);
  external.output("w");
  EXPECT_TRUE(throws([&] { external.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"external data"}));

  ModelBuilder wrong_type;
  wrong_type.input("x", onnx::TensorProto::FLOAT, {"2", "2"});
  ModelBuilder::attr_string(wrong_type.node("Concat", {"x", "x"}, {"y"}), "axis", "zero");
  wrong_type.output("y");
  EXPECT_TRUE(throws([&] { wrong_type.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"attribute 'axis' must be an int"}));

  ModelBuilder missing_input;
  missing_input.input("x", onnx::TensorProto::FLOAT, {"2"});
  missing_input.node("Add", {"x"}, {"y"});
  missing_input.output("y");
  EXPECT_NO_THROW(missing_input.import());  // the validator names the missing operand
  ModelBuilder no_output;
  no_output.input("x", onnx::TensorProto::FLOAT, {"2"});
  no_output.output("nothing");
  EXPECT_TRUE(throws([&] { no_output.import(); }, KEEL_STATUS_INVALID_ARGUMENT, {"output 'nothing' is not defined"}));

  ModelBuilder old(22);
  old.output("x");
  EXPECT_TRUE(throws([&] { old.import(); }, KEEL_STATUS_UNIMPLEMENTED, {"opset 22"}));
}

// Byte flips in real models (deterministic positions and values): each import either succeeds, or throws
// keel::Error; validation of what was imported likewise.
TEST(OnnxImport, MutatedModelsNeverCrash) {
  const char* models[] = {"test_conv_with_strides_padding", "test_reshape_reordered_all_dims", "test_gemm_all_attributes",
                          "test_slice_neg_steps", "test_resize_upsample_sizes_nearest"};
  for (const char* name : models) {
    const std::string path = std::string("/usr/share/libonnx-testdata/data/node/") + name + "/model.onnx";
    std::vector<uint8_t> bytes;
    try {
      bytes = graph::read_file_bytes(path);
    } catch (const Error&) {
      GTEST_SKIP() << path << " is missing (package libonnx-testdata)";
    }
    uint32_t state = 12345;
    for (int round = 0; round < 300; ++round) {
      std::vector<uint8_t> mutated = bytes;
      for (int flips = 0; flips < 1 + round % 4; ++flips) {
        state = state * 1664525u + 1013904223u;
        mutated[(state >> 8) % mutated.size()] = static_cast<uint8_t>(state >> 24);
      }
      try {
        graph::Graph g = import_onnx_bytes(mutated, name);
        graph::validate(g, {.trust_inference = true});
      } catch (const Error&) {
      }
    }
  }
}

TEST(OnnxImport, TensorProtoTypedFields) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::INT8);
  t.add_dims(3);
  for (int32_t v : {-5, 0, 127}) t.add_int32_data(v);
  EXPECT_EQ(tensor_from_proto(t, "t").to_ints(), (std::vector<int64_t>{-5, 0, 127}));
  t.set_data_type(onnx::TensorProto::FLOAT16);
  t.clear_int32_data();
  for (int32_t v : {0x3c00, 0xc000, 0x3800}) t.add_int32_data(v);  // 1, -2, 0.5
  EXPECT_EQ(tensor_from_proto(t, "t").to_doubles(), (std::vector<double>{1, -2, 0.5}));
  t.set_data_type(onnx::TensorProto::STRING);
  EXPECT_TRUE(throws([&] { tensor_from_proto(t, "t"); }, KEEL_STATUS_UNIMPLEMENTED, {"STRING"}));
  EXPECT_TRUE(throws([] { tensor_from_proto_bytes("\xff\xff", "f.pb"); }, KEEL_STATUS_INVALID_ARGUMENT, {"f.pb"}));
}

}  // namespace
}  // namespace keel::onnx_import
