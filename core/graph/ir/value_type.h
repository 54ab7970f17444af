// The type of a graph value: a dtype and a shape whose dimensions are static (a number), symbolic (a name
// such as "N", equal wherever the same name appears) or unknown. A shape of unknown rank is allowed too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/keel_types.h"
#include "spec/op_schema.h"

namespace keel::graph {

struct Dim {
  int64_t value = -1;  // >= 0 when static
  std::string symbol;  // non-empty for a symbolic dimension (value is then -1)

  static Dim of(int64_t v) { return Dim{v, {}}; }
  static Dim named(std::string name) { return Dim{-1, std::move(name)}; }
  static Dim unknown() { return Dim{}; }
  bool is_static() const { return value >= 0; }
  bool operator==(const Dim& other) const = default;
};

struct ValueType {
  keel_dtype_t dtype = KEEL_DTYPE_INVALID;  // KEEL_DTYPE_INVALID: not known yet
  bool rank_known = false;
  std::vector<Dim> dims;

  static ValueType of(keel_dtype_t dtype, std::span<const int64_t> shape);
  static ValueType of(const spec::TensorMeta& meta) { return of(meta.dtype, meta.shape()); }
  static ValueType unknown_shape(keel_dtype_t dtype) { return ValueType{dtype, false, {}}; }

  bool known() const { return dtype != KEEL_DTYPE_INVALID; }
  // Dtype known and every dimension static.
  bool is_static() const;
  size_t rank() const { return dims.size(); }
  // The static shape; only for is_static() types.
  std::vector<int64_t> shape() const;
  // dtype + static shape as the spec's rules take it; nullopt unless is_static() and rank <= KEEL_MAX_RANK.
  std::optional<spec::TensorMeta> meta() const;
  // Bytes of a static type (saturating); 0 when not static.
  uint64_t byte_size() const;
  bool operator==(const ValueType& other) const = default;
};

// "f32[2,N,?]", "f32[*]" for an unknown rank, "?" when nothing is known.
std::string format_type(const ValueType& type);
std::string format_shape(std::span<const int64_t> shape);  // "[2,3]"

// Bytes per element (the spec's dtype table); 0 for KEEL_DTYPE_INVALID and unknown values.
size_t dtype_bytes(keel_dtype_t dtype);
// The spec's dtype name ("f32"); "invalid" otherwise.
const char* dtype_text(keel_dtype_t dtype);
// The dtype with this spec name, or KEEL_DTYPE_INVALID.
keel_dtype_t dtype_from_text(std::string_view name);
bool is_float_dtype(keel_dtype_t dtype);  // f16, bf16, f32, f64

// Product of the dimensions, or -1 when it overflows int64.
int64_t element_count(std::span<const int64_t> shape);

}  // namespace keel::graph
