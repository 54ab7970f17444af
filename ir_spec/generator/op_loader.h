// Pieces of the operator loader (load_ops.cc), one file per part of an entry.
#pragma once

#include <optional>
#include <string>

#include "model.h"
#include "yaml_reader.h"

namespace keel::specgen {

// Reads `node` as a value of `attr` (a default, an example's value, a gradient requirement).
std::optional<AttrValue> read_attr_value(const YamlFile& file, const YAML::Node& node, const AttrDef& attr,
                                         const GlobalSpec& global, const std::string& what);

// attributes: [...]; needs op.types resolved.
void load_attributes(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op);
// constraints: [...]; needs the inputs and attributes.
void load_constraints(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op);
// gradient: {...}; formulas are parsed here and resolved by check_spec().
void load_gradient(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global, OpDef& op);
// decomposition: {let, <output>: formula...}; resolved by check_spec().
void load_decomposition(const YamlFile& file, const YAML::Node& node, OpDef& op);
// samples: [...]; needs the inputs and attributes. Data domains are resolved by check_spec().
void load_samples(const YamlFile& file, const YAML::Node& list, const GlobalSpec& global, OpDef& op);

// A call written as {inputs: [...], attrs: {...}} (a negative example or a sample; the caller checks the
// keys). Inputs are "dtype[d0,...]", "none" for an absent optional input, and, when `dtype_optional`,
// "[d0,...]" leaving the dtype to the type variables. Required attributes must be set.
std::optional<ExampleDef> load_call(const YamlFile& file, const YAML::Node& node, const GlobalSpec& global,
                                    const OpDef& op, const std::string& what, bool dtype_optional);

// Parses the expression in `node`; reports a syntax error at the node's line.
std::optional<Expr> read_expr(const YamlFile& file, const YAML::Node& node, const std::string& what);

}  // namespace keel::specgen
