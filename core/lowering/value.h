// Values of the composite-lowering evaluator: what a formula node evaluates to.
#pragma once

#include <cstdint>
#include <vector>

#include "keel/keel_runtime.h"

namespace keel::lowering {

struct Value {
  enum class Kind : uint8_t {
    kTensor,  // tensor
    kTensors, // tensors (a variadic input, or the outputs of a call with several)
    kAbsent,  // an absent optional input
    kInt,     // integer
    kFloat,   // number
    kBool,    // boolean
    kInts,    // ints (an attribute list)
    kFloats,  // floats
    kDtype,   // dtype
    kEnum,    // an enum attribute value: `text` names it (matched by name against the callee's values)
  };
  Kind kind = Kind::kAbsent;
  keel_tensor_t tensor{};
  std::vector<keel_tensor_t> tensors;
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;
  const char* text = "";

  static Value of_tensor(const keel_tensor_t& t) {
    Value v;
    v.kind = Kind::kTensor;
    v.tensor = t;
    return v;
  }
  static Value of_int(int64_t i) {
    Value v;
    v.kind = Kind::kInt;
    v.integer = i;
    v.number = static_cast<double>(i);
    return v;
  }
  static Value of_float(double d) {
    Value v;
    v.kind = Kind::kFloat;
    v.number = d;
    return v;
  }
  static Value of_bool(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
  static Value of_ints(std::vector<int64_t> list) {
    Value v;
    v.kind = Kind::kInts;
    v.ints = std::move(list);
    return v;
  }
};

}  // namespace keel::lowering
