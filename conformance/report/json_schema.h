// A small JSON Schema validator for the subset certificate.schema.json uses: type, const, enum, properties,
// required, additionalProperties, items, minItems, minimum, maximum, minLength, pattern, and local $ref
// ("#/$defs/<name>"). Object keywords apply to objects only, array keywords to arrays only, as in the
// standard. Unknown keywords are ignored, also as in the standard.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace keel::conform {

// Every violation as "<JSON pointer>: <what>", at most `limit` of them; empty when `instance` is valid.
std::vector<std::string> validate_json_schema(const nlohmann::json& schema, const nlohmann::json& instance,
                                              size_t limit = 20);

}  // namespace keel::conform
