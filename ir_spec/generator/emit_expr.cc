#include "emit_expr.h"

#include <cstdint>
#include <vector>

#include "attrs_layout.h"
#include "names.h"

namespace keel::specgen {
namespace {

std::string expr_kind(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kCall: return e.ref == Expr::Ref::kOp ? "ExprKind::kOpCall" : "ExprKind::kHelperCall";
    case Expr::Kind::kName: return "ExprKind::kName";
    case Expr::Kind::kNumber: return "ExprKind::kNumber";
    case Expr::Kind::kBool: return "ExprKind::kBool";
    case Expr::Kind::kList: return "ExprKind::kList";
  }
  return "";
}

std::string name_kind(const Expr& e) {
  if (e.kind != Expr::Kind::kName) return "NameKind::kNone";
  switch (e.ref) {
    case Expr::Ref::kInput: return "NameKind::kInput";
    case Expr::Ref::kOutput: return "NameKind::kOutput";
    case Expr::Ref::kAttr: return "NameKind::kAttr";
    case Expr::Ref::kLet: return "NameKind::kLet";
    case Expr::Ref::kGrad: return "NameKind::kGrad";
    case Expr::Ref::kTangent: return "NameKind::kTangent";
    case Expr::Ref::kEnumValue: return "NameKind::kEnumValue";
    case Expr::Ref::kDtype: return "NameKind::kDtype";
    case Expr::Ref::kNone:
    case Expr::Ref::kOp:
    case Expr::Ref::kHelper: return "NameKind::kNone";
  }
  return "NameKind::kNone";
}

}  // namespace

std::string ExprWriter::write(const Expr& e) {
  std::string init = node(e);
  std::string name = "kE" + std::to_string(next_++);
  out_ << "constexpr ExprNode " << name << "[] = {" << init << "};\n";
  return name;
}

std::string ExprWriter::node(const Expr& e) {
  std::string args = "nullptr";
  std::string keys = "nullptr";
  if (!e.args.empty()) {
    std::vector<std::string> children;
    for (const Expr& arg : e.args) children.push_back(node(arg));
    args = "kE" + std::to_string(next_++);
    out_ << "constexpr ExprNode " << args << "[] = {\n";
    for (const std::string& c : children) out_ << "    " << c << ",\n";
    out_ << "};\n";
    bool keyword = false;
    for (const std::string& k : e.keys) keyword = keyword || !k.empty();
    if (keyword) {
      keys = "kK" + std::to_string(next_++);
      out_ << "constexpr const char* " << keys << "[] = {";
      for (size_t i = 0; i < e.keys.size(); ++i) out_ << (i ? ", " : "") << c_string_literal(e.keys[i]);
      out_ << "};\n";
    }
  }
  bool indexed = e.ref != Expr::Ref::kNone && e.ref != Expr::Ref::kHelper;
  std::string text = e.kind == Expr::Kind::kList   ? ""
                     : e.kind == Expr::Kind::kBool ? (e.boolean ? "true" : "false")
                                                   : e.text;
  return "{" + expr_kind(e) + ", " + name_kind(e) + ", " + std::to_string(indexed ? e.ref_index : -1) + ", " +
         c_string_literal(text) + ", " + args + ", " + keys + ", " + std::to_string(e.args.size()) + ", " +
         c_double(e.kind == Expr::Kind::kNumber ? e.number : 0.0) + ", " +
         (e.is_integer && e.kind == Expr::Kind::kNumber ? c_int(e.integer) : "0") + ", " +
         (e.kind == Expr::Kind::kNumber && e.is_integer ? "true" : "false") + ", " + (e.boolean ? "true" : "false") +
         "}";
}

}  // namespace keel::specgen
