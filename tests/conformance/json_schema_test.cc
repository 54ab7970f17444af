// The JSON Schema subset validator the certificate check relies on.
#include "report/json_schema.h"

#include <gtest/gtest.h>

namespace keel::conform {
namespace {

const nlohmann::json kSchema = nlohmann::json::parse(R"({
  "type": "object",
  "required": ["name", "count"],
  "additionalProperties": false,
  "properties": {
    "name": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2},
    "count": {"type": "integer", "minimum": 0},
    "kind": {"enum": ["a", "b"]},
    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
    "optional": {"type": ["object", "null"], "required": ["x"]}
  },
  "$defs": {"item": {"type": "object", "required": ["v"], "properties": {"v": {"const": 1}}}}
})");

size_t errors_for(const char* text) { return validate_json_schema(kSchema, nlohmann::json::parse(text)).size(); }

TEST(JsonSchema, AcceptsValidDocuments) {
  EXPECT_EQ(errors_for(R"({"name": "ab", "count": 3})"), 0u);
  EXPECT_EQ(errors_for(R"({"name": "ab", "count": 3.0, "kind": "b", "items": [{"v": 1}], "optional": null})"), 0u);
}

TEST(JsonSchema, RejectsEachKindOfViolation) {
  EXPECT_GT(errors_for(R"({"name": "ab"})"), 0u);                               // required
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1, "other": 1})"), 0u);       // additionalProperties
  EXPECT_GT(errors_for(R"({"name": "AB", "count": 1})"), 0u);                   // pattern
  EXPECT_GT(errors_for(R"({"name": "a", "count": 1})"), 0u);                    // minLength
  EXPECT_GT(errors_for(R"({"name": "ab", "count": -1})"), 0u);                  // minimum
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1.5})"), 0u);                 // integer
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1, "kind": "c"})"), 0u);      // enum
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1, "items": []})"), 0u);      // minItems
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1, "items": [{"v": 2}]})"), 0u);  // $ref + const
  EXPECT_GT(errors_for(R"({"name": "ab", "count": 1, "optional": {}})"), 0u);   // required in a typed union
  EXPECT_GT(errors_for(R"([1, 2])"), 0u);                                        // type
}

TEST(JsonSchema, ErrorsNameTheirPlace) {
  const auto errors = validate_json_schema(kSchema, nlohmann::json::parse(R"({"name": "ab", "count": 1, "items": [{"v": 1}, {}]})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("/items/1"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace keel::conform
