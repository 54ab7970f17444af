// Packing a node's generic attributes into the operator's keel_<op>_attrs_t, through the spec's AttrSchema
// table (names, types, offsets, enum values, defaults).
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ir/attr_value.h"
#include "graph/ir/host_tensor.h"
#include "spec/op_schema.h"
#include "spec/validate.h"

namespace keel::graph {

// Gives the data of a value an attribute is bound to, or nullptr when it is not available (yet).
using RefResolver = std::function<const HostTensor*(ValueId)>;

// Checks `attrs` against the operator's table without packing: unknown names, kinds that do not fit, enum
// values, missing required attributes. Returns "" or the problem ("attribute 'axes' is float, expected
// ints").
std::string check_attrs(const spec::OpSchema& op, const AttrMap& attrs);

// Converts one attribute value read from a tensor: `element` -1 takes every element (ints / floats), else
// that one (int / float / bool). Returns "" or the problem.
std::string attr_from_tensor(const spec::AttrSchema& schema, const HostTensor& tensor, int64_t element,
                             AttrValue* out);

class PackedAttrs {
 public:
  PackedAttrs() = default;
  // Packs; throws keel::Error (INVALID_ARGUMENT) with `context` ("node 'n3' (reshape)") prefixed when an
  // attribute does not fit, or a bound value is unavailable (resolver returns nullptr or is empty).
  PackedAttrs(const spec::OpSchema& op, const AttrMap& attrs, const RefResolver& resolve, std::string_view context);
  PackedAttrs(PackedAttrs&&) = default;
  PackedAttrs& operator=(PackedAttrs&&) = default;
  PackedAttrs(const PackedAttrs&) = delete;
  PackedAttrs& operator=(const PackedAttrs&) = delete;

  // The keel_<op>_attrs_t (normalized: full size, defaults filled in); nullptr for an operator without
  // attributes.
  const void* get() const { return has_attrs_ ? buffer_.bytes : nullptr; }
  // The literal values the bound attributes resolved to (by name), for caching and reports.
  const AttrMap& resolved() const { return resolved_; }

 private:
  void set(const spec::AttrSchema& schema, const AttrValue& value);
  spec::AttrsBuffer buffer_{};
  bool has_attrs_ = false;
  std::deque<std::vector<int64_t>> ints_;
  std::deque<std::vector<double>> floats_;
  AttrMap resolved_;
};

// The attribute schema of `op` named `name`, or nullptr.
const spec::AttrSchema* find_attr(const spec::OpSchema& op, std::string_view name);

// Reads an attribute as the packed struct holds it, for passes that inspect attributes (defaults applied).
AttrValue attr_or_default(const spec::OpSchema& op, const AttrMap& attrs, std::string_view name);

}  // namespace keel::graph
