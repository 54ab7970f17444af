// The reverse of graph/ir/attr_pack.h: a keel_<op>_attrs_t read back into a node's generic attributes, through
// the spec's AttrSchema table (every attribute, defaults included).
#pragma once

#include "graph/ir/attr_value.h"
#include "spec/op_schema.h"

namespace keel::graph {

// `attrs` is a keel_<op>_attrs_t of `op`, or nullptr for the defaults.
AttrMap unpack_attrs(const spec::OpSchema& op, const void* attrs);

}  // namespace keel::graph
