#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>

namespace keel::spec::testing {

TensorMeta meta(std::string_view text) {
  TensorMeta t;
  if (text == "none") return t;  // an absent optional input
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

Attrs::Attrs(std::string_view op) : schema_(&testing::op(op)) {
  EXPECT_TRUE(normalize_attrs(*schema_, nullptr, buffer_.bytes, nullptr));
}

const AttrSchema& Attrs::attr(std::string_view name) const {
  for (size_t i = 0; i < schema_->attr_count; ++i) {
    if (schema_->attrs[i].name == name) return schema_->attrs[i];
  }
  ADD_FAILURE() << schema_->name << " has no attribute " << name;
  return schema_->attrs[0];
}

Attrs& Attrs::set(std::string_view name, int64_t value) {
  const AttrSchema& a = attr(name);
  switch (a.type) {
    case AttrType::kInt: std::memcpy(buffer_.bytes + a.offset, &value, sizeof value); break;
    case AttrType::kBool: buffer_.bytes[a.offset] = value != 0; break;
    case AttrType::kEnum:
    case AttrType::kDtype: {
      auto v = static_cast<uint32_t>(value);
      std::memcpy(buffer_.bytes + a.offset, &v, sizeof v);
      break;
    }
    default: ADD_FAILURE() << name << " is not an integer attribute";
  }
  return *this;
}

Attrs& Attrs::set(std::string_view name, double value) {
  const AttrSchema& a = attr(name);
  EXPECT_EQ(a.type, AttrType::kFloat) << name;
  std::memcpy(buffer_.bytes + a.offset, &value, sizeof value);
  return *this;
}

Attrs::Attrs(const Attrs& other)
    : schema_(other.schema_),
      buffer_(other.buffer_),
      ints_(other.ints_),
      floats_(other.floats_),
      bindings_(other.bindings_) {
  for (const Binding& b : bindings_) {
    const AttrSchema& a = schema_->attrs[b.attr];
    if (b.floats) {
      bind(a, floats_[b.index].empty() ? nullptr : floats_[b.index].data(), floats_[b.index].size());
    } else {
      bind(a, ints_[b.index].empty() ? nullptr : ints_[b.index].data(), ints_[b.index].size());
    }
  }
}

void Attrs::bind(const AttrSchema& a, const void* data, size_t count) {
  std::memcpy(buffer_.bytes + a.offset, &data, sizeof data);
  std::memcpy(buffer_.bytes + a.count_offset, &count, sizeof count);
}

Attrs& Attrs::set(std::string_view name, std::initializer_list<int64_t> values) {
  const AttrSchema& a = attr(name);
  EXPECT_EQ(a.type, AttrType::kInts) << name;
  const std::vector<int64_t>& stored = ints_.emplace_back(values);
  bindings_.push_back({static_cast<size_t>(&a - schema_->attrs), false, ints_.size() - 1});
  bind(a, stored.empty() ? nullptr : stored.data(), stored.size());
  return *this;
}

Attrs& Attrs::set_floats(std::string_view name, std::initializer_list<double> values) {
  const AttrSchema& a = attr(name);
  EXPECT_EQ(a.type, AttrType::kFloats) << name;
  const std::vector<double>& stored = floats_.emplace_back(values);
  bindings_.push_back({static_cast<size_t>(&a - schema_->attrs), true, floats_.size() - 1});
  bind(a, stored.empty() ? nullptr : stored.data(), stored.size());
  return *this;
}

Attrs& Attrs::set_enum(std::string_view name, std::string_view value) {
  const AttrSchema& a = attr(name);
  for (size_t i = 0; i < a.enum_value_count; ++i) {
    if (a.enum_values[i] == value) return set(name, static_cast<int64_t>(i));
  }
  ADD_FAILURE() << name << " has no value " << value;
  return *this;
}

std::shared_ptr<const Attrs> attrs(Attrs a) { return std::make_shared<const Attrs>(std::move(a)); }

void expect_shapes(const ShapeCase& c) {
  const OpSchema& schema = testing::op(c.op);
  std::vector<TensorMeta> inputs;
  std::string call = c.op + "(";
  for (const std::string& in : c.inputs) {
    inputs.push_back(meta(in));
    call += in + " ";
  }
  SCOPED_TRACE(call + ")");
  const void* full = c.attrs ? c.attrs->data() : nullptr;
  AttrsBuffer defaults;
  if (!c.attrs) {
    EXPECT_TRUE(normalize_attrs(schema, nullptr, defaults.bytes, nullptr));
    full = schema.attrs_size ? defaults.bytes : nullptr;
  }
  std::optional<Violation> v = check(schema, full, inputs);
  ASSERT_FALSE(v.has_value()) << v->message;
  std::vector<TensorMeta> outputs(output_count(schema, full, inputs));
  infer(schema, full, inputs, outputs);
  std::vector<std::string> got;
  for (const TensorMeta& t : outputs) got.push_back(to_string(t));
  EXPECT_EQ(got, c.outputs);
}

}  // namespace keel::spec::testing
