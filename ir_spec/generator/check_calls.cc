// Resolves predicate, shape-rule, count-rule and data-domain calls against their spec.yaml signatures.
#include "check_calls.h"

#include <algorithm>

namespace keel::specgen {
namespace {

std::string attr_type_name(AttrType type) {
  switch (type) {
    case AttrType::kInt: return "int";
    case AttrType::kFloat: return "float";
    case AttrType::kBool: return "bool";
    case AttrType::kInts: return "ints";
    case AttrType::kFloats: return "floats";
    case AttrType::kDtype: return "dtype";
    case AttrType::kEnum: return "enum";
  }
  return "?";
}

std::string kind_name(const RuleArg& arg) {
  switch (arg.kind) {
    case ArgKind::kTensor: return "tensor";
    case ArgKind::kTensors: return "tensors";
    case ArgKind::kAttr: return arg.attr_type ? "attr:" + attr_type_name(*arg.attr_type) : "attr";
    case ArgKind::kInt: return "int";
  }
  return "?";
}

std::string signature_text(const RuleDef& rule) {
  std::string out = rule.name + "(";
  for (size_t i = 0; i < rule.args.size(); ++i) out += (i ? ", " : "") + kind_name(rule.args[i]);
  return out + ")";
}

bool is_tensors(const RuleArg& arg) { return arg.kind == ArgKind::kTensors; }

}  // namespace

std::optional<std::vector<CallArg>> resolve_call(const Expr& call, const RuleDef& rule, const OpDef& op,
                                                 std::string* error) {
  const std::string sig = signature_text(rule);
  if (std::any_of(call.keys.begin(), call.keys.end(), [](const std::string& k) { return !k.empty(); })) {
    *error = "'" + call.text + "' takes no keyword arguments";
    return std::nullopt;
  }
  bool has_tensors = std::any_of(rule.args.begin(), rule.args.end(), is_tensors);
  size_t fixed = rule.args.size() - (has_tensors ? 1 : 0);
  // The tensors argument takes the call arguments the others leave over: at least one. A bare name (no
  // parentheses) is a call without arguments.
  size_t n = call.is_call() ? call.args.size() : 0;
  if (has_tensors ? n < fixed + 1 : n != fixed) {
    *error = "'" + call.text + "' takes " + sig + ", got " + std::to_string(n) + " argument" + (n == 1 ? "" : "s");
    return std::nullopt;
  }
  size_t tensors_count = has_tensors ? n - fixed : 0;

  std::vector<CallArg> out;
  size_t pos = 0;
  for (const RuleArg& decl : rule.args) {
    size_t take = is_tensors(decl) ? tensors_count : 1;
    CallArg arg;
    arg.kind = decl.kind;
    for (size_t k = 0; k < take; ++k, ++pos) {
      const Expr& e = call.args[pos];
      std::string where = "argument " + std::to_string(pos + 1) + " of " + sig;
      if (decl.kind == ArgKind::kInt) {
        if (e.kind == Expr::Kind::kNumber && e.is_integer) {
          arg.literal = e.integer;
          continue;
        }
        const AttrDef* attr = e.is_name() ? op.find_attr(e.text) : nullptr;
        if (!attr || attr->type != AttrType::kInt) {
          *error = where + " must be an integer literal or an int attribute, not '" + e.to_string() + "'";
          return std::nullopt;
        }
        arg.kind = ArgKind::kAttr;  // read through CallView::attr_int like a literal
        arg.index = op.attr_index(e.text);
        continue;
      }
      if (!e.is_name()) {
        *error = where + " must be a name, not '" + e.to_string() + "'";
        return std::nullopt;
      }
      if (decl.kind == ArgKind::kAttr) {
        arg.index = op.attr_index(e.text);
        if (arg.index < 0) {
          *error = where + " must be an attribute of '" + op.name + "', not '" + e.text + "'";
          return std::nullopt;
        }
        AttrType type = op.attrs[static_cast<size_t>(arg.index)].type;
        if (decl.attr_type && type != *decl.attr_type) {
          *error = where + " must be an " + attr_type_name(*decl.attr_type) + " attribute; '" + e.text + "' is " +
                   attr_type_name(type);
          return std::nullopt;
        }
        continue;
      }
      int input = op.input_index(e.text);
      if (input < 0) {
        *error = where + " must be an input of '" + op.name + "', not '" + e.text + "'";
        return std::nullopt;
      }
      bool variadic = op.inputs[static_cast<size_t>(input)].variadic;
      if (decl.kind == ArgKind::kTensor && variadic) {
        *error = where + " must be a single tensor; '" + e.text + "' is variadic (use a tensors argument)";
        return std::nullopt;
      }
      if (k == 0) {
        arg.index = input;
        arg.count = 1;
      } else if (input != arg.index + arg.count) {
        *error = "the tensors of " + sig + " must be consecutive inputs in declaration order";
        return std::nullopt;
      } else {
        ++arg.count;
      }
      if (variadic) arg.count = -1;  // through the variadic tail, however many tensors the call has
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace keel::specgen
