#include "expr.h"

#include <cctype>
#include <charconv>

namespace keel::specgen {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Recursive-descent parser over one expression string. Records the first error and stops.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::optional<Expr> parse_all(std::string* error) {
    std::optional<Expr> e = parse_expr();
    if (e && peek() != '\0') fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    if (!error_.empty()) {
      *error = error_;
      return std::nullopt;
    }
    return e;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  void fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at column " + std::to_string(pos_ + 1);
  }
  bool expect(char c) {
    if (peek() == c) {
      ++pos_;
      return true;
    }
    fail(std::string("expected '") + c + "'");
    return false;
  }

  std::string read_name() {
    size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  std::optional<Expr> parse_expr() {
    char c = peek();
    if (c == '[') return parse_list();
    if (c == '-' || c == '.' || is_digit(c)) return parse_number();
    if (!is_name_start(c)) {
      fail(c == '\0' ? "expected an expression" : "unexpected '" + std::string(1, c) + "'");
      return std::nullopt;
    }
    Expr e;
    e.text = read_name();
    if (e.text == "true" || e.text == "false") {
      e.kind = Expr::Kind::kBool;
      e.boolean = e.text == "true";
      return e;
    }
    if (peek() != '(') return e;
    e.kind = Expr::Kind::kCall;
    ++pos_;
    if (peek() == ')') {
      ++pos_;
      return e;
    }
    while (true) {
      if (!parse_argument(e)) return std::nullopt;
      if (peek() != ',') break;
      ++pos_;
    }
    if (!expect(')')) return std::nullopt;
    return e;
  }

  // One call argument, positional or `key=value`.
  bool parse_argument(Expr& call) {
    std::string key;
    size_t save = pos_;
    if (is_name_start(peek())) {
      std::string name = read_name();
      if (peek() == '=') {
        ++pos_;
        key = std::move(name);
      } else {
        pos_ = save;
      }
    }
    if (key.empty() && !call.keys.empty() && !call.keys.back().empty()) {
      fail("positional argument after a keyword argument");
      return false;
    }
    std::optional<Expr> value = parse_expr();
    if (!value) return false;
    call.args.push_back(std::move(*value));
    call.keys.push_back(std::move(key));
    return true;
  }

  std::optional<Expr> parse_list() {
    ++pos_;  // '['
    Expr e;
    e.kind = Expr::Kind::kList;
    if (peek() == ']') {
      ++pos_;
      return e;
    }
    while (true) {
      std::optional<Expr> item = parse_expr();
      if (!item) return std::nullopt;
      e.args.push_back(std::move(*item));
      if (peek() != ',') break;
      ++pos_;
    }
    if (!expect(']')) return std::nullopt;
    return e;
  }

  std::optional<Expr> parse_number() {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    bool integer = true;
    while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '.')) {
      integer = integer && text_[pos_] != '.';
      ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integer = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    Expr e;
    e.kind = Expr::Kind::kNumber;
    e.text = std::string(text_.substr(start, pos_ - start));
    e.is_integer = integer;
    const char* first = e.text.data();
    const char* last = first + e.text.size();
    auto [end, ec] = std::from_chars(first, last, e.number);
    if (ec != std::errc() || end != last) {
      pos_ = start;
      fail("malformed number '" + e.text + "'");
      return std::nullopt;
    }
    if (integer) {
      auto [iend, iec] = std::from_chars(first, last, e.integer);
      if (iec != std::errc() || iend != last) {
        pos_ = start;
        fail("integer '" + e.text + "' does not fit in 64 bits");
        return std::nullopt;
      }
    }
    return e;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

size_t Expr::positional_count() const {
  size_t n = 0;
  for (const std::string& k : keys) n += k.empty() ? 1 : 0;
  return n;
}

std::string Expr::to_string() const {
  switch (kind) {
    case Kind::kName:
    case Kind::kNumber: return text;
    case Kind::kBool: return boolean ? "true" : "false";
    case Kind::kList:
    case Kind::kCall: {
      std::string out = kind == Kind::kCall ? text + "(" : "[";
      for (size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ", ";
        if (kind == Kind::kCall && !keys[i].empty()) out += keys[i] + "=";
        out += args[i].to_string();
      }
      return out + (kind == Kind::kCall ? ")" : "]");
    }
  }
  return text;
}

std::optional<Expr> parse_expr(std::string_view text, std::string* error) { return Parser(text).parse_all(error); }

}  // namespace keel::specgen
