// CallView: how predicates and shape rules read a call's tensors and attributes.
#include <algorithm>
#include <cstring>

#include "spec/op_schema.h"

namespace keel::spec {
namespace {

template <typename T>
T read_field(const void* attrs, uint32_t offset) {
  T value;
  std::memcpy(&value, static_cast<const char*>(attrs) + offset, sizeof value);
  return value;
}

}  // namespace

std::span<const TensorMeta> CallView::tensors(const Arg& arg) const {
  size_t first = static_cast<size_t>(arg.index);
  if (first >= inputs_.size()) return {};
  if (arg.kind == ArgKind::kTensor) return inputs_.subspan(first, 1);
  // A negative count runs through the variadic tail, however many tensors this call passes.
  size_t count = arg.count < 0 ? inputs_.size() - first : static_cast<size_t>(arg.count);
  return inputs_.subspan(first, std::min(count, inputs_.size() - first));
}

std::string CallView::tensor_name(size_t position) const {
  size_t last = op_.input_count - 1;
  if (op_.has_variadic_input() && position >= last) {
    return std::string(op_.inputs[last].name) + "[" + std::to_string(position - last) + "]";
  }
  return position < op_.input_count ? op_.inputs[position].name : "?";
}

int64_t CallView::attr_int(const Arg& arg) const {
  if (arg.kind == ArgKind::kInt) return arg.literal;
  const AttrSchema& attr = op_.attrs[arg.index];
  switch (attr.type) {
    case AttrType::kInt: return read_field<int64_t>(attrs_, attr.offset);
    case AttrType::kBool: return read_field<uint8_t>(attrs_, attr.offset) != 0;
    case AttrType::kEnum:
    case AttrType::kDtype: return read_field<uint32_t>(attrs_, attr.offset);
    case AttrType::kFloat: return static_cast<int64_t>(read_field<double>(attrs_, attr.offset));
    case AttrType::kInts:
    case AttrType::kFloats: return 0;
  }
  return 0;
}

double CallView::attr_float(const Arg& arg) const {
  if (arg.kind == ArgKind::kAttr && op_.attrs[arg.index].type == AttrType::kFloat) {
    return read_field<double>(attrs_, op_.attrs[arg.index].offset);
  }
  return static_cast<double>(attr_int(arg));
}

std::span<const int64_t> CallView::attr_ints(const Arg& arg) const {
  if (arg.kind != ArgKind::kAttr || op_.attrs[arg.index].type != AttrType::kInts) return {};
  const AttrSchema& attr = op_.attrs[arg.index];
  const int64_t* data = read_field<const int64_t*>(attrs_, attr.offset);
  size_t count = read_field<size_t>(attrs_, attr.count_offset);
  return data ? std::span<const int64_t>(data, count) : std::span<const int64_t>();
}

std::span<const double> CallView::attr_floats(const Arg& arg) const {
  if (arg.kind != ArgKind::kAttr || op_.attrs[arg.index].type != AttrType::kFloats) return {};
  const AttrSchema& attr = op_.attrs[arg.index];
  const double* data = read_field<const double*>(attrs_, attr.offset);
  size_t count = read_field<size_t>(attrs_, attr.count_offset);
  return data ? std::span<const double>(data, count) : std::span<const double>();
}

}  // namespace keel::spec
