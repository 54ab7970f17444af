#include "layers/ops/tolerance.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "layers/ops/dtype_convert.h"

namespace keel::conform {
namespace {

constexpr std::string_view kDataMovementGroups[] = {"shape", "layout", "indexing"};
constexpr std::string_view kDataMovementOps[] = {"where", "pad"};

bool is_data_movement(const spec::OpSchema& op) {
  for (std::string_view group : kDataMovementGroups) {
    if (group == op.group) return true;
  }
  for (std::string_view name : kDataMovementOps) {
    if (name == op.name) return true;
  }
  return false;
}

double ulp_bound(const spec::Tolerance& tolerance, keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return tolerance.ulp_f16;
    case KEEL_DTYPE_BF16: return tolerance.ulp_bf16;
    case KEEL_DTYPE_F64: return tolerance.ulp_f64;
    default: return tolerance.ulp_f32;
  }
}

std::string number(double value) {
  std::ostringstream text;
  text.precision(17);
  text << value;
  return text.str();
}

std::string element_text(size_t index, double got, double want) {
  return "element " + std::to_string(index) + ": got " + number(got) + ", expected " + number(want);
}

// Exact comparison of one float element; `reference` is the promoted reference element.
bool exact_float_match(keel_dtype_t dtype, const uint8_t* got, const uint8_t* reference, keel_dtype_t ref_dtype,
                       bool keep_payload) {
  uint8_t rounded[8] = {};
  narrow_from_f64_bits(dtype, widen_to_f64_bits(ref_dtype, reference), rounded);
  const size_t size = dtype_bytes(dtype);
  if (std::memcmp(got, rounded, size) == 0) return true;
  return !keep_payload && std::isnan(read_value(dtype, got)) && std::isnan(read_value(dtype, rounded));
}

}  // namespace

std::span<const std::string_view> data_movement_groups() { return kDataMovementGroups; }
std::span<const std::string_view> data_movement_ops() { return kDataMovementOps; }

Comparison compare_output(const spec::OpSchema& op, const HostTensor& got, const HostTensor& reference,
                          std::span<const double> bounds) {
  Comparison result;
  const keel_dtype_t dtype = got.meta.dtype;
  const keel_dtype_t ref_dtype = reference.meta.dtype;
  const size_t count = static_cast<size_t>(got.meta.element_count());
  const size_t size = dtype_bytes(dtype), ref_size = dtype_bytes(ref_dtype);
  const auto fail_at = [&](std::string detail) {
    if (result.ok) result.detail = std::move(detail);
    result.ok = false;
  };

  if (!is_float_dtype(dtype)) {
    for (size_t i = 0; i < count; ++i) {
      const int64_t value = read_integer(dtype, got.bytes.data() + i * size);
      const int64_t want = read_integer(ref_dtype, reference.bytes.data() + i * ref_size);
      if (value != want) fail_at("element " + std::to_string(i) + ": got " + std::to_string(value) + ", expected " + std::to_string(want));
    }
    return result;
  }

  const spec::Tolerance& tolerance = op.tolerance;
  const bool exact = tolerance.cls == spec::ToleranceClass::kExact;
  result.has_errors = count > 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* got_element = got.bytes.data() + i * size;
    const uint8_t* ref_element = reference.bytes.data() + i * ref_size;
    const double y = read_value(dtype, got_element);
    const double r = read_value(ref_dtype, ref_element);
    if (exact) {
      if (!exact_float_match(dtype, got_element, ref_element, ref_dtype, is_data_movement(op))) {
        fail_at(element_text(i, y, round_to(dtype, r)) + " (exact class: bit for bit)");
      }
      if (std::isfinite(y) && std::isfinite(r)) {
        result.max_abs = std::max(result.max_abs, std::fabs(y - r));
        result.max_ulp = std::max(result.max_ulp, std::fabs(y - r) / ulp_of(dtype, r));
      }
      continue;
    }
    if (std::isnan(r) || std::isnan(y)) {
      if (std::isnan(r) != std::isnan(y)) fail_at(element_text(i, y, r) + " (NaN must match NaN)");
      continue;
    }
    const double rounded = round_to(dtype, r);
    if (std::isinf(rounded) || std::isinf(y)) {
      if (y != rounded) fail_at(element_text(i, y, rounded) + " (infinities must match exactly)");
      continue;
    }
    const double error = std::fabs(y - r);
    const double ulps = error / ulp_of(dtype, r);
    result.max_abs = std::max(result.max_abs, error);
    result.max_ulp = std::max(result.max_ulp, ulps);
    if (tolerance.cls == spec::ToleranceClass::kUlp) {
      const double allowed = ulp_bound(tolerance, dtype);
      if (!(ulps <= allowed)) {
        fail_at(element_text(i, y, r) + ": " + number(ulps) + " ulp, the spec allows " + number(allowed));
      }
    } else if (!(error <= bounds[i])) {
      fail_at(element_text(i, y, r) + ": error " + number(error) + " exceeds the accumulation bound " + number(bounds[i]));
    }
  }
  return result;
}

}  // namespace keel::conform
