// keel/keel_ops.h: the C view of the operator set (ir_spec/README.md, "The C mapping"). Plain C99.
#include <algorithm>
#include <sstream>

#include "attrs_layout.h"
#include "emit.h"
#include "names.h"
#include "text_wrap.h"

namespace keel::specgen {
namespace {

constexpr size_t kWidth = 112;

std::string attr_type_word(const OpDef& op, const AttrDef& attr) {
  switch (attr.type) {
    case AttrType::kInt: return "int";
    case AttrType::kFloat: return "float";
    case AttrType::kBool: return "bool";
    case AttrType::kInts: return "ints";
    case AttrType::kFloats: return "floats";
    case AttrType::kDtype: return "dtype of " + attr.of;
    case AttrType::kEnum: return enum_type(op.name, attr.name);
  }
  return "";
}

std::string field_comment(const OpDef& op, const AttrField& field) {
  if (!field.attr) return "sizeof(" + attrs_type(op.name) + ") of the caller's headers";
  const AttrDef& attr = *field.attr;
  if (field.is_count) return "entries in " + attr.name;
  std::string text = attr_type_word(op, attr) + ", " +
                     (attr.required ? std::string("required") : "default " + attr.default_value.text);
  if (!attr.doc.empty()) text += ": " + attr.doc;
  if (attr.type == AttrType::kInts || attr.type == AttrType::kFloats) {
    text += (attr.doc.empty() ? "; " : " ") + std::string("Borrowed for the call.");
  }
  return c_comment_text(text);
}

// A block comment, wrapped, at the given indent.
void write_comment(std::ostringstream& out, const std::string& indent, const std::string& text) {
  std::vector<std::string> lines = wrap_words(text, kWidth - indent.size() - 6);
  if (lines.size() == 1) {
    out << indent << "/* " << lines[0] << " */\n";
    return;
  }
  out << indent << "/* ";
  for (size_t i = 0; i < lines.size(); ++i) out << (i ? indent + " * " : "") << lines[i] << "\n";
  out << indent << " */\n";
}

void write_enum(std::ostringstream& out, const OpDef& op, const AttrDef& attr) {
  out << "/* Values of " << attrs_type(op.name) << "." << attr.name << ". */\n";
  out << "typedef enum " << enum_type(op.name, attr.name) << " {\n";
  for (size_t i = 0; i < attr.enum_values.size(); ++i) {
    out << "  " << enum_constant(op.name, attr.name, attr.enum_values[i]) << " = " << i
        << (i + 1 < attr.enum_values.size() ? "," : "") << "\n";
  }
  out << "} " << enum_type(op.name, attr.name) << ";\n\n";
}

void write_struct(std::ostringstream& out, const OpDef& op, const GlobalSpec& global) {
  const std::string type = attrs_type(op.name);
  std::vector<AttrField> fields = attrs_layout(op);
  for (const AttrDef& attr : op.attrs) {
    if (attr.type == AttrType::kInts && !attr.required && !attr.default_value.ints.empty()) {
      out << "static const int64_t " << list_default_array(op.name, attr.name) << "[] = {";
      for (size_t i = 0; i < attr.default_value.ints.size(); ++i) {
        out << (i ? ", " : "") << c_int(attr.default_value.ints[i]);
      }
      out << "};\n";
    }
    if (attr.type == AttrType::kFloats && !attr.required && !attr.default_value.floats.empty()) {
      out << "static const double " << list_default_array(op.name, attr.name) << "[] = {";
      for (size_t i = 0; i < attr.default_value.floats.size(); ++i) {
        out << (i ? ", " : "") << c_double(attr.default_value.floats[i]);
      }
      out << "};\n";
    }
  }
  out << "typedef struct " << type << " {\n";
  size_t decl_width = 0;
  for (const AttrField& f : fields) decl_width = std::max(decl_width, f.c_type.size() + f.name.size() + 2);
  for (const AttrField& f : fields) {
    std::string decl = f.c_type + " " + f.name + ";";
    std::string pad(decl_width - decl.size() + 1, ' ');
    std::string indent(2 + decl_width + 1, ' ');
    std::vector<std::string> lines = wrap_words(field_comment(op, f), kWidth - indent.size() - 6);
    out << "  " << decl << pad << "/* ";
    for (size_t i = 0; i < lines.size(); ++i) out << (i ? "\n" + indent + "   " : "") << lines[i];
    out << " */\n";
  }
  out << "} " << type << ";\n";

  out << "#define " << attrs_init_macro(op.name) << " { sizeof(" << type << ")";
  for (const AttrDef& attr : op.attrs) {
    if (attr.required) {
      bool list = attr.type == AttrType::kInts || attr.type == AttrType::kFloats;
      out << (list ? ", NULL, 0" : attr.type == AttrType::kFloat ? ", 0.0" : ", 0");
    } else {
      out << ", " << c_value(op, attr, attr.default_value, global, list_default_array(op.name, attr.name));
    }
  }
  out << " }\n";
  for (const AttrField& f : fields) {
    if (!f.attr) continue;
    out << "KEEL_ASSERT_LAYOUT(" << op.name << "_attrs_" << f.name << ", offsetof(" << type << ", " << f.name
        << ") == " << f.offset << ");\n";
  }
}

void write_op(std::ostringstream& out, const OpDef& op, const GlobalSpec& global) {
  std::string io;
  for (const TensorDef& t : op.inputs) io += (io.empty() ? "" : ", ") + t.name + (t.variadic ? "..." : "");
  std::string outs;
  for (const TensorDef& t : op.outputs) outs += (outs.empty() ? "" : ", ") + t.name;
  std::string attrs = op.attrs.empty() ? "none (pass NULL)" : attrs_type(op.name);
  write_comment(out, "",
                op.name + " v" + std::to_string(op.version) + ": " + c_comment_text(op.summary) +
                    " Inputs: " + (io.empty() ? "none" : io) + ". Outputs: " + outs + ". Attributes: " + attrs + ".");
  out << "#define " << op_macro(op.name) << " \"" << op.name << "\"\n";
  out << "#define " << op_macro(op.name) << "_VERSION " << op.version << "\n";
  if (op.attrs.empty()) return;
  out << "\n";
  for (const AttrDef& attr : op.attrs) {
    if (attr.type == AttrType::kEnum) write_enum(out, op, attr);
  }
  write_struct(out, op, global);
}

}  // namespace

std::string emit_header(const Spec& spec) {
  std::ostringstream out;
  size_t op_count = 0;
  for (const GroupDef& g : spec.groups) op_count += g.ops.size();
  out << "/* DO NOT EDIT: generated by keel-specgen (ir_spec/generator) from ir_spec/spec.yaml and "
         "ir_spec/ops/. */\n";
  out << R"(/* Keel operators: names, versions and attribute structs of the operator standard (ir_spec/).
 *
 * An operator with attributes takes a keel_<op>_attrs_t: start from KEEL_<OP>_ATTRS_INIT (the spec defaults,
 * struct_size set) and change what you need, or pass NULL for all defaults. Operators without attributes
 * take NULL. Fields are only ever appended: a receiver of an older, smaller struct uses the defaults for the
 * fields it lacks. `ints` attributes are a pointer + count, borrowed for the call. The layouts below are
 * frozen as laid out on 64-bit targets. The full reference, with shapes, constraints and tolerances, is
 * docs/ops.md.
 *
 * Plain C99.
 */
#ifndef KEEL_OPS_H_
#define KEEL_OPS_H_

#include <stddef.h>
#include <stdint.h>

#include "keel/keel_types.h"

)";
  out << "#define KEEL_SPEC_VERSION \"" << spec.global.spec_version << "\"\n";
  out << "#define KEEL_SPEC_DOMAIN \"" << spec.global.domain << "\"\n";
  out << "#define KEEL_OP_COUNT " << op_count << "\n";
  for (const GroupDef& group : spec.groups) {
    std::string banner = "/* ---- " + c_comment_text(group.title) + " ";
    out << "\n" << banner << std::string(kWidth > banner.size() + 3 ? kWidth - banner.size() - 3 : 1, '-') << " */\n";
    for (const OpDef& op : group.ops) {
      out << "\n";
      write_op(out, op, spec.global);
    }
  }
  out << "\n#endif /* KEEL_OPS_H_ */\n";
  return out.str();
}

}  // namespace keel::specgen
