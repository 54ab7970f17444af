// Reading a keel_<op>_attrs_t safely. The host passes complete structs up to its own struct_size; a host
// built against older headers passes a smaller struct, and the fields it lacks keep the spec defaults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "error.h"

namespace keel::onednn {

template <class Attrs, class Field>
size_t field_end(Field Attrs::*field) {
  const Attrs probe{};
  const auto* base = reinterpret_cast<const unsigned char*>(&probe);
  const auto* member = reinterpret_cast<const unsigned char*>(&(probe.*field));
  return static_cast<size_t>(member - base) + sizeof(Field);
}

// `defaults` with every listed field the caller's struct covers copied over; NULL means all defaults.
template <class Attrs, class... Fields>
Attrs read_attrs(const void* raw, const Attrs& defaults, Fields Attrs::*... fields) {
  Attrs result = defaults;
  const auto* given = static_cast<const Attrs*>(raw);
  if (given == nullptr) return result;
  const auto take = [&](auto field) {
    if (given->struct_size >= field_end(field)) result.*field = given->*field;
  };
  (take(fields), ...);
  return result;
}

inline std::span<const int64_t> ints_of(const int64_t* values, size_t count) {
  if (count == 0) return {};
  if (values == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "an ints attribute has entries but no data");
  return {values, count};
}

}  // namespace keel::onednn
