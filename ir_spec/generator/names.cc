#include "names.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>

namespace keel::specgen {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

constexpr std::string_view kReservedWords[] = {
    "alignas", "alignof", "and",      "asm",       "auto",     "bool",      "break",     "case",     "catch",
    "char",    "class",   "const",    "constexpr", "continue", "default",   "delete",    "do",       "double",
    "else",    "enum",    "explicit", "export",    "extern",   "false",     "float",     "for",      "friend",
    "goto",    "if",      "inline",   "int",       "long",     "mutable",   "namespace", "new",      "noexcept",
    "not",     "nullptr", "operator", "or",        "private",  "protected", "public",    "register", "restrict",
    "return",  "short",   "signed",   "sizeof",    "static",   "struct",    "switch",    "template", "this",
    "throw",   "true",    "try",      "typedef",   "typeid",   "typename",  "union",     "unsigned", "using",
    "virtual", "void",    "volatile", "while",     "xor",      "concept",   "requires",
};

}  // namespace

bool is_lower_identifier(std::string_view name) {
  if (name.empty() || !is_lower(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

bool is_identifier(std::string_view name) {
  if (name.empty() || !(is_alpha(name[0]) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_alpha(c) || is_digit(c) || c == '_'; });
}

bool is_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_dtype_constant(std::string_view name) {
  constexpr std::string_view kPrefix = "KEEL_DTYPE_";
  if (!name.starts_with(kPrefix) || name.size() == kPrefix.size()) return false;
  return name.substr(kPrefix.size()).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
         std::string_view::npos;
}

bool is_semantic_version(std::string_view text) {
  for (int part = 0; part < 3; ++part) {
    const size_t dot = part < 2 ? text.find('.') : text.size();
    if (dot == std::string_view::npos || !is_digits(text.substr(0, dot))) return false;
    text.remove_prefix(part < 2 ? dot + 1 : dot);
  }
  return text.empty();
}

bool is_reserved_word(std::string_view name) {
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), name) != std::end(kReservedWords);
}

std::string to_upper(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string op_macro(std::string_view op) { return "KEEL_OP_" + to_upper(op); }
std::string attrs_type(std::string_view op) { return "keel_" + std::string(op) + "_attrs_t"; }
std::string attrs_init_macro(std::string_view op) { return "KEEL_" + to_upper(op) + "_ATTRS_INIT"; }
std::string enum_type(std::string_view op, std::string_view attr) {
  return "keel_" + std::string(op) + "_" + std::string(attr) + "_e";
}
std::string enum_constant(std::string_view op, std::string_view attr, std::string_view value) {
  return "KEEL_" + to_upper(op) + "_" + to_upper(attr) + "_" + to_upper(value);
}
std::string list_default_array(std::string_view op, std::string_view attr) {
  return "keel_" + std::string(op) + "_" + std::string(attr) + "_default";
}

std::string c_string_literal(std::string_view text) {
  std::string out = "\"";
  char previous = '\0';
  for (char c : text) {
    if (c == '?' && previous == '?') {
      out += "\\?";  // never form a trigraph
      previous = '\0';
      continue;
    }
    previous = c;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string c_comment_text(std::string_view text) {
  std::string out(text);
  for (size_t pos = 0; (pos = out.find("*/", pos)) != std::string::npos;) out.replace(pos, 2, "* /");
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

}  // namespace keel::specgen
