#include "dispatch/attrs.h"

#include <cstring>
#include <string_view>

namespace keel::detail {
namespace {

const unsigned char* bytes_of(const OpEntry& op, const void* attrs) {
  return static_cast<const unsigned char*>(attrs != nullptr ? attrs : op.default_attrs);
}

template <class T>
T load(const unsigned char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

template <class T>
void store(unsigned char* p, T value) {
  std::memcpy(p, &value, sizeof(T));
}

}  // namespace

int64_t attr_int(const OpEntry& op, const void* attrs, size_t attr) {
  const AttrEntry& a = op.attrs[attr];
  const unsigned char* p = bytes_of(op, attrs) + a.offset;
  switch (a.kind) {
    case AttrKind::kInt: return load<int64_t>(p);
    case AttrKind::kBool: return *p;
    case AttrKind::kEnum:
    case AttrKind::kDtype: return load<uint32_t>(p);
    case AttrKind::kFloat: return static_cast<int64_t>(load<double>(p));
    default: return 0;
  }
}

double attr_float(const OpEntry& op, const void* attrs, size_t attr) {
  const AttrEntry& a = op.attrs[attr];
  const unsigned char* p = bytes_of(op, attrs) + a.offset;
  return a.kind == AttrKind::kFloat ? load<double>(p) : static_cast<double>(attr_int(op, attrs, attr));
}

std::span<const int64_t> attr_ints(const OpEntry& op, const void* attrs, size_t attr) {
  const AttrEntry& a = op.attrs[attr];
  const unsigned char* base = bytes_of(op, attrs);
  return {load<const int64_t*>(base + a.offset), load<size_t>(base + a.count_offset)};
}

std::span<const double> attr_floats(const OpEntry& op, const void* attrs, size_t attr) {
  const AttrEntry& a = op.attrs[attr];
  const unsigned char* base = bytes_of(op, attrs);
  return {load<const double*>(base + a.offset), load<size_t>(base + a.count_offset)};
}

int32_t attr_index(const OpEntry& op, const char* name) {
  for (uint32_t i = 0; i < op.attr_count; ++i) {
    if (std::string_view(op.attrs[i].name) == name) return static_cast<int32_t>(i);
  }
  return -1;
}

Attrs::Attrs(const OpEntry& op) : Attrs(op, nullptr) {}

Attrs::Attrs(const OpEntry& op, const void* attrs) : op_(&op) {
  if (op.attr_count == 0) return;
  const unsigned char* source = bytes_of(op, attrs);
  bytes_.assign(source, source + op.attrs_size);
  store<size_t>(bytes_.data(), op.attrs_size);
  ints_.resize(op.attr_count);
  floats_.resize(op.attr_count);
  for (uint32_t i = 0; i < op.attr_count; ++i) {
    if (op.attrs[i].kind == AttrKind::kInts) {
      std::span<const int64_t> v = attr_ints(op, source, i);
      ints_[i].assign(v.begin(), v.end());
    } else if (op.attrs[i].kind == AttrKind::kFloats) {
      std::span<const double> v = attr_floats(op, source, i);
      floats_[i].assign(v.begin(), v.end());
    }
  }
  repoint();
}

Attrs::Attrs(const Attrs& other)
    : op_(other.op_), bytes_(other.bytes_), ints_(other.ints_), floats_(other.floats_) {
  repoint();
}

Attrs& Attrs::operator=(const Attrs& other) {
  if (this != &other) {
    op_ = other.op_;
    bytes_ = other.bytes_;
    ints_ = other.ints_;
    floats_ = other.floats_;
    repoint();
  }
  return *this;
}

void Attrs::repoint() {
  if (op_ == nullptr) return;
  for (uint32_t i = 0; i < op_->attr_count; ++i) {
    const AttrEntry& a = op_->attrs[i];
    if (a.kind == AttrKind::kInts) {
      store<const int64_t*>(field(i), ints_[i].data());
      store<size_t>(bytes_.data() + a.count_offset, ints_[i].size());
    } else if (a.kind == AttrKind::kFloats) {
      store<const double*>(field(i), floats_[i].data());
      store<size_t>(bytes_.data() + a.count_offset, floats_[i].size());
    }
  }
}

void Attrs::set_int(size_t attr, int64_t value) {
  switch (op_->attrs[attr].kind) {
    case AttrKind::kInt: store<int64_t>(field(attr), value); break;
    case AttrKind::kBool: *field(attr) = value != 0 ? 1 : 0; break;
    case AttrKind::kEnum:
    case AttrKind::kDtype: store<uint32_t>(field(attr), static_cast<uint32_t>(value)); break;
    case AttrKind::kFloat: store<double>(field(attr), static_cast<double>(value)); break;
    default: break;
  }
}

void Attrs::set_float(size_t attr, double value) {
  if (op_->attrs[attr].kind == AttrKind::kFloat) {
    store<double>(field(attr), value);
  } else {
    set_int(attr, static_cast<int64_t>(value));
  }
}

void Attrs::set_ints(size_t attr, std::vector<int64_t> values) {
  ints_[attr] = std::move(values);
  repoint();
}

void Attrs::set_floats(size_t attr, std::vector<double> values) {
  floats_[attr] = std::move(values);
  repoint();
}

}  // namespace keel::detail
