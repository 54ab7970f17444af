// Reading and building keel_<op>_attrs_t structs through the generated attribute layout (op_table.h).
// Attrs owns a struct and the lists it points into, so autograd can keep the attributes of a recorded call.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dispatch/op_table.h"

namespace keel::detail {

// Readers of one attribute of a struct laid out as `op`'s (`attrs` nullptr means the defaults).
int64_t attr_int(const OpEntry& op, const void* attrs, size_t attr);  // int, bool, enum, dtype
double attr_float(const OpEntry& op, const void* attrs, size_t attr);  // float (an int widened)
std::span<const int64_t> attr_ints(const OpEntry& op, const void* attrs, size_t attr);
std::span<const double> attr_floats(const OpEntry& op, const void* attrs, size_t attr);
int32_t attr_index(const OpEntry& op, const char* name);  // -1 when absent

// An owned keel_<op>_attrs_t.
class Attrs {
 public:
  Attrs() = default;
  // The spec defaults of `op`.
  explicit Attrs(const OpEntry& op);
  // A copy of `attrs` (nullptr: the defaults), lists included.
  Attrs(const OpEntry& op, const void* attrs);
  Attrs(const Attrs& other);
  Attrs& operator=(const Attrs& other);
  Attrs(Attrs&&) noexcept = default;
  Attrs& operator=(Attrs&&) noexcept = default;

  const void* get() const { return bytes_.empty() ? nullptr : bytes_.data(); }
  const OpEntry* op() const { return op_; }

  void set_int(size_t attr, int64_t value);  // int, bool, enum, dtype
  void set_float(size_t attr, double value);
  void set_ints(size_t attr, std::vector<int64_t> values);
  void set_floats(size_t attr, std::vector<double> values);

 private:
  void repoint();
  unsigned char* field(size_t attr) { return bytes_.data() + op_->attrs[attr].offset; }

  const OpEntry* op_ = nullptr;
  std::vector<unsigned char> bytes_;
  std::vector<std::vector<int64_t>> ints_;   // per attribute (kInts)
  std::vector<std::vector<double>> floats_;  // per attribute (kFloats)
};

}  // namespace keel::detail
