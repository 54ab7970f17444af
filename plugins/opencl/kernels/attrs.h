// Reading a keel_<op>_attrs_t. A caller built against older headers passes a smaller struct; the fields its
// struct_size does not cover keep the spec defaults (the KEEL_<OP>_ATTRS_INIT values), as keel_ops.h promises.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "host.h"

namespace keel::opencl {

// Byte offset just past `field` within Attrs.
template <class Attrs, class Field>
size_t field_end(Field Attrs::*field) {
  const Attrs probe{};
  const auto* base = reinterpret_cast<const unsigned char*>(&probe);
  const auto* member = reinterpret_cast<const unsigned char*>(&(probe.*field));
  return static_cast<size_t>(member - base) + sizeof(Field);
}

// `defaults` with every listed field the caller's struct covers copied over; `raw` NULL means all defaults.
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

// An `ints` attribute (pointer + count) as a span; INVALID_ARGUMENT for a NULL pointer with a non-zero count.
inline std::span<const int64_t> ints(const int64_t* values, size_t count, const char* name) {
  if (count == 0) return {};
  if (values == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute ", name, " has ", count, " entries but no data");
  return {values, count};
}

}  // namespace keel::opencl
