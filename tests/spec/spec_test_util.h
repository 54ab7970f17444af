// Helpers shared by the spec tests.
#pragma once

#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spec/op_schema.h"
#include "spec/validate.h"

namespace keel::spec::testing {

// "f32[2,3]" → TensorMeta; "f32[]" is 0-D. Aborts the test on a malformed string.
TensorMeta meta(std::string_view text);
// TensorMeta → "f32[2,3]".
std::string to_string(const TensorMeta& t);

const OpSchema& op(std::string_view name);

// Normalizes `attrs` (a caller struct or nullptr) and runs check(); the violation, if any.
std::optional<Violation> check_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs);
// Normalizes, checks (failing the test on a violation) and infers; the outputs as "dtype[dims]" strings.
std::vector<std::string> infer_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs);

// Builds a full-size keel_<op>_attrs_t from the spec defaults, setting attributes by name through the
// schema's offsets (so tests do not depend on field order). Lists are copied and live as long as the
// builder. Fails the test on an unknown name or a value of the wrong kind.
class Attrs {
 public:
  explicit Attrs(std::string_view op);
  Attrs(const Attrs& other);  // re-points the copied lists at the copy's storage
  Attrs& operator=(const Attrs&) = delete;
  Attrs& set(std::string_view name, int64_t value);                          // int, bool, enum index, dtype
  Attrs& set(std::string_view name, double value);                           // float
  Attrs& set(std::string_view name, std::initializer_list<int64_t> values);  // ints
  Attrs& set_floats(std::string_view name, std::initializer_list<double> values);
  Attrs& set_enum(std::string_view name, std::string_view value);
  const void* data() const { return schema_->attrs_size ? buffer_.bytes : nullptr; }
  const OpSchema& schema() const { return *schema_; }

 private:
  const AttrSchema& attr(std::string_view name) const;
  const OpSchema* schema_;
  AttrsBuffer buffer_;
  void bind(const AttrSchema& a, const void* data, size_t count);
  std::deque<std::vector<int64_t>> ints_;
  std::deque<std::vector<double>> floats_;
  struct Binding {
    size_t attr;   // position in the schema
    bool floats;   // which store
    size_t index;  // position in that store
  };
  std::vector<Binding> bindings_;
};

// One call and the outputs infer() must give, as "dtype[dims]".
struct ShapeCase {
  std::string op;
  std::shared_ptr<const Attrs> attrs;  // nullptr: defaults
  std::vector<std::string> inputs;     // "none" for an absent optional input
  std::vector<std::string> outputs;
};
// Runs a case: every input parsed, check() must pass, infer() must give the outputs.
void expect_shapes(const ShapeCase& c);
std::shared_ptr<const Attrs> attrs(Attrs a);

}  // namespace keel::spec::testing
