// Identifier rules of the spec and the C names derived from spec names.
#pragma once

#include <string>
#include <string_view>

namespace keel::specgen {

// [a-z][a-z0-9_]*: operator, input, output, attribute and enum value names.
bool is_lower_identifier(std::string_view name);
// [A-Za-z_][A-Za-z0-9_]*: type variables, predicates, shape rules, helpers.
bool is_identifier(std::string_view name);
// KEEL_DTYPE_[A-Z0-9_]+: the C constant of a dtype.
bool is_dtype_constant(std::string_view name);
// MAJOR.MINOR.PATCH, each a run of digits.
bool is_semantic_version(std::string_view text);
// A run of one or more decimal digits.
bool is_digits(std::string_view text);

// A C or C++ keyword, which cannot name a struct field.
bool is_reserved_word(std::string_view name);

std::string to_upper(std::string_view name);

// C names of an operator's pieces (see ir_spec/README.md, "The C mapping").
std::string op_macro(std::string_view op);                          // KEEL_OP_REDUCE_SUM
std::string attrs_type(std::string_view op);                        // keel_reduce_sum_attrs_t
std::string attrs_init_macro(std::string_view op);                  // KEEL_REDUCE_SUM_ATTRS_INIT
std::string enum_type(std::string_view op, std::string_view attr);  // keel_div_rounding_e
std::string enum_constant(std::string_view op, std::string_view attr, std::string_view value);
std::string list_default_array(std::string_view op, std::string_view attr);  // keel_<op>_<attr>_default

// `text` as a C/C++ string literal (quotes included), escaping what C requires.
std::string c_string_literal(std::string_view text);
// `text` made safe inside a /* */ comment.
std::string c_comment_text(std::string_view text);

}  // namespace keel::specgen
