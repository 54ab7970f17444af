// keel-specgen rejects malformed specs with `file:line: reason`. Each case under bad/<case>/ replaces
// good/spec.yaml or good/ops/x.yaml with a copy holding one mistake.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string stderr_text;
};

// Assembles good/ with the case's files on top in a scratch directory and runs keel-specgen on it.
Result run_case(const std::string& name) {
  fs::path dir = fs::path(KEEL_SPEC_TEST_SCRATCH_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir / "ops");
  fs::path good = fs::path(KEEL_SPEC_TEST_DIR) / "good";
  fs::path bad = fs::path(KEEL_SPEC_TEST_DIR) / "bad" / name;
  for (const char* file : {"spec.yaml", "ops/x.yaml"}) {
    fs::copy_file(fs::exists(bad / file) ? bad / file : good / file, dir / file);
  }
  fs::path err = dir / "stderr.txt";
  std::string command = "\"" KEEL_SPECGEN "\" --spec-dir \"" + dir.string() + "\" --header \"" +
                        (dir / "out/keel_ops.h").string() + "\" --op-table \"" + (dir / "out/table.cc").string() +
                        "\" --docs \"" + (dir / "out/ops.md").string() + "\" 2> \"" + err.string() + "\"";
  int status = std::system(command.c_str());
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

TEST(Generator, AcceptsTheGoodSpec) {
  Result r = run_case("good");  // no bad/good: the good files as they are
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  fs::path out = fs::path(KEEL_SPEC_TEST_SCRATCH_DIR) / "good" / "out";
  EXPECT_TRUE(fs::exists(out / "keel_ops.h"));
  EXPECT_TRUE(fs::exists(out / "table.cc"));
  EXPECT_TRUE(fs::exists(out / "ops.md"));
}

struct BadCase {
  const char* name;
  const char* location;  // "<file>:<line>:" relative to the spec directory
  const char* reason;    // a substring of the message on that line
};

class BadSpec : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadSpec, IsRejectedWithFileLineAndReason) {
  const BadCase& c = GetParam();
  Result r = run_case(c.name);
  EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
  bool found = false;
  std::istringstream lines(r.stderr_text);
  for (std::string line; std::getline(lines, line);) {
    found = found || (line.find(std::string("/") + c.location + " ") != std::string::npos &&
                      line.find(c.reason) != std::string::npos);
  }
  EXPECT_TRUE(found) << "expected \"" << c.location << " ..." << c.reason << "...\" in:\n" << r.stderr_text;
}

const BadCase kBadCases[] = {
    {"unknown_key", "ops/x.yaml:7:", "unknown key 'sumary' in operator 'add'"},
    {"missing_key", "ops/x.yaml:5:", "missing the required key 'version'"},
    {"duplicate_key", "ops/x.yaml:7:", "duplicate key 'version'"},
    {"duplicate_op", "ops/x.yaml:29:", "duplicate operator name 'add'"},
    {"bad_identifier", "ops/x.yaml:29:", "operator name 'Total-Sum' must match [a-z][a-z0-9_]*"},
    {"unknown_dtype", "ops/x.yaml:12:", "unknown dtype 'f128'"},
    {"unknown_type_set", "ops/x.yaml:36:", "unknown type set 'floats'"},
    {"unknown_type_var", "ops/x.yaml:10:", "unknown type 'U' for 'b'"},
    {"unknown_predicate", "ops/x.yaml:14:", "unknown predicate 'is_nice'"},
    {"unknown_shape_rule", "ops/x.yaml:11:", "unknown shape rule 'weird'"},
    {"wrong_arity", "ops/x.yaml:42:", "takes rank_at_least(tensor, int), got 1 argument"},
    {"wrong_arg_kind", "ops/x.yaml:47:", "must be an attribute of 'total', not 'x'"},
    {"int_arg_kind", "ops/x.yaml:42:", "must be an integer literal or an int attribute, not 'keepdims'"},
    {"constraint_order", "ops/x.yaml:42:", "constraint id 'C2' must be 'C1'"},
    {"bad_example_tensor", "ops/x.yaml:46:", "tensor 'f32[2,x]' must be written dtype[d0,d1,...]"},
    {"example_unknown_attr", "ops/x.yaml:18:", "sets unknown attribute 'axis'"},
    {"example_wrong_value",
     "ops/x.yaml:51:", "attribute 'keepdims' in the example of C2 of 'total' must be true or false"},
    {"example_input_count", "ops/x.yaml:18:", "has 1 inputs; 'add' takes 2"},
    {"enum_default", "ops/x.yaml:40:", "must be one of fast, exact, not 'slow'"},
    {"default_and_required", "ops/x.yaml:39:", "needs exactly one of `default:` and `required: true`"},
    {"gradient_parse", "ops/x.yaml:24:", "'add(da, db' does not parse: expected ')'"},
    {"gradient_unknown_op", "ops/x.yaml:23:", "'sum_up' is neither a spec operator nor a gradient helper"},
    {"gradient_unknown_name", "ops/x.yaml:23:", "uses unknown name 'z'"},
    {"gradient_helper_arity", "ops/x.yaml:23:", "helper 'sum_to' takes 2 arguments, got 1"},
    {"gradient_op_attr", "ops/x.yaml:58:", "'total' has no attribute 'axis'"},
    {"vjp_missing_input", "ops/x.yaml:23:", "vjp of 'add' is missing the input 'b'"},
    {"jvp_missing_output", "ops/x.yaml:24:", "jvp of 'add' is missing the output 'y'"},
    {"yaml_syntax", "ops/x.yaml:35:", "YAML syntax error"},
    {"unquoted_comma",
     "ops/x.yaml:11:", "unknown key 'b)' in an output of 'add' (a value holding ', ' inside {...} must be quoted"},
    {"spec_unknown_arg_kind", "spec.yaml:21:", "unknown argument kind 'number'"},
    {"spec_unknown_profile", "spec.yaml:9:", "dtype 'f64' names unknown profile 'fp8'"},
    // Samples and data domains.
    {"samples_missing", "ops/x.yaml:62:", "operator 'pick' is missing the required key 'samples'"},
    {"sample_unknown_domain", "ops/x.yaml:60:", "domain of 'x' in a sample calls unknown data domain 'lovely'"},
    {"sample_domain_input", "ops/x.yaml:60:", "sample 1 of 'total' gives a domain to 'w', which is not an input"},
    {"sample_pin_not_allowed", "ops/x.yaml:83:", "sample 1 of 'pick' pins input 'x' to i32, which T does not allow"},
    {"sample_pins_disagree", "ops/x.yaml:84:", "sample 2 of 'pick' pins two inputs bound to T to f32 and f64"},
    {"sample_absent_required", "ops/x.yaml:83:", "sample 1 of 'pick' passes none for input 1, which is not optional"},
    {"example_absent_required", "ops/x.yaml:18:", "the example of C1 of 'add' passes none for input 2"},
    {"spec_no_any_domain", "spec.yaml:39:", "data_domains must define 'any'"},
    // Optional inputs, variadic outputs, typed rule arguments.
    {"optional_variadic", "ops/x.yaml:67:", "input 'y' cannot be both optional and variadic"},
    {"variadic_output_count", "ops/x.yaml:68:", "output 'z' must have `count:` exactly when it is variadic"},
    {"unknown_count_rule", "ops/x.yaml:68:", "count of 'z' calls unknown count rule 'halves'"},
    {"optional_shape_arg", "ops/x.yaml:68:", "shape of 'z' names optional input 'y' as a single tensor"},
    {"spec_unknown_typed_arg", "spec.yaml:23:", "unknown argument kind 'attr:list'"},
    {"spec_typed_arg",
     "ops/x.yaml:47:", "argument 1 of axes_in_range(attr:int, tensor) must be an int attribute; 'axes' is ints"},
    {"floats_default",
     "ops/x.yaml:72:", "every entry of default of attribute 'weights' of 'pick' must be a finite number"},
    // Decompositions and formula trees.
    {"decomposition_unknown_name", "ops/x.yaml:77:", "decomposition of 'z' uses unknown name 'grad'"},
    {"decomposition_self", "ops/x.yaml:77:", "a decomposition cannot call its own operator"},
    {"decomposition_missing_output", "ops/x.yaml:76:", "decomposition of 'pick' is missing the output 'z'"},
    {"decomposition_helper", "ops/x.yaml:77:", "helper 'sum_to' is not available to decompositions"},
    {"decomposition_cycle", "ops/x.yaml:23:", "decompositions form a cycle: add → pick → add"},
    {"is_bad_value", "ops/x.yaml:76:", "'third' is not a value of enum attribute 'mode'"},
    {"present_required", "ops/x.yaml:77:", "present() takes an optional input, not 'x'"},
    {"let_both_sides", "ops/x.yaml:79:", "let 'G' uses both cotangents and tangents"},
    {"tangent_let_in_vjp", "ops/x.yaml:80:", "vjp formula for 'x' uses unknown name 'G'"},
    {"too_few_inputs", "ops/x.yaml:81:", "'add' takes 2 inputs, got 1"},
};

INSTANTIATE_TEST_SUITE_P(Cases, BadSpec, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& param) { return std::string(param.param.name); });

TEST(Generator, EveryBadCaseDirectoryHasAnExpectation) {
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(KEEL_SPEC_TEST_DIR) / "bad")) {
    bool listed = false;
    for (const BadCase& c : kBadCases) listed = listed || entry.path().filename() == c.name;
    EXPECT_TRUE(listed) << entry.path().filename() << " is not in kBadCases";
  }
}

}  // namespace
