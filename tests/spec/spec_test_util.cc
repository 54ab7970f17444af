#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <charconv>

namespace keel::spec::testing {

TensorMeta meta(std::string_view text) {
  TensorMeta t;
  size_t open = text.find('[');
  EXPECT_NE(open, std::string_view::npos) << text;
  EXPECT_EQ(text.back(), ']') << text;
  std::string_view dtype = text.substr(0, open);
  for (const DtypeInfo& info : all_dtypes()) {
    if (dtype == info.name) t.dtype = info.dtype;
  }
  EXPECT_NE(t.dtype, KEEL_DTYPE_INVALID) << text;
  std::string_view dims = text.substr(open + 1, text.size() - open - 2);
  while (!dims.empty()) {
    size_t comma = dims.find(',');
    std::string_view dim = dims.substr(0, comma);
    int64_t value = -1;
    std::from_chars(dim.data(), dim.data() + dim.size(), value);
    t.dims[t.rank++] = value;
    dims = comma == std::string_view::npos ? std::string_view() : dims.substr(comma + 1);
  }
  return t;
}

std::string to_string(const TensorMeta& t) {
  std::string out = std::string(dtype_name(t.dtype)) + "[";
  for (uint32_t i = 0; i < t.rank; ++i) out += (i ? "," : "") + std::to_string(t.dims[i]);
  return out + "]";
}

const OpSchema& op(std::string_view name) {
  const OpSchema* schema = find_op(name);
  if (!schema) ADD_FAILURE() << "no operator " << name;
  return schema ? *schema : all_ops()[0];
}

std::optional<Violation> check_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs) {
  AttrsBuffer full;
  std::string why;
  if (!normalize_attrs(schema, attrs, full.bytes, &why)) return Violation{KEEL_STATUS_INVALID_ARGUMENT, why};
  return check(schema, schema.attrs_size ? full.bytes : nullptr, inputs);
}

std::vector<std::string> infer_call(const OpSchema& schema, const void* attrs, std::span<const TensorMeta> inputs) {
  AttrsBuffer full;
  std::string why;
  EXPECT_TRUE(normalize_attrs(schema, attrs, full.bytes, &why)) << why;
  const void* full_attrs = schema.attrs_size ? full.bytes : nullptr;
  std::optional<Violation> v = check(schema, full_attrs, inputs);
  EXPECT_FALSE(v.has_value()) << v->message;
  if (v) return {};
  std::vector<TensorMeta> outputs(schema.output_count);
  infer(schema, full_attrs, inputs, outputs);
  std::vector<std::string> out;
  for (const TensorMeta& t : outputs) out.push_back(to_string(t));
  return out;
}

}  // namespace keel::spec::testing
